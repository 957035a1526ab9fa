import type { EmulatorContext } from '../emulator-context.js';
import { badRequest, notFound, parseJsonBody } from '../http/graph-errors.js';
import type { GraphRequest, GraphResponse } from '../http/graph-types.js';
import { contextUrl, jsonResponse, noContent } from '../http/graph-types.js';
import { parseSelect } from '../odata/query-options.js';
import { canonicalUserProperty } from '../store/user-schema.js';
import { projectUser } from './user-projection.js';

/**
 * GET /users/{id}/manager: one directoryObject, or 404 when there is none
 * (https://learn.microsoft.com/graph/api/user-list-manager).
 */
export function getManager(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const key = req.params['id'] as string;
  const user = ctx.store.getUser(key);
  if (!user) return notFound(key);
  const manager = user.managerId === undefined ? undefined : ctx.store.users.get(user.managerId);
  if (!manager) return notFound('manager');
  const select = parseSelect(req.query.get('$select'), canonicalUserProperty, 'user');
  if (!select.ok) return select.response;
  return jsonResponse(200, {
    '@odata.context': contextUrl(req, 'directoryObjects/$entity'),
    '@odata.type': '#microsoft.graph.user',
    ...projectUser(manager, select.value),
  });
}

/** PUT /users/{id}/manager/$ref with `{"@odata.id": ".../users/{managerId}"}` → 204. */
export function putManager(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const key = req.params['id'] as string;
  const user = ctx.store.getUser(key);
  if (!user) return notFound(key);
  const body = parseJsonBody(req.body);
  if (!body.ok) return body.response;
  const ref = body.value['@odata.id'];
  if (typeof ref !== 'string') return badRequest("Property '@odata.id' value is required but is empty or missing.");
  const managerId = /\/(?:users|directoryObjects)\/([^/?]+)\/?$/i.exec(ref)?.[1] ?? ref;
  const manager = ctx.store.getUser(decodeURIComponent(managerId));
  if (!manager) return notFound(managerId);
  if (manager.id === user.id) return badRequest('A user cannot be their own manager.');
  if (syncedRefused(ctx, user.p['onPremisesSyncEnabled'])) return syncedError();
  ctx.store.setManager(user.id, manager.id);
  return noContent();
}

/** DELETE /users/{id}/manager/$ref → 204 (404 "manager" when none). */
export function deleteManager(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const key = req.params['id'] as string;
  const user = ctx.store.getUser(key);
  if (!user) return notFound(key);
  if (user.managerId === undefined) return notFound('manager');
  if (syncedRefused(ctx, user.p['onPremisesSyncEnabled'])) return syncedError();
  ctx.store.setManager(user.id, null);
  return noContent();
}

function syncedRefused(ctx: EmulatorContext, sync: unknown): boolean {
  return sync === true && !ctx.settings.syncedManagerWritable;
}

function syncedError(): GraphResponse {
  return badRequest(
    'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.',
  );
}
