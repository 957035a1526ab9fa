import { Router } from 'express';
import { z } from 'zod';
import { ApiTokensService } from '../../application/api-tokens.service.js';
import { principalOf, requireAdmin } from '../middleware/auth.js';
import { describeRoute, openApiRegistry } from '../openapi.js';
import { body, params, query } from '../validation.js';
import { pageOf } from '../response-schemas.js';
import { TOKEN_SCOPES } from '../../application/ports/api-token.port.js';

const tokenStatus = z.enum(['active', 'expired', 'revoked']);
export const tokenScope = z
  .enum(TOKEN_SCOPES)
  .describe('the surface the token opens: api (the admin API and /api/me) or scim (/scim/v2), never both');
export const tokenView = openApiRegistry.register(
  'ApiToken',
  z.object({
    id: z.uuid(),
    hrUserId: z.uuid(),
    email: z.string(),
    name: z.string(),
    scope: tokenScope,
    bootstrap: z.boolean().describe('the token ADMIN_TOKEN (or DATA_DIR/admin-token) configures'),
    status: tokenStatus,
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    revokedReason: z.enum(['revoked', 'rotated', 'user-deactivated']).nullable(),
  }),
);
const listQuery = z.strictObject({
  userId: z.uuid().optional(),
  scope: tokenScope.optional(),
  status: tokenStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.uuid().optional(),
});
const idParams = z.strictObject({ id: z.uuid() });

describeRoute({
  operationId: 'listApiTokens',
  method: 'get',
  path: '/api/admin/tokens',
  summary:
    'API tokens with their last use and expiry (never the token itself), newest first (page on with ?after=<next>)',
  tags: ['tokens'],
  query: listQuery,
  response: pageOf(tokenView, z.string()),
  admin: true,
});
describeRoute({
  operationId: 'revokeApiToken',
  method: 'delete',
  path: '/api/admin/tokens/:id',
  summary: 'Revoke an API token at once (revoking a revoked token changes nothing)',
  tags: ['tokens'],
  params: idParams,
  response: tokenView,
  admin: true,
});

const regenerateBody = z.strictObject({
  expiresAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('when the new token stops working; the old expiry (if still ahead) when absent'),
});
describeRoute({
  operationId: 'regenerateApiToken',
  method: 'post',
  path: '/api/admin/tokens/:id/regenerate',
  summary:
    'A new token (shown once) in place of this one: same holder, name and scope; the old one stops working at once',
  tags: ['tokens'],
  params: idParams,
  body: regenerateBody,
  response: tokenView.extend({
    token: z.string().describe('the new token: shown this once, stored only as its hash'),
    replaces: z.uuid().describe('the id of the token it replaces, now revoked'),
  }),
  status: 201,
  errors: [404, 409],
  admin: true,
});

/** API tokens across users; a token is issued at POST /api/admin/users/{id}/tokens. */
export function tokensRouter(): Router {
  const router = Router();
  router.use(requireAdmin);
  router.get('/', async (req, res) => {
    const { userId, ...rest } = query(req, listQuery);
    res.json(await new ApiTokensService(req.context.repos).list({ ...rest, ...(userId ? { hrUserId: userId } : {}) }));
  });
  router.post('/:id/regenerate', async (req, res) => {
    const { expiresAt } = body(req, regenerateBody);
    const issued = await new ApiTokensService(req.context.repos).regenerate(
      params(req, idParams).id,
      expiresAt ? { expiresAt: new Date(expiresAt) } : {},
      principalOf(req).userId,
    );
    res.status(201).json(issued);
  });
  router.delete('/:id', async (req, res) => {
    res.json(await new ApiTokensService(req.context.repos).revoke(params(req, idParams).id, principalOf(req).userId));
  });
  return router;
}
