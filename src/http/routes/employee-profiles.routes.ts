import { Router, type Request } from 'express';
import { z } from 'zod';
import { calendarToday, EmployeeProfilesService } from '../../application/employee-profiles.service.js';
import { isCalendarDate, type CalendarDate } from '../../domain/calendar-date.js';
import { profileInputShape } from '../hr-field.schemas.js';
import { principalOf, requireAdmin } from '../middleware/auth.js';
import { describeRoute } from '../openapi.js';
import { body, params, query } from '../validation.js';
import { employeeProfileView, pageOf } from '../response-schemas.js';

const calendarDate = z.string().refine(isCalendarDate, 'a calendar date YYYY-MM-DD');
// Keys as the attribute mapping's custom targets are written, so a mapped value and a typed one share a name.
const customFields = z
  .record(
    z.string().regex(/^[a-z][A-Za-z0-9_]{0,62}$/, 'a key starting with a lower-case letter'),
    z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]),
  )
  .refine((fields) => Object.keys(fields).length <= 100, 'at most 100 custom fields');

// The catalogued fields a profile holds (src/domain/hr-field.catalogue.ts), then its custom fields.
const fields = { ...profileInputShape(), customFields: customFields.optional() };
const createSchema = z.strictObject(fields);
const patchSchema = z.strictObject(fields).partial();
const listQuery = z.strictObject({
  after: z.string().max(320).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  status: z.enum(['active', 'pending', 'archived']).optional(),
  connected: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  department: z.string().max(128).optional(),
  search: z.string().max(100).optional(),
});
const idParams = z.strictObject({ id: z.uuid() });
const connectBody = z.strictObject({ email: z.email().max(320) });
const resignationBody = z.strictObject({ date: calendarDate.nullable() });

const tags = ['employee-profiles'];
const base = '/api/admin/employee-profiles';
describeRoute({
  operationId: 'createEmployeeProfile',
  method: 'post',
  path: base,
  summary: 'Create an employee profile',
  tags,
  body: createSchema,
  response: employeeProfileView,
  status: 201,
  admin: true,
  errors: [409],
});
describeRoute({
  operationId: 'listEmployeeProfiles',
  method: 'get',
  path: base,
  summary: 'List employee profiles (page on with ?after=<next>)',
  tags,
  query: listQuery,
  response: pageOf(employeeProfileView, z.string()),
  admin: true,
});
describeRoute({
  operationId: 'getEmployeeProfile',
  response: employeeProfileView,
  method: 'get',
  path: `${base}/:id`,
  summary: 'One employee profile',
  tags,
  params: idParams,
  admin: true,
});
describeRoute({
  operationId: 'updateEmployeeProfile',
  response: employeeProfileView,
  errors: [409],
  method: 'patch',
  path: `${base}/:id`,
  summary: 'Edit some fields of an employee profile',
  tags,
  params: idParams,
  body: patchSchema,
  admin: true,
});
describeRoute({
  operationId: 'connectEmployeeProfile',
  response: employeeProfileView,
  errors: [409],
  method: 'post',
  path: `${base}/:id/connect`,
  summary: 'Connect to the HR user with this e-mail',
  tags,
  params: idParams,
  body: connectBody,
  admin: true,
});
describeRoute({
  operationId: 'disconnectEmployeeProfile',
  response: employeeProfileView,
  method: 'post',
  path: `${base}/:id/disconnect`,
  summary: 'Disconnect from its HR user',
  tags,
  params: idParams,
  admin: true,
});
describeRoute({
  operationId: 'setEmployeeResignation',
  response: employeeProfileView,
  method: 'put',
  path: `${base}/:id/resignation`,
  summary: 'Set (or clear with null) the resignation date; archived from that date',
  tags,
  params: idParams,
  body: resignationBody,
  admin: true,
});

export interface EmployeeProfilesRouterDeps {
  /** Today's date in the organisation's time zone; UTC unless given. */
  today?: () => CalendarDate;
}

export function employeeProfilesRouter(deps: EmployeeProfilesRouterDeps = {}): Router {
  const today = deps.today ?? (() => calendarToday());
  const router = Router();
  router.use(requireAdmin);
  const service = (req: Request) => new EmployeeProfilesService(req.context.repos);
  router.post('/', async (req, res) => {
    res.status(201).json(await service(req).create(body(req, createSchema)));
  });
  router.get('/', async (req, res) => {
    res.json(await service(req).list(query(req, listQuery)));
  });
  router.get('/:id', async (req, res) => {
    res.json(await service(req).get(params(req, idParams).id));
  });
  router.patch('/:id', async (req, res) => {
    const { id } = params(req, idParams);
    res.json(await service(req).update(id, body(req, patchSchema)));
  });
  router.post('/:id/connect', async (req, res) => {
    const { id } = params(req, idParams);
    res.json(await service(req).connect(id, body(req, connectBody).email, principalOf(req).userId));
  });
  router.post('/:id/disconnect', async (req, res) => {
    res.json(await service(req).disconnect(params(req, idParams).id, principalOf(req).userId));
  });
  router.put('/:id/resignation', async (req, res) => {
    const { id } = params(req, idParams);
    res.json(await service(req).setResignation(id, body(req, resignationBody).date, today(), principalOf(req).userId));
  });
  return router;
}
