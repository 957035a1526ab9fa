import { Router } from 'express';
import { z } from 'zod';
import { CalendarFeedService } from '../../application/calendar-feed.service.js';
import { principalOf } from '../middleware/auth.js';
import { describeRoute, openApiRegistry } from '../openapi.js';

const feedStatus = openApiRegistry.register(
  'CalendarFeed',
  z.object({
    active: z.boolean().describe('the employee has a feed URL that works'),
    createdAt: z.string().nullable(),
    lastReadAt: z.string().nullable().describe('the last time a calendar app read the feed (to the minute)'),
  }),
);
const newFeed = openApiRegistry.register(
  'NewCalendarFeed',
  feedStatus.extend({
    url: z
      .string()
      .describe('the secret feed URL, shown this once: subscribe to it in a calendar app (Outlook, Google, Apple)'),
  }),
);

describeRoute({
  operationId: 'getMyCalendarFeed',
  method: 'get',
  path: '/api/me/calendar-feed',
  summary: 'Whether I have an iCalendar feed of my HR calendar, since when and when it was last read (rule 6.4)',
  tags: ['me', 'calendars'],
  response: feedStatus,
});
describeRoute({
  operationId: 'rotateMyCalendarFeed',
  method: 'post',
  path: '/api/me/calendar-feed',
  summary:
    'Make a new secret URL of my HR calendar feed (iCalendar); it is shown once, and the previous URL stops working at once',
  tags: ['me', 'calendars'],
  response: newFeed,
  status: 201,
});
describeRoute({
  operationId: 'revokeMyCalendarFeed',
  method: 'delete',
  path: '/api/me/calendar-feed',
  summary: 'Revoke my feed URL: calendar apps subscribed to it get 404 from now on',
  tags: ['me', 'calendars'],
  response: null,
  status: 204,
  errors: [404],
});

/** The employee's own feed URL (rule 6.4), under /api/me. */
export function myCalendarFeedRouter(publicUrl: () => string): Router {
  const router = Router();
  router.get('/calendar-feed', async (req, res) => {
    res.json(await new CalendarFeedService(req.context.repos).status(principalOf(req).userId));
  });
  router.post('/calendar-feed', async (req, res) => {
    res.status(201).json(await new CalendarFeedService(req.context.repos).rotate(principalOf(req).userId, publicUrl()));
  });
  router.delete('/calendar-feed', async (req, res) => {
    await new CalendarFeedService(req.context.repos).revoke(principalOf(req).userId);
    res.status(204).end();
  });
  return router;
}
