import { Router, type Request } from 'express';
import { z } from 'zod';
import { WRITE_BACK_STATUSES } from '../../application/ports/write-back.port.js';
import { WriteBackOutboxService } from '../../application/write-back-outbox.service.js';
import { principalOf, requireAdmin } from '../middleware/auth.js';
import { describeRoute, openApiRegistry } from '../openapi.js';
import type { EntraConnection } from '../../application/entra-connection.js';
import { whole } from '../../application/page.js';
import { itemsOf, pageOf } from '../response-schemas.js';
import { params, query } from '../validation.js';

const timestamp = z.string().describe('ISO 8601 date-time in UTC with milliseconds and a Z');
const changeId = z.string().regex(/^[1-9]\d{0,17}$/, 'a change id (a decimal number)');

export const writeBackChangeView = openApiRegistry.register(
  'WriteBackChange',
  z.object({
    id: z.string().describe('The change id (a decimal number)'),
    action: z.enum(['update', 'create', 'delete']),
    hrUserId: z.uuid().nullable(),
    entraId: z.string().nullable(),
    email: z.string().nullable(),
    fields: z.array(z.string()).describe('The HR fields an update names'),
    status: z.enum(WRITE_BACK_STATUSES),
    attempts: z.number().int(),
    reason: z
      .string()
      .nullable()
      .describe('Why it was skipped, failed or cancelled, or what a sent change left out (rule 4.4)'),
    errorCode: z.string().nullable().describe("Graph's error code when Graph refused it"),
    errorStatus: z.number().int().nullable(),
    result: z.record(z.string(), z.unknown()).nullable(),
    drainId: z.uuid().nullable().describe('The drain pass that settled it'),
    createdAt: timestamp,
    notBefore: timestamp.describe('A pending change is not sent before (Graph asked to wait)'),
    settledAt: timestamp.nullable(),
  }),
);

const statusList = z
  .string()
  .max(200)
  .transform((value) => value.split(','))
  .pipe(z.array(z.enum(WRITE_BACK_STATUSES)));
const changesQuery = z.strictObject({
  status: statusList.optional().describe(`Comma-separated: ${WRITE_BACK_STATUSES.join(', ')}`),
  action: z.enum(['update', 'create', 'delete']).optional(),
  hrUserId: z.uuid().optional(),
  after: changeId.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const changeParams = z.strictObject({ id: changeId });

describeRoute({
  operationId: 'listWriteBackChanges',
  response: pageOf(writeBackChangeView, z.string()),
  method: 'get',
  path: '/api/admin/write-back/changes',
  summary:
    "Write-back's outbox, newest first: pending, sent, skipped, failed, cancelled and discarded changes with their reasons (page on with ?after=<next>)",
  tags: ['write-back'],
  query: changesQuery,
  admin: true,
});
describeRoute({
  operationId: 'retryWriteBackChange',
  response: writeBackChangeView,
  errors: [409],
  method: 'post',
  path: '/api/admin/write-back/changes/:id/retry',
  summary: 'Send a failed, skipped or cancelled change again (its toggle must be on); the drain takes it at once',
  tags: ['write-back'],
  params: changeParams,
  admin: true,
});
describeRoute({
  operationId: 'discardWriteBackChange',
  response: writeBackChangeView,
  errors: [409],
  method: 'post',
  path: '/api/admin/write-back/changes/:id/discard',
  summary: 'Never send a pending or failed change',
  tags: ['write-back'],
  params: changeParams,
  admin: true,
});

describeRoute({
  operationId: 'listVerifiedDomains',
  response: itemsOf(z.string().describe('A verified domain name')),
  errors: [409, 502],
  method: 'get',
  path: '/api/admin/write-back/domains',
  summary:
    "The tenant's verified domains, the default first: settings writeBackCreateDomain takes one for the users write-back creates in Entra (rule 4.2)",
  tags: ['write-back'],
  admin: true,
});

/** Write-back's outbox for the admin (docs/rules.md §4). */
export function writeBackRouter(connection: EntraConnection): Router {
  const router = Router();
  router.use(requireAdmin);
  const service = (req: Request) => new WriteBackOutboxService(req.context.repos);
  router.get('/domains', async (req, res) => {
    res.json(whole(await service(req).verifiedDomains(connection.userWrites())));
  });
  router.get('/changes', async (req, res) => {
    res.json(await service(req).list(query(req, changesQuery)));
  });
  router.post('/changes/:id/retry', async (req, res) => {
    res.json(await service(req).retry(params(req, changeParams).id, principalOf(req).userId));
  });
  router.post('/changes/:id/discard', async (req, res) => {
    res.json(await service(req).discard(params(req, changeParams).id, principalOf(req).userId));
  });
  return router;
}
