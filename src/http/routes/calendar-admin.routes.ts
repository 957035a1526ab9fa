import { Router, type Request } from 'express';
import { z } from 'zod';
import { CalendarEventsService } from '../../application/calendar-events.service.js';
import { CalendarsService } from '../../application/calendars.service.js';
import { requireAdmin } from '../middleware/auth.js';
import { describeRoute } from '../openapi.js';
import { body, params, query } from '../validation.js';
import { calendarEventView, eventPageView, eventRangeQuery } from './calendar-event.schemas.js';
import { adminOptionsBody, calendarOptions, calendarStatusView } from './calendar.schemas.js';

const idParams = z.strictObject({ id: z.uuid() });
const eventParams = z.strictObject({ id: z.uuid(), eventId: z.uuid() });

describeRoute({
  operationId: 'getUserCalendarStatus',
  method: 'get',
  path: '/api/admin/users/:id/calendar',
  summary: "An HR user's calendar sync: their choices, their calendars and the latest runs with their conflicts",
  tags: ['users', 'calendars'],
  params: idParams,
  response: calendarStatusView,
  admin: true,
});
describeRoute({
  operationId: 'setUserCalendarSync',
  method: 'patch',
  path: '/api/admin/users/:id/calendar',
  summary: "Switch an HR user's calendar sync off or on (rule 6.1)",
  tags: ['users', 'calendars'],
  params: idParams,
  body: adminOptionsBody,
  response: calendarOptions,
  admin: true,
});
describeRoute({
  operationId: 'syncUserCalendar',
  method: 'post',
  path: '/api/admin/users/:id/calendar/sync',
  summary: "Queue a run of the HR user's calendars now; follow it in GET /api/admin/users/{id}/calendar",
  tags: ['users', 'calendars'],
  params: idParams,
  response: z.object({ queued: z.literal(true) }),
  status: 202,
  admin: true,
  errors: [409],
});

describeRoute({
  operationId: 'listUserEvents',
  method: 'get',
  path: '/api/admin/users/:id/events',
  summary: "An HR user's events between two instants (page on with ?after=<next>)",
  tags: ['users', 'calendars'],
  params: idParams,
  query: eventRangeQuery,
  response: eventPageView,
  admin: true,
});
describeRoute({
  operationId: 'getUserEvent',
  method: 'get',
  path: '/api/admin/users/:id/events/:eventId',
  summary: "One event of an HR user's calendars",
  tags: ['users', 'calendars'],
  params: eventParams,
  response: calendarEventView,
  admin: true,
});

/** The admin's view of each HR user's calendar sync (docs/rules.md §6). */
export function calendarAdminRouter(requestSync: (hrUserId: string, manual?: boolean) => Promise<void>): Router {
  const router = Router();
  router.use(requireAdmin);
  const service = (req: Request, manual = false) =>
    new CalendarsService(req.context.repos, (id) => requestSync(id, manual));
  router.get('/:id/calendar', async (req, res) => {
    res.json(await service(req).status(params(req, idParams).id));
  });
  router.get('/:id/events', async (req, res) => {
    res.json(
      await new CalendarEventsService(req.context.repos).list(params(req, idParams).id, query(req, eventRangeQuery)),
    );
  });
  router.get('/:id/events/:eventId', async (req, res) => {
    const { id, eventId } = params(req, eventParams);
    res.json(await new CalendarEventsService(req.context.repos).get(id, eventId));
  });
  router.patch('/:id/calendar', async (req, res) => {
    res.json(await service(req).setOptions(params(req, idParams).id, body(req, adminOptionsBody)));
  });
  router.post('/:id/calendar/sync', async (req, res) => {
    await service(req, true).requestRun(params(req, idParams).id);
    res.status(202).json({ queued: true });
  });
  return router;
}
