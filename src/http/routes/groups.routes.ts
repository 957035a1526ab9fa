import { Router, type Request } from 'express';
import { z } from 'zod';
import type { EntraConnection } from '../../application/entra-connection.js';
import { SyncedGroupsService } from '../../application/synced-groups.service.js';
import { whole } from '../../application/page.js';
import { principalOf, requireAdmin } from '../middleware/auth.js';
import { describeRoute } from '../openapi.js';
import { body, query } from '../validation.js';
import { groupView, itemsOf } from '../response-schemas.js';

const tenantQuery = z.strictObject({
  search: z.string().trim().min(1).max(120).optional(),
  top: z.coerce.number().int().min(1).max(999).default(100),
});
const replaceBody = z.strictObject({ groupIds: z.array(z.uuid()).max(500) });

describeRoute({
  operationId: 'listTenantGroups',
  response: itemsOf(groupView),
  errors: [409, 502],
  method: 'get',
  path: '/api/admin/groups',
  summary:
    "The tenant's first `top` groups matching `search`, to choose synced groups and mappings from (not paged: narrow the search)",
  tags: ['groups'],
  query: tenantQuery,
  admin: true,
});
describeRoute({
  operationId: 'listSyncedGroups',
  response: itemsOf(groupView),
  method: 'get',
  path: '/api/admin/synced-groups',
  summary: 'The synced groups',
  tags: ['groups'],
  admin: true,
});
describeRoute({
  operationId: 'replaceSyncedGroups',
  response: itemsOf(groupView),
  errors: [409, 502],
  method: 'put',
  path: '/api/admin/synced-groups',
  summary: 'Replace the synced groups',
  tags: ['groups'],
  body: replaceBody,
  admin: true,
});

export function groupsRouter(connection: EntraConnection): Router {
  const router = Router();
  router.use(requireAdmin);
  const service = (req: Request) => new SyncedGroupsService(req.context.repos, connection.groups());
  router.get('/groups', async (req, res) => {
    const { search, top } = query(req, tenantQuery);
    res.json(whole(await service(req).tenantGroups(search, top)));
  });
  router.get('/synced-groups', async (req, res) => {
    res.json(whole(await service(req).list()));
  });
  router.put('/synced-groups', async (req, res) => {
    const { groupIds } = body(req, replaceBody);
    res.json(whole(await service(req).replace(groupIds, principalOf(req).userId)));
  });
  return router;
}
