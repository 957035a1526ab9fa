import { Router, type Request } from 'express';
import { z } from 'zod';
import type { EntraConnection } from '../../application/entra-connection.js';
import { RoleMappingsService } from '../../application/role-mappings.service.js';
import { RolesService } from '../../application/roles.service.js';
import { whole } from '../../application/page.js';
import { principalOf, requireAdmin } from '../middleware/auth.js';
import { describeRoute } from '../openapi.js';
import { body, params } from '../validation.js';
import { itemsOf, roleMappingView, roleView, userRolesView } from '../response-schemas.js';

const roleName = z.string().trim().min(1).max(128);
const roleBody = z.strictObject({ name: roleName });
const idParams = z.strictObject({ id: z.uuid() });
const userRoleParams = z.strictObject({ id: z.uuid(), roleId: z.uuid() });
const mappingBody = z.strictObject({ groupId: z.guid(), roleId: z.uuid() });
const mappingPatchBody = z.strictObject({ roleId: z.uuid() });
const userRolesBody = z.strictObject({ roles: z.array(roleName).max(50) });

describeRoute({
  operationId: 'listRoles',
  response: itemsOf(roleView),
  method: 'get',
  path: '/api/admin/roles',
  summary: 'HR roles with their holders and mapped groups',
  tags: ['roles'],
  admin: true,
});
describeRoute({
  operationId: 'createRole',
  response: roleView,
  errors: [409],
  method: 'post',
  path: '/api/admin/roles',
  summary: 'Create an HR role (names are unique, case-insensitively)',
  tags: ['roles'],
  body: roleBody,
  status: 201,
  admin: true,
});
describeRoute({
  operationId: 'renameRole',
  response: roleView,
  errors: [409],
  method: 'patch',
  path: '/api/admin/roles/:id',
  summary: 'Rename an HR role (protected roles keep their name)',
  tags: ['roles'],
  params: idParams,
  body: roleBody,
  admin: true,
});
describeRoute({
  operationId: 'listRoleMappings',
  response: itemsOf(roleMappingView),
  method: 'get',
  path: '/api/admin/role-mappings',
  summary: 'Entra group -> HR role mappings',
  tags: ['roles'],
  admin: true,
});
describeRoute({
  operationId: 'createRoleMapping',
  response: roleMappingView,
  errors: [409, 502],
  method: 'post',
  path: '/api/admin/role-mappings',
  summary: 'Map an Entra group to an HR role (never a protected role)',
  tags: ['roles'],
  body: mappingBody,
  status: 201,
  admin: true,
});
describeRoute({
  operationId: 'changeRoleMapping',
  response: roleMappingView,
  errors: [409],
  method: 'patch',
  path: '/api/admin/role-mappings/:id',
  summary: 'Map the group to another role',
  tags: ['roles'],
  params: idParams,
  body: mappingPatchBody,
  admin: true,
});
describeRoute({
  operationId: 'deleteRoleMapping',
  response: null,
  method: 'delete',
  path: '/api/admin/role-mappings/:id',
  summary: 'Remove a mapping; members keep its role as an ordinary role',
  tags: ['roles'],
  params: idParams,
  status: 204,
  admin: true,
});
describeRoute({
  operationId: 'setHrUserRoles',
  response: userRolesView,
  errors: [409],
  method: 'put',
  path: '/api/admin/users/:id/roles',
  summary: "Set an HR user's roles in HR",
  tags: ['roles'],
  params: idParams,
  body: userRolesBody,
  admin: true,
});
describeRoute({
  operationId: 'removeHrUserRole',
  response: userRolesView,
  errors: [409],
  method: 'delete',
  path: '/api/admin/users/:id/roles/:roleId',
  summary: 'Take one role away from an HR user in HR',
  tags: ['roles'],
  params: userRoleParams,
  admin: true,
});

/** Roles, group -> role mappings and users' roles in HR (domain rules section 5). Mounted at /api/admin. */
export function rolesRouter(connection: EntraConnection): Router {
  const router = Router();
  router.use(['/roles', '/role-mappings', '/users/:id/roles'], requireAdmin);
  const roles = (req: Request) => new RolesService(req.context.repos);
  const mappings = (req: Request) => new RoleMappingsService(req.context.repos, connection.groups());
  const actor = (req: Request) => principalOf(req).userId;

  router.get('/roles', async (req, res) => {
    res.json(whole(await roles(req).list()));
  });
  router.post('/roles', async (req, res) => {
    res.status(201).json(await roles(req).create(body(req, roleBody).name, actor(req)));
  });
  router.patch('/roles/:id', async (req, res) => {
    res.json(await roles(req).rename(params(req, idParams).id, body(req, roleBody).name, actor(req)));
  });

  router.get('/role-mappings', async (req, res) => {
    res.json(whole(await mappings(req).list()));
  });
  router.post('/role-mappings', async (req, res) => {
    const { groupId, roleId } = body(req, mappingBody);
    res.status(201).json(await mappings(req).create(groupId, roleId, actor(req)));
  });
  router.patch('/role-mappings/:id', async (req, res) => {
    res.json(await mappings(req).changeRole(params(req, idParams).id, body(req, mappingPatchBody).roleId, actor(req)));
  });
  router.delete('/role-mappings/:id', async (req, res) => {
    await mappings(req).remove(params(req, idParams).id, actor(req));
    res.status(204).end();
  });

  router.put('/users/:id/roles', async (req, res) => {
    res.json(await roles(req).replaceUserRoles(params(req, idParams).id, body(req, userRolesBody).roles, actor(req)));
  });
  router.delete('/users/:id/roles/:roleId', async (req, res) => {
    const { id, roleId } = params(req, userRoleParams);
    res.json(await roles(req).removeUserRole(id, roleId, actor(req)));
  });
  return router;
}
