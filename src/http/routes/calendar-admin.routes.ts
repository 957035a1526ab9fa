import { Router, type Request } from 'express';
import { z } from 'zod';
import { CalendarsService } from '../../application/calendars.service.js';
import { requireAdmin } from '../middleware/auth.js';
import { describeRoute } from '../openapi.js';
import { body, params } from '../validation.js';
import { adminOptionsBody, calendarOptions, calendarStatusView } from './calendar.schemas.js';

const idParams = z.strictObject({ id: z.uuid() });

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

/** The admin's view of each HR user's calendar sync (docs/rules.md §6). */
export function calendarAdminRouter(requestSync: (hrUserId: string, manual?: boolean) => Promise<void>): Router {
  const router = Router();
  router.use(requireAdmin);
  const service = (req: Request, manual = false) =>
    new CalendarsService(req.context.repos, (id) => requestSync(id, manual));
  router.get('/:id/calendar', async (req, res) => {
    res.json(await service(req).status(params(req, idParams).id));
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
