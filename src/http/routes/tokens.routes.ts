import { Router } from 'express';
import { z } from 'zod';
import { ApiTokensService } from '../../application/api-tokens.service.js';
import { principalOf, requireAdmin } from '../middleware/auth.js';
import { describeRoute, openApiRegistry } from '../openapi.js';
import { params, query } from '../validation.js';
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

/** API tokens across users; a token is issued at POST /api/admin/users/{id}/tokens. */
export function tokensRouter(): Router {
  const router = Router();
  router.use(requireAdmin);
  router.get('/', async (req, res) => {
    const { userId, ...rest } = query(req, listQuery);
    res.json(await new ApiTokensService(req.context.repos).list({ ...rest, ...(userId ? { hrUserId: userId } : {}) }));
  });
  router.delete('/:id', async (req, res) => {
    res.json(await new ApiTokensService(req.context.repos).revoke(params(req, idParams).id, principalOf(req).userId));
  });
  return router;
}
