import type { EmulatorContext } from '../emulator-context.js';
import { badRequest, graphError, notFound, notImplemented } from '../http/graph-errors.js';
import type { GraphRequest, GraphResponse } from '../http/graph-types.js';
import { contextUrl, jsonResponse } from '../http/graph-types.js';
import { indexCandidates } from '../odata/filter-evaluator.js';
import { parseMatchOptions } from '../odata/filter-option.js';
import type { MatchOptions } from '../odata/filter-option.js';
import { countIds, pageIds } from '../odata/id-pager.js';
import { isAdvanced, parseExpand, parseSelect, parseTop } from '../odata/query-options.js';
import type { UserRecord } from '../store/store-types.js';
import { canonicalUserProperty, NON_LISTABLE_USER_PROPERTIES, SIGN_IN_ACTIVITY_ROLE } from '../store/user-schema.js';
import { collectionBody, nextLink, readSkipToken } from './collection-page.js';
import { projectUser, withManager } from './user-projection.js';

const selectUsers = (raw: string | undefined) => parseSelect(raw, canonicalUserProperty, 'user');

/**
 * signInActivity without AuditLog.Read.All is a 403 (user-list page,
 * https://learn.microsoft.com/graph/api/user-list?view=graph-rest-1.0; the code and message are as
 * observed in microsoftgraph/microsoft-graph-explorer-v4#2731, Learn does not print them).
 */
function signInActivityRefused(req: GraphRequest, select: readonly string[] | undefined): GraphResponse | undefined {
  if (!select?.includes('signInActivity') || req.caller.roles.includes(SIGN_IN_ACTIVITY_ROLE)) return undefined;
  return graphError(
    403,
    'Authentication_MSGraphPermissionMissing',
    `Calling principal does not have required MSGraph permissions ${SIGN_IN_ACTIVITY_ROLE}`,
  );
}

/**
 * With signInActivity selected a page holds at most 500 users, whatever $top says (same page; it
 * said 120 before 2024, and larger $top values were served in pages of that size).
 */
const SIGN_IN_ACTIVITY_PAGE = 500;

/**
 * With $expand a page of directory objects holds at most 100, whatever $top says: Graph's known issue
 * "$expand on directory objects: returns a maximum of 100 objects"
 * (https://developer.microsoft.com/en-us/graph/known-issues/?search=13635, linked from
 * https://learn.microsoft.com/graph/query-parameters#expand-parameter). The rest comes by nextLink.
 */
export const EXPAND_PAGE = 100;

function usersContext(req: GraphRequest, select: readonly string[] | undefined, entity = false): string {
  const fragment = select ? `users(${select.join(',')})` : 'users';
  return contextUrl(req, entity ? `${fragment}/$entity` : fragment);
}

/** Ids to page over: an index hit for equality filters, otherwise every user in id order. */
function candidateIds(ctx: EmulatorContext, match: MatchOptions): readonly string[] {
  const { store } = ctx;
  const filter = match.filter;
  if (filter?.type === 'func' && filter.name === 'startswith' && filter.prop.toLowerCase() === 'userprincipalname')
    return store.index.startingWith('userPrincipalName', filter.value);
  if (filter) {
    const hit = indexCandidates(filter, (prop, value) => {
      if (prop === 'id') return store.users.has(value.toLowerCase()) ? [value.toLowerCase()] : [];
      if (prop === 'userprincipalname') return store.index.lookup('userPrincipalName', value);
      if (prop === 'mail') return store.index.lookup('mail', value);
      if (prop === 'employeeid') return store.index.lookup('employeeId', value);
      return undefined;
    });
    if (hit) return [...new Set(hit)].sort();
  }
  return store.userOrder.values();
}

