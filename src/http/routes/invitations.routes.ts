import { Router, type Request } from 'express';
import { z } from 'zod';
import { InvitationsService } from '../../application/invitations.service.js';
import { INVITATION_STATUSES } from '../../domain/invitation.js';
import type { JobQueue } from '../../jobs/job-registry.js';
import { principalOf, requireAdmin } from '../middleware/auth.js';
import { describeRoute, openApiRegistry } from '../openapi.js';
import { pageOf } from '../response-schemas.js';
import { body, query } from '../validation.js';

const timestamp = z.string().describe('ISO 8601 date-time in UTC with milliseconds and a Z');

export const invitationView = openApiRegistry.register(
  'Invitation',
  z.object({
    hrUserId: z.uuid(),
    email: z.string().describe('The address it was sent (or is due) to'),
    displayName: z.string().nullable(),
    status: z.enum(INVITATION_STATUSES).describe('pending: due; sent: the mail server took it; failed: it refused'),
    requestedAt: timestamp.describe('When it became due: the user was created, or an admin asked'),
    requestedBy: z.uuid().nullable().describe('The admin who asked; null when due because the user was created'),
    sentAt: timestamp.nullable().describe('The last time the mail server took it'),
    sendCount: z.number().int(),
    lastError: z.string().nullable().describe('What the mail server said when it refused'),
    signedInAt: timestamp.nullable().describe('The first sign-in to the web app after an invitation'),
  }),
);

const statusList = z
  .string()
  .max(100)
  .transform((value) => value.split(','))
  .pipe(z.array(z.enum(INVITATION_STATUSES)));
const listQuery = z.strictObject({
  status: statusList.optional().describe(`Comma-separated: ${INVITATION_STATUSES.join(', ')}`),
  search: z.string().trim().min(1).max(200).optional().describe('Part of the e-mail address or name'),
  after: z.string().max(100).optional().describe('The `next` of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const requestBody = z.strictObject({
  hrUserIds: z.array(z.uuid()).min(1).max(500).describe('HR users to invite, or to invite again'),
});
const requestAnswer = z.object({
  requested: z.array(z.uuid()).describe('Invited (again): the e-mail goes out within a minute'),
  refused: z.array(
    z.object({
      hrUserId: z.uuid(),
      reason: z.enum(['not-found', 'inactive']).describe('No such HR user, or a deactivated one (cannot sign in)'),
    }),
  ),
});

describeRoute({
  operationId: 'listInvitations',
  response: pageOf(invitationView, z.string()),
  method: 'get',
  path: '/api/admin/invitations',
  summary: 'Who was invited to sign in, when, whether it was sent and whether they have signed in since (rule 8.4)',
  tags: ['invitations'],
  query: listQuery,
  admin: true,
});
describeRoute({
  operationId: 'requestInvitations',
  response: requestAnswer,
  status: 202,
  errors: [409],
  method: 'post',
  path: '/api/admin/invitations',
  summary:
    'Invite these HR users, or invite them again: sent within a minute. 409 while invitations are off (settings: invitations)',
  tags: ['invitations'],
  body: requestBody,
  admin: true,
});

/** Invitations to sign in (docs/rules.md §8.4). */
export function invitationsRouter(queue: Pick<JobQueue, 'now'>): Router {
  const router = Router();
  router.use(requireAdmin);
  const service = (req: Request) => new InvitationsService(req.context.repos);
  router.get('/', async (req, res) => {
    res.json(await service(req).list(query(req, listQuery)));
  });
  router.post('/', async (req, res) => {
    const result = await service(req).request(body(req, requestBody).hrUserIds, principalOf(req).userId);
    if (result.requested.length > 0) await queue.now('invitations-send', {});
    res.status(202).json(result);
  });
  return router;
}
