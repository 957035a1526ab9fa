import type { EmulatorContext } from '../emulator-context.js';
import { badRequest, invalidObjectId, notFound, parseJsonBody, unsupportedQuery } from '../http/graph-errors.js';
import type { GraphRequest, GraphResponse } from '../http/graph-types.js';
import { contextUrl, jsonResponse, noContent } from '../http/graph-types.js';
import { isGuid } from '../core/prng.js';
import { parseMatchOptions } from '../odata/filter-option.js';
import { countIds, pageIds } from '../odata/id-pager.js';
import { isAdvanced, parseSelect, parseTop } from '../odata/query-options.js';
import { canonicalGroupProperty } from '../store/group-schema.js';
import type { GroupRecord } from '../store/store-types.js';
import { collectionBody, nextLink, readSkipToken } from './collection-page.js';
import { projectGroup, projectMember } from './directory-object-projection.js';

const anyProperty = (name: string): string => name;
const selectGroups = (raw: string | undefined) => parseSelect(raw, canonicalGroupProperty, 'group');

/** GET /groups with $select, $filter, $top and paging (https://learn.microsoft.com/graph/api/group-list). */
export function listGroups(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const top = parseTop(req);
  if (!top.ok) return top.response;
  const select = selectGroups(req.query.get('$select'));
  if (!select.ok) return select.response;
  const match = parseMatchOptions(req, 'Group');
  if (!match.ok) return match.response;
  const skip = readSkipToken(ctx, req);
  if (skip === 'invalid') return badRequest('Unable to decode the skip token.');
  const predicate = match.value.predicate;
  const accept = (id: string): boolean => {
    const g = ctx.store.groups.get(id);
    return g !== undefined && (!predicate || predicate(g.p));
  };
  const ids = ctx.store.groups.order.values();
  const page = pageIds(ids, skip?.a, top.value, accept);
  const value = page.ids.map((id) => projectGroup(ctx.store.groups.get(id) as GroupRecord, select.value));
  const count = isAdvanced(req) && skip === undefined ? countIds(ids, accept) : undefined;
  const fragment = select.value ? `groups(${select.value.join(',')})` : 'groups';
  return jsonResponse(
    200,
    collectionBody(contextUrl(req, fragment), value, {
      ...(count === undefined ? {} : { count }),
      ...(page.more ? { nextLink: nextLink(ctx, req, { a: page.ids[page.ids.length - 1] }) } : {}),
    }),
  );
}

/**
 * Non-GUID ids are a 400, unknown GUIDs a 404 (https://learn.microsoft.com/graph/api/group-get; the 400 is
 * what Graph answers, not documented).
 */
function findGroup(ctx: EmulatorContext, raw: string): GroupRecord | GraphResponse {
  if (!isGuid(raw)) return invalidObjectId(raw);
  return ctx.store.groups.get(raw) ?? notFound(raw);
}

export function getGroup(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const group = findGroup(ctx, req.params['id'] as string);
  if (!('members' in group)) return group;
  const select = selectGroups(req.query.get('$select'));
  if (!select.ok) return select.response;
  const fragment = select.value ? `groups(${select.value.join(',')})/$entity` : 'groups/$entity';
  return jsonResponse(200, { '@odata.context': contextUrl(req, fragment), ...projectGroup(group, select.value) });
}

/**
 * GET /groups/{id}/members and /transitiveMembers, optionally cast to one type (`/microsoft.graph.user`); a
 * cast on transitiveMembers is an advanced query
 * (https://learn.microsoft.com/graph/api/group-list-transitivemembers).
 */
export function listMembers(
  ctx: EmulatorContext,
  req: GraphRequest,
  transitive: boolean,
  cast?: string,
): GraphResponse {
  const group = findGroup(ctx, req.params['id'] as string);
  if (!('members' in group)) return group;
  const castType = cast?.toLowerCase().replace(/^microsoft\.graph\./, '');
  if (castType && !['user', 'group', 'device', 'serviceprincipal', 'orgcontact'].includes(castType)) {
    return badRequest(`Cast to type '${cast}' is not supported.`);
  }
  const advanced = isAdvanced(req);
  if (transitive && castType && !advanced) {
    return unsupportedQuery(
      'OData cast on transitive members requires ConsistencyLevel:eventual header and $count=true query parameter. Refer to https://aka.ms/graph-docs/advanced-queries for more information',
    );
  }
  const top = parseTop(req);
  if (!top.ok) return top.response;
  const select = parseSelect(req.query.get('$select'), anyProperty, 'directoryObject');
  if (!select.ok) return select.response;
  const skip = readSkipToken(ctx, req);
  if (skip === 'invalid') return badRequest('Unable to decode the skip token.');
  const ids = transitive ? ctx.store.groups.transitiveMembers(group.id) : group.members.values();
  const accept = castType ? (id: string): boolean => ctx.store.memberTypeOf(id)?.toLowerCase() === castType : undefined;
  const page = pageIds(ids, skip?.a, top.value, accept);
  const value = page.ids.map((id) => projectMember(ctx.store, id, select.value)).filter((m) => m !== undefined);
  const count = advanced && skip === undefined ? countIds(ids, accept) : undefined;
  const fragment = castType === 'user' ? 'users' : castType === 'group' ? 'groups' : 'directoryObjects';
  return jsonResponse(
    200,
    collectionBody(contextUrl(req, fragment), value, {
      ...(count === undefined ? {} : { count }),
      ...(page.more ? { nextLink: nextLink(ctx, req, { a: page.ids[page.ids.length - 1] }) } : {}),
    }),
  );
}

/**
 * POST /groups/{id}/members/$ref with `{"@odata.id": ".../directoryObjects/{id}"}` → 204; a member
 * already there is a 400 (https://learn.microsoft.com/graph/api/group-post-members).
 */
export function addMemberRef(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const groupId = req.params['id'] as string;
  const group = ctx.store.groups.get(groupId);
  if (!group) return notFound(groupId);
  const body = parseJsonBody(req.body);
  if (!body.ok) return body.response;
  const ref = body.value['@odata.id'];
  if (typeof ref !== 'string') return badRequest("Property '@odata.id' value is required but is empty or missing.");
  const memberId = decodeURIComponent(/\/(?:users|groups|directoryObjects)\/([^/?]+)\/?$/i.exec(ref)?.[1] ?? ref);
  if (!ctx.store.getUser(memberId) && !ctx.store.groups.get(memberId)) return notFound(memberId);
  if (!ctx.store.groups.addMember(group.id, memberId))
    return badRequest(
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
  return noContent();
}
