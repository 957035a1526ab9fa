import { Router } from 'express';
import { z } from 'zod';
import { ApiTokensService } from '../../application/api-tokens.service.js';
import { HrUserDeletionService } from '../../application/hr-user-deletion.service.js';
import { HrUsersService } from '../../application/hr-users.service.js';
import { HrUserEditService } from '../../application/hr-user-edit.service.js';
import { hrUserEditShape } from '../hr-field.schemas.js';
import { principalOf, requireAdmin } from '../middleware/auth.js';
import { describeRoute } from '../openapi.js';
import { notFound } from '../../application/app-error.js';
import { body, params, query } from '../validation.js';
import {
  hrUserDeletionView,
  hrUserDetailView,
  hrUserSummaryView,
  pageOf,
  pictureDownload,
  principalView,
} from '../response-schemas.js';
import { tokenScope, tokenView } from './tokens.routes.js';

const newUserSchema = z.strictObject({
  email: z.email().max(320),
  firstName: z.string().trim().min(1).max(128),
  lastName: z.string().trim().min(1).max(128),
  roles: z.array(z.string().min(1)).max(50).default([]),
});
const listQuery = z.strictObject({
  after: z.string().max(320).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  search: z.string().max(100).optional(),
});
const idParams = z.strictObject({ id: z.uuid() });
const deleteQuery = z.strictObject({
  confirm: z
    .string()
    .max(320)
    .optional()
    .describe("The HR user's e-mail: without it (or with another) nothing is deleted and the 400 says what would be"),
});
// The HR user's own fields (the catalogue's editable ones); fields Entra owns for the user are refused with 409 (rule 8.5).
const userPatchSchema = z
  .strictObject({
    email: z.email().max(320),
    ...hrUserEditShape(),
  })
  .partial();
const tokenBody = z.strictObject({
  name: z.string().trim().min(1).max(128),
  scope: tokenScope.optional().describe('api unless said; a scim token is issued to an administrator only (409)'),
  expiresAt: z.iso
    .datetime({ offset: true, error: 'an ISO 8601 date-time such as 2027-01-31T00:00:00Z' })
    .transform((v) => new Date(v))
    .optional(),
});
const issuedToken = tokenView.extend({ token: z.string().describe('Shown once; only its SHA-256 is stored') });

describeRoute({
  operationId: 'getMe',
  method: 'get',
  path: '/api/me',
  summary: 'Who the token belongs to',
  tags: ['me'],
  response: principalView,
});
describeRoute({
  operationId: 'getMyProfile',
  method: 'get',
  path: '/api/me/profile',
  summary: "The caller's own HR user: each field with its value, where it came from, and whether Entra owns it",
  tags: ['me'],
  response: hrUserDetailView,
});
describeRoute({
  operationId: 'createHrUser',
  method: 'post',
  path: '/api/admin/users',
  summary: 'Create an HR user in HR',
  tags: ['users'],
  body: newUserSchema,
  response: hrUserSummaryView,
  status: 201,
  admin: true,
  errors: [409],
});
describeRoute({
  operationId: 'listHrUsers',
  method: 'get',
  path: '/api/admin/users',
  summary: 'List HR users by e-mail (page on with ?after=<next>)',
  tags: ['users'],
  query: listQuery,
  response: pageOf(hrUserSummaryView, z.string()),
  admin: true,
});
describeRoute({
  operationId: 'getHrUser',
  response: hrUserDetailView,
  method: 'get',
  path: '/api/admin/users/:id',
  summary: 'One HR user: each field with its value, where it came from, when it changed, and whether Entra owns it',
  tags: ['users'],
  params: idParams,
  admin: true,
});
describeRoute({
  operationId: 'updateHrUser',
  response: hrUserDetailView.extend({ changed: z.array(z.string()).describe('The fields this request changed') }),
  errors: [409],
  method: 'patch',
  path: '/api/admin/users/:id',
  summary:
    "Edit an HR user's HR-owned fields; a field Entra owns for this user is refused with 409 and the reason (rule 8.5), and nothing changes",
  tags: ['users'],
  params: idParams,
  body: userPatchSchema,
  admin: true,
});
describeRoute({
  operationId: 'deleteHrUser',
  response: hrUserDeletionView,
  errors: [409],
  method: 'delete',
  path: '/api/admin/users/:id',
  summary:
    "Delete an HR user (cannot be undone; ?confirm=<its e-mail>); with write-back of deletions on, its Entra user goes to Entra's deleted users (rule 4.3)",
  tags: ['users'],
  params: idParams,
  query: deleteQuery,
  admin: true,
});
describeRoute({
  operationId: 'getHrUserPicture',
  response: pictureDownload,
  method: 'get',
  path: '/api/admin/users/:id/picture',
  summary: 'The profile picture copied from Entra (rule 2.5)',
  tags: ['users'],
  params: idParams,
  admin: true,
});
describeRoute({
  operationId: 'issueApiToken',
  response: issuedToken,
  method: 'post',
  path: '/api/admin/users/:id/tokens',
  summary:
    'Issue an API token for an HR user (shown once), optionally expiring; scope scim makes the token Entra provisioning sends to /scim/v2',
  tags: ['users', 'tokens'],
  params: idParams,
  body: tokenBody,
  status: 201,
  admin: true,
  errors: [409],
});

export function meRouter(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const { tokenId: _token, tokenExpiresAt: _expires, ...me } = principalOf(req);
    res.json(me);
  });
  router.get('/profile', async (req, res) => {
    const user = await new HrUsersService(req.context.repos).detail(principalOf(req).userId);
    if (!user) throw notFound('HR user');
    res.json(user);
  });
  return router;
}

export function usersRouter(): Router {
  const router = Router();
  router.use(requireAdmin);
  router.post('/', async (req, res) => {
    const user = await new HrUsersService(req.context.repos).create(body(req, newUserSchema), principalOf(req).userId);
    res.status(201).json(user);
  });
  router.get('/', async (req, res) => {
    res.json(await new HrUsersService(req.context.repos).list(query(req, listQuery)));
  });
  router.get('/:id', async (req, res) => {
    const user = await new HrUsersService(req.context.repos).detail(params(req, idParams).id);
    if (!user) throw notFound('HR user');
    res.json(user);
  });
  router.patch('/:id', async (req, res) => {
    const { id } = params(req, idParams);
    const { changed } = await new HrUserEditService(req.context.repos).update(
      id,
      body(req, userPatchSchema),
      principalOf(req).userId,
    );
    res.json({ ...(await new HrUsersService(req.context.repos).detail(id)), changed });
  });
  router.delete('/:id', async (req, res) => {
    const { id } = params(req, idParams);
    const { confirm } = query(req, deleteQuery);
    res.json(await new HrUserDeletionService(req.context.repos).delete(id, confirm, principalOf(req).userId));
  });
  router.get('/:id/picture', async (req, res) => {
    const picture = await new HrUsersService(req.context.repos).picture(params(req, idParams).id);
    if (!picture) throw notFound('Picture');
    res.type(picture.contentType).send(picture.bytes);
  });
  router.post('/:id/tokens', async (req, res) => {
    const { id } = params(req, idParams);
    const { name, scope, expiresAt } = body(req, tokenBody);
    res
      .status(201)
      .json(
        await new ApiTokensService(req.context.repos).issue(
          id,
          { name, ...(scope ? { scope } : {}), ...(expiresAt ? { expiresAt } : {}) },
          principalOf(req).userId,
        ),
      );
  });
  return router;
}
