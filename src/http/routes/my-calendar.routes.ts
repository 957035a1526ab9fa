import { Router, type Request } from 'express';
import { z } from 'zod';
import { CalendarEventsService } from '../../application/calendar-events.service.js';
import { CalendarsService } from '../../application/calendars.service.js';
import { principalOf } from '../middleware/auth.js';
import { describeRoute } from '../openapi.js';
import { body, params, query } from '../validation.js';
import {
  calendarEventView,
  eventHistoryView,
  eventPageView,
  eventRangeQuery,
  hrEventCreateBody,
  hrEventPatchBody,
} from './calendar-event.schemas.js';
import { calendarOptions, calendarView, enableBody, myCalendarsView, optionsBody } from './calendar.schemas.js';

const calendarParams = z.strictObject({ calendarId: z.uuid() });
const eventParams = z.strictObject({ eventId: z.uuid() });

describeRoute({
  operationId: 'listMyCalendars',
  method: 'get',
  path: '/api/me/calendars',
  summary:
    'My Microsoft 365 calendars I can edit (own, shared, delegated), which are enabled, and my calendar choices (rules 6.1, 6.2)',
  tags: ['me', 'calendars'],
  response: myCalendarsView,
});
describeRoute({
  operationId: 'setMyCalendarEnabled',
  method: 'patch',
  path: '/api/me/calendars/:calendarId',
  summary: 'Enable or disable one of my calendars; the default calendar cannot be disabled (409)',
  tags: ['me', 'calendars'],
  params: calendarParams,
  body: enableBody,
  response: calendarView,
  errors: [409],
});
describeRoute({
  operationId: 'setMyCalendarOptions',
  method: 'patch',
  path: '/api/me/calendar-settings',
  summary: 'Switch my calendar sync off or on, and choose whether private events show their details in HR',
  tags: ['me', 'calendars'],
  body: optionsBody,
  response: calendarOptions,
});

describeRoute({
  operationId: 'listMyEvents',
  method: 'get',
  path: '/api/me/events',
  summary:
    'The events of my calendars between two instants: those from Microsoft 365 and those HR created (page on with ?after=<next>)',
  tags: ['me', 'calendars'],
  query: eventRangeQuery,
  response: eventPageView,
});
describeRoute({
  operationId: 'getMyEvent',
  method: 'get',
  path: '/api/me/events/:eventId',
  summary: 'One event of my calendars',
  tags: ['me', 'calendars'],
  params: eventParams,
  response: calendarEventView,
});

describeRoute({
  operationId: 'createMyEvent',
  method: 'post',
  path: '/api/me/events',
  summary:
    'Create an HR event (absence, onboarding, interview...) in my default calendar or an enabled one I name; it goes to Microsoft 365 within seconds (rule 6.7)',
  tags: ['me', 'calendars'],
  body: hrEventCreateBody,
  response: calendarEventView,
  status: 201,
  errors: [404, 409],
});
describeRoute({
  operationId: 'updateMyEvent',
  method: 'patch',
  path: '/api/me/events/:eventId',
  summary: 'Change one of my HR events (the change follows it to Microsoft 365); events from Microsoft 365 are 409',
  tags: ['me', 'calendars'],
  params: eventParams,
  body: hrEventPatchBody,
  response: calendarEventView,
  errors: [409],
});
describeRoute({
  operationId: 'deleteMyEvent',
  method: 'delete',
  path: '/api/me/events/:eventId',
  summary: 'Delete one of my HR events, in HR and then in Microsoft 365; events from Microsoft 365 are 409',
  tags: ['me', 'calendars'],
  params: eventParams,
  response: null,
  status: 204,
  errors: [409],
});
describeRoute({
  operationId: 'getMyEventHistory',
  method: 'get',
  path: '/api/me/events/:eventId/history',
  summary: "One of my events' earlier versions: what lost a conflict, what Outlook changed or deleted (rule 6.8)",
  tags: ['me', 'calendars'],
  params: eventParams,
  response: eventHistoryView,
});

/**
 * The employee's own calendars, under /api/me: the caller is the holder of the API token (an
 * employee's token is one an admin issued for that employee's HR user), and every route acts on
 * the caller's own calendars only, so no employee can see or change another's.
 */
export function myCalendarRouter(requestSync: (hrUserId: string) => Promise<void>): Router {
  const router = Router();
  const service = (req: Request) => new CalendarsService(req.context.repos, requestSync);
  router.get('/calendars', async (req, res) => {
    res.json(await service(req).calendars(principalOf(req).userId));
  });
  router.patch('/calendars/:calendarId', async (req, res) => {
    const { calendarId } = params(req, calendarParams);
    const { enabled } = body(req, enableBody);
    res.json(await service(req).setEnabled(principalOf(req).userId, calendarId, enabled));
  });
  router.get('/events', async (req, res) => {
    res.json(
      await new CalendarEventsService(req.context.repos).list(principalOf(req).userId, query(req, eventRangeQuery)),
    );
  });
  const events = (req: Request) => new CalendarEventsService(req.context.repos, requestSync);
  router.post('/events', async (req, res) => {
    res.status(201).json(await events(req).create(principalOf(req).userId, body(req, hrEventCreateBody)));
  });
  router.get('/events/:eventId', async (req, res) => {
    const { eventId } = params(req, eventParams);
    res.json(await events(req).get(principalOf(req).userId, eventId));
  });
  router.patch('/events/:eventId', async (req, res) => {
    const { eventId } = params(req, eventParams);
    res.json(await events(req).update(principalOf(req).userId, eventId, body(req, hrEventPatchBody)));
  });
  router.delete('/events/:eventId', async (req, res) => {
    const { eventId } = params(req, eventParams);
    await events(req).delete(principalOf(req).userId, eventId);
    res.status(204).end();
  });
  router.get('/events/:eventId/history', async (req, res) => {
    const { eventId } = params(req, eventParams);
    res.json({ items: await events(req).history(principalOf(req).userId, eventId) });
  });
  router.patch('/calendar-settings', async (req, res) => {
    res.json(await service(req).setOptions(principalOf(req).userId, body(req, optionsBody)));
  });
  return router;
}
