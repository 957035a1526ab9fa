import { Router, type Request } from 'express';
import { z } from 'zod';
import { CalendarEventsService } from '../../application/calendar-events.service.js';
import { CalendarsService } from '../../application/calendars.service.js';
import { requireAdmin } from '../middleware/auth.js';
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

describeRoute({
  operationId: 'createUserEvent',
  method: 'post',
  path: '/api/admin/users/:id/events',
  summary:
    "Create an HR event (absence, onboarding, interview...) in an HR user's default calendar or an enabled one named; it goes to Microsoft 365 (rule 6.7)",
  tags: ['users', 'calendars'],
  params: idParams,
  body: hrEventCreateBody,
  response: calendarEventView,
  status: 201,
  admin: true,
  errors: [409],
});
describeRoute({
  operationId: 'updateUserEvent',
  method: 'patch',
  path: '/api/admin/users/:id/events/:eventId',
  summary: "Change an HR event of an HR user's calendars; events from Microsoft 365 are 409",
  tags: ['users', 'calendars'],
  params: eventParams,
  body: hrEventPatchBody,
  response: calendarEventView,
  admin: true,
  errors: [409],
});
describeRoute({
  operationId: 'deleteUserEvent',
  method: 'delete',
  path: '/api/admin/users/:id/events/:eventId',
  summary: "Delete an HR event of an HR user's calendars, in HR and then in Microsoft 365",
  tags: ['users', 'calendars'],
  params: eventParams,
  response: null,
  status: 204,
  admin: true,
  errors: [409],
});
describeRoute({
  operationId: 'getUserEventHistory',
  method: 'get',
  path: '/api/admin/users/:id/events/:eventId/history',
  summary: "An event's earlier versions: what lost a conflict, what Outlook changed or deleted (rule 6.8)",
  tags: ['users', 'calendars'],
  params: eventParams,
  response: eventHistoryView,
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
  const events = (req: Request) => new CalendarEventsService(req.context.repos, (id) => requestSync(id));
  router.post('/:id/events', async (req, res) => {
    res.status(201).json(await events(req).create(params(req, idParams).id, body(req, hrEventCreateBody)));
  });
  router.get('/:id/events/:eventId', async (req, res) => {
    const { id, eventId } = params(req, eventParams);
    res.json(await events(req).get(id, eventId));
  });
  router.patch('/:id/events/:eventId', async (req, res) => {
    const { id, eventId } = params(req, eventParams);
    res.json(await events(req).update(id, eventId, body(req, hrEventPatchBody)));
  });
  router.delete('/:id/events/:eventId', async (req, res) => {
    const { id, eventId } = params(req, eventParams);
    await events(req).delete(id, eventId);
    res.status(204).end();
  });
  router.get('/:id/events/:eventId/history', async (req, res) => {
    const { id, eventId } = params(req, eventParams);
    res.json({ items: await events(req).history(id, eventId) });
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
