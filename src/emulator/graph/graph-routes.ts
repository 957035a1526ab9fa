import type { EmulatorContext } from '../emulator-context.js';
import { RouteTable } from '../http/route-table.js';
import type { RouteCost, RouteHandler } from '../http/route-table.js';
import type { GraphRequest } from '../http/graph-types.js';
import { addCalendarRoutes } from '../calendar/calendar-routes.js';
import { runBatch } from './batch.routes.js';
import type { Dispatch } from './batch.routes.js';
import * as deleted from './deleted-items.routes.js';
import { listDomains } from './domains.routes.js';
import { addMemberRef, getGroup, listGroups, listMembers } from './groups.routes.js';
import { groupsDelta } from './groups-delta.routes.js';
import { deleteManager, getManager, putManager } from './manager.routes.js';
import { getPhotoMetadata, getPhotoValue, putPhotoValue } from './photo.routes.js';
import { createUser, deleteUser, updateUser } from './user-writes.routes.js';
import { countUsers, getUser, listUsers } from './users.routes.js';
import { usersDelta } from './users-delta.routes.js';

/**
 * Sufficient application permissions per operation (the "higher privileged" column included,
 * https://learn.microsoft.com/graph/permissions-reference).
 */
const USER_READ = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const USER_WRITE = ['User.ReadWrite.All', 'Directory.ReadWrite.All'];
const GROUP_READ = ['Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const MEMBER_READ = ['GroupMember.Read.All', 'GroupMember.ReadWrite.All', ...GROUP_READ];
const MEMBER_WRITE = ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'];
const DOMAIN_READ = ['Domain.Read.All', 'Domain.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const PHOTO_READ = [...USER_READ, 'ProfilePhoto.Read.All', 'ProfilePhoto.ReadWrite.All'];
const PHOTO_WRITE = [...USER_WRITE, 'ProfilePhoto.ReadWrite.All'];

/**
 * Base resource units (https://learn.microsoft.com/graph/throttling-limits); `users/delta` is not listed
 * there and is counted like `users`.
 */
const read = (ru: number): RouteCost => ({ ru, write: false });
const WRITE: RouteCost = { ru: 1, write: true };

const DELTA_SEGMENTS = ['delta', 'delta()', 'microsoft.graph.delta', 'microsoft.graph.delta()'];

/** The Graph v1.0 surface the emulator serves. More specific paths come before `:id` catch-alls. */
export function buildGraphRoutes(ctx: EmulatorContext, dispatch: Dispatch): RouteTable {
  const h =
    (fn: (c: EmulatorContext, r: GraphRequest) => ReturnType<RouteHandler>): RouteHandler =>
    (r) =>
      fn(ctx, r);
  const t = new RouteTable();
  t.add({
    method: 'POST',
    pattern: '/$batch',
    roles: [],
    cost: { ru: 0, write: false },
    handler: (r) => runBatch(ctx, r, dispatch),
  });
  // `/delta` is short for `/microsoft.graph.delta`, and the SDKs send the function call form with `()`
  // (https://learn.microsoft.com/graph/delta-query-users): all four spellings are one route.
  for (const name of DELTA_SEGMENTS) {
    t.add({
      method: 'GET',
      pattern: `/users/${name}`,
      roles: USER_READ,
      cost: read(2),
      refusesSkip: true,
      handler: h(usersDelta),
    });
  }
  t.add({ method: 'GET', pattern: '/users/$count', roles: USER_READ, cost: read(1), handler: h(countUsers) });
  t.add({
    method: 'GET',
    pattern: '/users',
    roles: USER_READ,
    cost: read(2),
    refusesSkip: true,
    handler: h(listUsers),
  });
  t.add({ method: 'POST', pattern: '/users', roles: USER_WRITE, cost: WRITE, handler: h(createUser) });
  t.add({ method: 'GET', pattern: '/users/:id', roles: USER_READ, cost: read(1), handler: h(getUser) });
  t.add({ method: 'PATCH', pattern: '/users/:id', roles: USER_WRITE, cost: WRITE, handler: h(updateUser) });
  t.add({ method: 'DELETE', pattern: '/users/:id', roles: USER_WRITE, cost: WRITE, handler: h(deleteUser) });
  t.add({ method: 'GET', pattern: '/users/:id/manager', roles: USER_READ, cost: read(1), handler: h(getManager) });
  t.add({ method: 'PUT', pattern: '/users/:id/manager/$ref', roles: USER_WRITE, cost: WRITE, handler: h(putManager) });
  t.add({
    method: 'DELETE',
    pattern: '/users/:id/manager/$ref',
    roles: USER_WRITE,
    cost: WRITE,
    handler: h(deleteManager),
  });
  t.add({ method: 'GET', pattern: '/users/:id/photo', roles: PHOTO_READ, cost: read(1), handler: h(getPhotoMetadata) });
  t.add({
    method: 'GET',
    pattern: '/users/:id/photo/$value',
    roles: PHOTO_READ,
    cost: read(1),
    handler: h(getPhotoValue),
  });
  t.add({
    method: 'PUT',
    pattern: '/users/:id/photo/$value',
    roles: PHOTO_WRITE,
    cost: WRITE,
    handler: h(putPhotoValue),
  });
  t.add({
    method: 'PATCH',
    pattern: '/users/:id/photo/$value',
    roles: PHOTO_WRITE,
    cost: WRITE,
    handler: h(putPhotoValue),
  });
  t.add({
    method: 'GET',
    pattern: '/directory/deletedItems/microsoft.graph.user',
    roles: USER_READ,
    cost: read(1),
    refusesSkip: true,
    handler: h(deleted.listDeletedUsers),
  });
  t.add({
    method: 'GET',
    pattern: '/directory/deletedItems',
    roles: USER_READ,
    cost: read(1),
    handler: () => deleted.listDeletedItemsWithoutCast(),
  });
  t.add({
    method: 'GET',
    pattern: '/directory/deletedItems/:id',
    roles: USER_READ,
    cost: read(1),
    handler: h(deleted.getDeletedItem),
  });
  t.add({
    method: 'DELETE',
    pattern: '/directory/deletedItems/:id',
    roles: USER_WRITE,
    cost: WRITE,
    handler: h(deleted.purgeDeletedItem),
  });
  t.add({
    method: 'POST',
    pattern: '/directory/deletedItems/:id/restore',
    roles: USER_WRITE,
    cost: WRITE,
    handler: h(deleted.restoreDeletedItem),
  });
  for (const name of DELTA_SEGMENTS) {
    t.add({
      method: 'GET',
      pattern: `/groups/${name}`,
      roles: MEMBER_READ,
      cost: read(2),
      refusesSkip: true,
      handler: h(groupsDelta),
    });
  }
  t.add({
    method: 'GET',
    pattern: '/groups',
    roles: GROUP_READ,
    cost: read(1),
    refusesSkip: true,
    handler: h(listGroups),
  });
  t.add({ method: 'GET', pattern: '/groups/:id', roles: GROUP_READ, cost: read(1), handler: h(getGroup) });
  t.add({
    method: 'GET',
    pattern: '/groups/:id/members',
    roles: MEMBER_READ,
    cost: read(3),
    refusesSkip: true,
    handler: (r) => listMembers(ctx, r, false),
  });
  // https://learn.microsoft.com/graph/api/group-post-members
  t.add({
    method: 'POST',
    pattern: '/groups/:id/members/$ref',
    roles: MEMBER_WRITE,
    cost: WRITE,
    handler: h(addMemberRef),
  });
  t.add({
    method: 'GET',
    pattern: '/groups/:id/members/:cast',
    roles: MEMBER_READ,
    cost: read(3),
    refusesSkip: true,
    handler: (r) => listMembers(ctx, r, false, r.params['cast']),
  });
  t.add({
    method: 'GET',
    pattern: '/groups/:id/transitiveMembers',
    roles: MEMBER_READ,
    cost: read(5),
    refusesSkip: true,
    handler: (r) => listMembers(ctx, r, true),
  });
  t.add({
    method: 'GET',
    pattern: '/groups/:id/transitiveMembers/:cast',
    roles: MEMBER_READ,
    cost: read(5),
    refusesSkip: true,
    handler: (r) => listMembers(ctx, r, true, r.params['cast']),
  });
  // https://learn.microsoft.com/graph/api/domain-list
  t.add({ method: 'GET', pattern: '/domains', roles: DOMAIN_READ, cost: read(1), handler: h(listDomains) });
  addCalendarRoutes(t, ctx);
  return t;
}
