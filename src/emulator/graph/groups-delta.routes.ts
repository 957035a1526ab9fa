import type { EmulatorContext } from '../emulator-context.js';
import type { GraphRequest, GraphResponse } from '../http/graph-types.js';
import { contextUrl, jsonResponse } from '../http/graph-types.js';
import { firstIndexAfter } from '../odata/id-pager.js';
import { canonicalGroupProperty } from '../store/group-schema.js';
import type { ChangeEntry, GroupRecord } from '../store/store-types.js';
import { readChangeWindow } from './change-window.js';
import type { DeltaPosition } from './delta-request.js';
import { startDelta } from './delta-request.js';
import { deltaLinkFor, prefersMinimal } from './delta-state.js';
import { ODATA_TYPES } from './directory-object-projection.js';

const GROUPS_PER_PAGE = 100;
/**
 * Members per page; a larger group is split and repeated across pages
 * (https://learn.microsoft.com/graph/delta-query-groups).
 */
export const MEMBERS_PER_PAGE = 500;

/** GET /groups/delta (https://learn.microsoft.com/graph/api/group-delta). */
export function groupsDelta(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const start = startDelta(ctx, req, 'g', canonicalGroupProperty);
  if (!start.ok) return start.response;
  const { position } = start;
  const context = contextUrl(
    req,
    position.sel ? `groups(${position.sel.filter((p) => p !== 'id').join(',')})` : 'groups',
  );
  if (start.latest) {
    return jsonResponse(200, {
      '@odata.context': context,
      '@odata.deltaLink': deltaLinkFor(ctx, req, position, 'delta'),
      value: [],
    });
  }
  const minimal = prefersMinimal(req);
  const page = position.ph === 'i' ? initialPage(ctx, position) : changesPage(ctx, position, minimal);
  const link = page.next
    ? { '@odata.nextLink': deltaLinkFor(ctx, req, page.next, 'next') }
    : {
        '@odata.deltaLink': deltaLinkFor(
          ctx,
          req,
          {
            ...position,
            ph: 'c',
            s: page.doneSeq,
            t: undefined,
            c: undefined,
            a: undefined,
            pg: undefined,
            m: undefined,
          },
          'delta',
        ),
      };
  return jsonResponse(200, { '@odata.context': context, ...link, value: page.value });
}

interface Page {
  value: Record<string, unknown>[];
  next?: DeltaPosition;
  doneSeq: number;
}

const tracksMembers = (sel: readonly string[] | null): boolean => !sel || sel.includes('members');

function groupProps(
  group: GroupRecord,
  sel: readonly string[] | null,
  only?: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = sel ?? Object.keys(group.p);
  for (const prop of props) {
    if (prop === 'members' || prop === 'id' || (only && !only.has(prop))) continue;
    const value = group.p[prop];
    if (value !== undefined) out[prop] = value;
    else if (only) out[prop] = null;
  }
  out['id'] = group.id;
  return out;
}

function memberRef(ctx: EmulatorContext, id: string): Record<string, unknown> {
  return { '@odata.type': ODATA_TYPES[ctx.store.memberTypeOf(id) ?? 'user'], id };
}

/** Initial round: every group with all its members, large member lists split across pages. */
function initialPage(ctx: EmulatorContext, pos: DeltaPosition): Page {
  const ids = pos.f ? [...pos.f].sort() : ctx.store.groups.order.values();
  const value: Record<string, unknown>[] = [];
  let budget = MEMBERS_PER_PAGE;
  let index = firstIndexAfter(ids, pos.pg ?? pos.a);
  let offset = 0;
  if (pos.pg !== undefined && ids[index - 1] === pos.pg) {
    index -= 1;
    offset = pos.m ?? 0;
  }
  for (; index < ids.length; index++, offset = 0) {
    if (value.length >= GROUPS_PER_PAGE || budget <= 0)
      return { value, next: { ...pos, a: ids[index - 1], pg: undefined, m: undefined }, doneSeq: pos.s };
    const group = ctx.store.groups.get(ids[index] as string);
    if (!group) continue;
    const item = groupProps(group, pos.sel);
    const members = group.members.values();
    if (tracksMembers(pos.sel) && members.length > 0) {
      const slice = members.slice(offset, offset + budget);
      item['members@delta'] = slice.map((id) => memberRef(ctx, id));
      budget -= slice.length;
      value.push(item);
      if (offset + slice.length < members.length) {
        return { value, next: { ...pos, a: undefined, pg: group.id, m: offset + slice.length }, doneSeq: pos.s };
      }
    } else {
      value.push(item);
    }
  }
  return { value, doneSeq: pos.s };
}

/** Later rounds: changed groups, members added and members removed (`@removed`). */
function changesPage(ctx: EmulatorContext, pos: DeltaPosition, minimal: boolean): Page {
  const to = pos.t ?? ctx.store.log.lastSeq;
  const filter = pos.f ? new Set(pos.f) : undefined;
  const sel = pos.sel;
  const relevant = (e: ChangeEntry): boolean =>
    e.kind === 'group' &&
    (!filter || filter.has(e.id)) &&
    (e.op !== 'upsert' || (e.props ?? []).some((p) => p === 'id' || !sel || sel.includes(p))) &&
    ((e.op !== 'memberAdd' && e.op !== 'memberRemove') || tracksMembers(sel));
  const window = readChangeWindow(ctx.store.log, pos.c ?? pos.s, to, relevant, GROUPS_PER_PAGE, MEMBERS_PER_PAGE);
  const value: Record<string, unknown>[] = [];
  for (const [id, entries] of window.byObject) {
    const group = ctx.store.groups.get(id);
    if (!group) {
      value.push({ id, '@removed': { reason: 'deleted' } });
      continue;
    }
    const created = entries.some((e) => e.op === 'upsert' && e.props?.includes('id'));
    const changed = new Set(entries.filter((e) => e.op === 'upsert').flatMap((e) => e.props ?? []));
    const item = groupProps(group, sel, minimal && !created ? changed : undefined);
    const members = memberChanges(entries);
    if (members.length > 0) item['members@delta'] = members;
    value.push(item);
  }
  return window.end < to ? { value, next: { ...pos, t: to, c: window.end }, doneSeq: to } : { value, doneSeq: to };
}

/** Net effect per member inside the window; the doc example marks removals with reason "deleted". */
function memberChanges(entries: ChangeEntry[]): Record<string, unknown>[] {
  const last = new Map<string, ChangeEntry>();
  for (const e of entries) if (e.memberId && (e.op === 'memberAdd' || e.op === 'memberRemove')) last.set(e.memberId, e);
  return [...last.values()].map((e) => {
    const ref = { '@odata.type': ODATA_TYPES[e.memberType ?? 'user'], id: e.memberId as string };
    return e.op === 'memberRemove' ? { ...ref, '@removed': { reason: 'deleted' } } : ref;
  });
}
