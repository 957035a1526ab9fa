import type { EmulatorContext } from '../emulator-context.js';
import { badRequest, notFound } from '../http/graph-errors.js';
import type { GraphRequest, GraphResponse } from '../http/graph-types.js';
import { contextUrl, jsonResponse, noContent } from '../http/graph-types.js';
import { pageIds } from '../odata/id-pager.js';
import { parseSelect, parseTop } from '../odata/query-options.js';
import type { UserRecord } from '../store/store-types.js';
import { canonicalUserProperty, DEFAULT_USER_PROPERTIES } from '../store/user-schema.js';
import { collectionBody, nextLink, readSkipToken } from './collection-page.js';
import { projectUser } from './user-projection.js';

const DELETED_DEFAULT = [...DEFAULT_USER_PROPERTIES, 'deletedDateTime'];

/**
 * GET /directory/deletedItems/microsoft.graph.user (the cast is required:
 * https://learn.microsoft.com/graph/api/directory-deleteditems-list).
 */
export function listDeletedUsers(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const top = parseTop(req);
  if (!top.ok) return top.response;
  const select = parseSelect(req.query.get('$select'), canonicalUserProperty, 'user');
  if (!select.ok) return select.response;
  const skip = readSkipToken(ctx, req);
  if (skip === 'invalid') return badRequest('Unable to decode the skip token.');
  const page = pageIds(ctx.store.deletedOrder.values(), skip?.a, top.value);
  const value = page.ids.map((id) =>
    projectUser(ctx.store.deletedUsers.get(id) as UserRecord, select.value ?? DELETED_DEFAULT),
  );
  return jsonResponse(
    200,
    collectionBody(
      contextUrl(req, 'users'),
      value,
      page.more ? { nextLink: nextLink(ctx, req, { a: page.ids[page.ids.length - 1] }) } : {},
    ),
  );
}

/**
 * Without the type cast the collection is not supported
 * (https://learn.microsoft.com/graph/api/directory-deleteditems-list).
 */
export function listDeletedItemsWithoutCast(): GraphResponse {
  return badRequest(
    "Type cast is required for the deletedItems collection, e.g. '/directory/deletedItems/microsoft.graph.user'.",
  );
}

export function getDeletedItem(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const id = (req.params['id'] as string).toLowerCase();
  const user = ctx.store.deletedUsers.get(id);
  if (!user) return notFound(id);
  const select = parseSelect(req.query.get('$select'), canonicalUserProperty, 'user');
  if (!select.ok) return select.response;
  return jsonResponse(200, {
    '@odata.context': contextUrl(req, 'directoryObjects/$entity'),
    '@odata.type': '#microsoft.graph.user',
    ...projectUser(user, select.value ?? DELETED_DEFAULT),
  });
}

/**
 * POST /directory/deletedItems/{id}/restore → 200 with the restored object
 * (https://learn.microsoft.com/graph/api/directory-deleteditems-restore).
 */
export function restoreDeletedItem(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const id = (req.params['id'] as string).toLowerCase();
  const deleted = ctx.store.deletedUsers.get(id);
  if (!deleted) return notFound(id);
  const upn = String(deleted.p['userPrincipalName']);
  if (ctx.store.index.lookup('userPrincipalName', upn).length > 0) {
    return badRequest('Another object with the same value for property userPrincipalName already exists.', [
      { target: 'userPrincipalName', code: 'ObjectConflict' },
    ]);
  }
  const user = ctx.store.restoreUser(id) as UserRecord;
  return jsonResponse(200, {
    '@odata.context': contextUrl(req, 'directoryObjects/$entity'),
    '@odata.type': '#microsoft.graph.user',
    ...projectUser(user, undefined),
  });
}

/**
 * DELETE /directory/deletedItems/{id}: permanent delete
 * (https://learn.microsoft.com/graph/api/directory-deleteditems-delete).
 */
export function purgeDeletedItem(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const id = (req.params['id'] as string).toLowerCase();
  if (!ctx.store.deletedUsers.has(id)) return notFound(id);
  ctx.store.hardDeleteUser(id);
  return noContent();
}