/** GET /users (https://learn.microsoft.com/graph/api/user-list, https://learn.microsoft.com/graph/paging). */
export function listUsers(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const top = parseTop(req);
  if (!top.ok) return top.response;
  const select = selectUsers(req.query.get('$select'));
  if (!select.ok) return select.response;
  if (select.value?.some((p) => (NON_LISTABLE_USER_PROPERTIES as readonly string[]).includes(p)))
    return notImplemented();
  const refused = signInActivityRefused(req, select.value);
  if (refused) return refused;
  const expand = parseExpand(req.query.get('$expand'));
  if (!expand.ok) return expand.response;
  const pageSize = Math.min(
    top.value,
    select.value?.includes('signInActivity') ? SIGN_IN_ACTIVITY_PAGE : top.value,
    expand.value ? EXPAND_PAGE : top.value,
  );
  const managerSelect = expand.value?.select === undefined ? undefined : selectUsers(expand.value.select);
  if (managerSelect && !managerSelect.ok) return managerSelect.response;
  const match = parseMatchOptions(req, 'User');
  if (!match.ok) return match.response;
  const skip = readSkipToken(ctx, req);
  if (skip === 'invalid') return badRequest('Unable to decode the skip token.');
  const ids = candidateIds(ctx, match.value);
  const predicate = match.value.predicate;
  const accept = predicate
    ? (id: string): boolean => {
        const u = ctx.store.users.get(id);
        return u !== undefined && predicate(u.p);
      }
    : (id: string): boolean => ctx.store.users.has(id);
  let page: { ids: string[]; more: boolean; state: object };
  if (match.value.orderBy) {
    const sorted = sortedIds(ctx, ids.filter(accept), match.value.orderBy);
    const offset = skip?.o ?? 0;
    page = {
      ids: sorted.slice(offset, offset + pageSize),
      more: offset + pageSize < sorted.length,
      state: { o: offset + pageSize },
    };
  } else {
    const p = pageIds(ids, skip?.a, pageSize, accept);
    page = { ...p, state: { a: p.ids[p.ids.length - 1] } };
  }
  const users = page.ids.map((id) => ctx.store.users.get(id) as UserRecord);
  const value = users.map((u) => {
    const out = projectUser(u, select.value);
    return expand.value ? withManager(out, u, ctx.store, managerSelect?.ok ? managerSelect.value : undefined) : out;
  });
  // @odata.count only with ConsistencyLevel + $count=true, and only on the first page
  // (https://learn.microsoft.com/graph/aad-advanced-queries, https://learn.microsoft.com/graph/paging).
  const count = isAdvanced(req) && skip === undefined ? countIds(ids, accept) : undefined;
  return jsonResponse(
    200,
    collectionBody(usersContext(req, select.value), value, {
      ...(count === undefined ? {} : { count }),
      ...(page.more ? { nextLink: nextLink(ctx, req, page.state) } : {}),
    }),
  );
}

function sortedIds(ctx: EmulatorContext, ids: string[], order: { prop: string; desc: boolean }): string[] {
  const prop = canonicalUserProperty(order.prop) ?? order.prop;
  const key = (id: string): string => String(ctx.store.users.get(id)?.p[prop] ?? '').toLowerCase();
  const sorted = ids
    .map((id) => [key(id), id] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
  const result = sorted.map(([, id]) => id);
  return order.desc ? result.reverse() : result;
}

/** GET /users/{id | userPrincipalName}. */
export function getUser(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const key = req.params['id'] as string;
  const user = ctx.store.getUser(key);
  if (!user) return notFound(key);
  const select = selectUsers(req.query.get('$select'));
  if (!select.ok) return select.response;
  const refused = signInActivityRefused(req, select.value);
  if (refused) return refused;
  const expand = parseExpand(req.query.get('$expand'));
  if (!expand.ok) return expand.response;
  const managerSelect = expand.value?.select === undefined ? undefined : selectUsers(expand.value.select);
  if (managerSelect && !managerSelect.ok) return managerSelect.response;
  const out = projectUser(user, select.value);
  if (expand.value) withManager(out, user, ctx.store, managerSelect?.ok ? managerSelect.value : undefined);
  return jsonResponse(200, { '@odata.context': usersContext(req, select.value, true), ...out });
}

/** GET /users/$count: advanced only, text/plain (https://learn.microsoft.com/graph/aad-advanced-queries). */
export function countUsers(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  if (req.headers['consistencylevel']?.toLowerCase() !== 'eventual')
    return badRequest('$count is not currently supported.');
  const match = parseMatchOptions({ ...req, query: new Map([...req.query, ['$count', 'true']]) }, 'User');
  if (!match.ok) return match.response;
  const predicate = match.value.predicate;
  const ids = candidateIds(ctx, match.value);
  const n = countIds(
    ids,
    predicate
      ? (id) => {
          const u = ctx.store.users.get(id);
          return u !== undefined && predicate(u.p);
        }
      : undefined,
  );
  return { status: 200, body: String(n), contentType: 'text/plain' };
}
