import type { GraphRoute } from './graph-gateway.error.js';

/**
 * Application permissions (app roles) and which higher permissions also satisfy them
 * (the "higher privileged" column of each API page, https://learn.microsoft.com/graph/permissions-reference;
 * they reach us as the token's `roles` claim,
 * https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
 */
const SATISFIED_BY: Readonly<Record<string, readonly string[]>> = {
  'User.Read.All': ['User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  'User.ReadWrite.All': ['Directory.ReadWrite.All'],
  'Group.Read.All': ['Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  'GroupMember.Read.All': [
    'GroupMember.ReadWrite.All',
    'Group.Read.All',
    'Group.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
  ],
  'Calendars.ReadWrite': [],
  'Domain.Read.All': ['Domain.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  'GroupMember.ReadWrite.All': ['Group.ReadWrite.All', 'Directory.ReadWrite.All'],
};

export interface GraphFeatures {
  writeBack: boolean;
  /** Write-back of creations (rule 4.2): it lists the verified domains and adds the new user to a group. */
  createUsers: boolean;
  calendars: boolean;
}

/** Least-privileged permissions the enabled features need, in a stable order. */
export function requiredPermissions(features: GraphFeatures): string[] {
  const required = ['User.Read.All', 'Group.Read.All', 'GroupMember.Read.All'];
  if (features.writeBack) required.push('User.ReadWrite.All');
  // GET /domains (https://learn.microsoft.com/graph/api/domain-list) and POST /groups/{id}/members/$ref
  // (https://learn.microsoft.com/graph/api/group-post-members), docs/graph.md §10.
  if (features.createUsers) required.push('Domain.Read.All', 'GroupMember.ReadWrite.All');
  if (features.calendars) required.push('Calendars.ReadWrite');
  return required;
}

export function isPermissionSatisfied(granted: Iterable<string>, permission: string): boolean {
  const roles = new Set(granted);
  return roles.has(permission) || (SATISFIED_BY[permission] ?? []).some((higher) => roles.has(higher));
}

export function missingPermissions(granted: Iterable<string>, required: readonly string[]): string[] {
  const roles = [...granted];
  return required.filter((permission) => !isPermissionSatisfied(roles, permission));
}

/** Collections whose next segment is an object id. */
const ID_PARENTS = new Set(['users', 'groups', 'directoryObjects', 'deletedItems', 'events', 'calendars']);
const NOT_IDS = /^(delta|\$count|\$ref|\$value|microsoft\.graph\.[A-Za-z.]+)$/;

/**
 * The route of a request URL or path with object ids replaced: `https://host/v1.0/users/abc/manager?x`
 * → `/users/{id}/manager`. Used to name a missing permission and to tag errors.
 */
export function routeOf(method: string, urlOrPath: string): GraphRoute {
  let path = urlOrPath.split('?')[0] ?? '';
  const absolute = /^https:\/\/[^/]+\/(v1\.0|beta)(\/.*)?$/.exec(path);
  if (absolute) path = absolute[2] ?? '/';
  const segments = path.split('/').filter((segment) => segment !== '');
  const templated = segments.map((segment, index) => {
    const parent = segments[index - 1];
    return parent !== undefined && ID_PARENTS.has(parent) && !NOT_IDS.test(segment) ? '{id}' : segment;
  });
  return { method: method.toUpperCase(), path: `/${templated.join('/')}` };
}

/**
 * The least-privileged permission a route needs (its API page's permissions table), to name it in a
 * 403. Undefined when the route is not one the connector calls.
 */
export function permissionForRoute(route: GraphRoute): string | undefined {
  const { method, path } = route;
  const read = method === 'GET' || method === 'HEAD';
  if (/^\/users\/\{id\}\/(calendar|calendars|events|calendarView)/.test(path)) return 'Calendars.ReadWrite';
  if (/^\/groups\/\{id\}\/(members|transitiveMembers)(\/|$)/.test(path) || path.startsWith('/groups/delta')) {
    return read ? 'GroupMember.Read.All' : 'GroupMember.ReadWrite.All';
  }
  if (path === '/domains') return 'Domain.Read.All';
  if (path.startsWith('/groups')) return read ? 'Group.Read.All' : 'Group.ReadWrite.All';
  if (path.startsWith('/users') || path.startsWith('/directory/deletedItems')) {
    return read ? 'User.Read.All' : 'User.ReadWrite.All';
  }
  return undefined;
}
