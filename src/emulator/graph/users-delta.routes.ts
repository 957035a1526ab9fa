import type { EmulatorContext } from '../emulator-context.js';
import type { GraphRequest, GraphResponse } from '../http/graph-types.js';
import { contextUrl, jsonResponse } from '../http/graph-types.js';
import { pageIds } from '../odata/id-pager.js';
import type { ChangeEntry, UserRecord } from '../store/store-types.js';
import { canonicalUserProperty } from '../store/user-schema.js';
import { readChangeWindow } from './change-window.js';
import type { DeltaPosition } from './delta-request.js';
import { startDelta } from './delta-request.js';
import { deltaLinkFor, prefersMinimal } from './delta-state.js';
import { projectUserForDelta } from './user-projection.js';

/**
 * Users per delta page; Graph's page size varies and is not a contract
 * (https://learn.microsoft.com/graph/delta-query-users).
 */
export const USER_DELTA_PAGE = 200;

/** GET /users/delta and /users/microsoft.graph.delta (https://learn.microsoft.com/graph/api/user-delta). */
export function usersDelta(ctx: EmulatorContext, req: GraphRequest): GraphResponse {
  const start = startDelta(ctx, req, 'u', canonicalUserProperty);
  if (!start.ok) return start.response;
  const { position } = start;
  const context = contextUrl(
    req,
    position.sel ? `users(${position.sel.filter((p) => p !== 'id').join(',')})` : 'users',
  );
  if (start.latest) {
    return jsonResponse(200, {
      '@odata.context': context,
      '@odata.deltaLink': deltaLinkFor(ctx, req, position, 'delta'),
      value: [],
    });
  }
  const page = position.ph === 'i' ? initialPage(ctx, position) : changesPage(ctx, position, prefersMinimal(req));
  const link = page.next
    ? { '@odata.nextLink': deltaLinkFor(ctx, req, page.next, 'next') }
    : {
        '@odata.deltaLink': deltaLinkFor(
          ctx,
          req,
          { ...position, ph: 'c', s: page.doneSeq, t: undefined, c: undefined, a: undefined },
          'delta',
        ),
      };
  const headers: Record<string, string> =
    position.ph === 'c' && prefersMinimal(req) ? { 'Preference-Applied': 'return=minimal' } : {};
  return jsonResponse(200, { '@odata.context': context, ...link, value: page.value }, headers);
}

interface Page {
  value: Record<string, unknown>[];
  next?: DeltaPosition;
  /** Sequence the final deltaLink starts from. */
  doneSeq: number;
}

function initialPage(ctx: EmulatorContext, pos: DeltaPosition): Page {
  const ids = pos.f ? [...pos.f].sort() : ctx.store.userOrder.values();
  const page = pageIds(ids, pos.a, USER_DELTA_PAGE, (id) => ctx.store.users.has(id));
  const sel = pos.sel ?? undefined;
  const value = page.ids.map((id) =>
    withManagerDelta(
      ctx,
      ctx.store.users.get(id) as UserRecord,
      sel,
      projectUserForDelta(ctx.store.users.get(id) as UserRecord, sel),
    ),
  );
  // Changes made while the initial round pages are replayed in the next round: the deltaLink starts
  // at the sequence seen when the round began.
  return page.more
    ? { value, next: { ...pos, a: page.ids[page.ids.length - 1] }, doneSeq: pos.s }
    : { value, doneSeq: pos.s };
}

function changesPage(ctx: EmulatorContext, pos: DeltaPosition, minimal: boolean): Page {
  const to = pos.t ?? ctx.store.log.lastSeq;
  const from = pos.c ?? pos.s;
  const sel = pos.sel ?? undefined;
  const filter = pos.f ? new Set(pos.f) : undefined;
  const relevant = (e: ChangeEntry): boolean => e.kind === 'user' && (!filter || filter.has(e.id)) && isTracked(e, sel);
  const window = readChangeWindow(ctx.store.log, from, to, relevant, USER_DELTA_PAGE, USER_DELTA_PAGE * 20);
  const value: Record<string, unknown>[] = [];
  for (const [id, entries] of window.byObject) {
    const item = changedUser(ctx, id, entries, sel, minimal);
    if (item) value.push(item);
  }
  return window.end < to ? { value, next: { ...pos, t: to, c: window.end }, doneSeq: to } : { value, doneSeq: to };
}

/**
 * With $select only the selected properties are tracked; `manager` only when selected
 * (https://learn.microsoft.com/graph/api/user-delta).
 */
function isTracked(entry: ChangeEntry, sel: readonly string[] | undefined): boolean {
  if (entry.op !== 'upsert') return true;
  const props = entry.props ?? [];
  if (props.includes('id')) return true; // created
  if (!sel) return props.some((p) => p !== 'manager');
  return props.some((p) => sel.includes(p));
}

function changedUser(
  ctx: EmulatorContext,
  id: string,
  entries: ChangeEntry[],
  sel: readonly string[] | undefined,
  minimal: boolean,
): Record<string, unknown> | undefined {
  const user = ctx.store.users.get(id);
  if (!user) {
    // "changed" = soft-deleted and restorable, "deleted" = gone for good
    // (https://learn.microsoft.com/graph/delta-query-overview).
    return { id, '@removed': { reason: ctx.store.deletedUsers.has(id) ? 'changed' : 'deleted' } };
  }
  const whole = entries.some((e) => e.op === 'restore' || (e.op === 'upsert' && e.props?.includes('id')));
  if (!minimal || whole) return withManagerDelta(ctx, user, sel, projectUserForDelta(user, sel), entries);
  const changed = new Set(entries.flatMap((e) => e.props ?? []));
  const out = projectUserForDelta(user, sel, changed);
  return changed.has('manager') ? withManagerDelta(ctx, user, sel, out, entries) : out;
}

/** `manager@delta` when manager is selected: the current manager, or the removed one. */
function withManagerDelta(
  ctx: EmulatorContext,
  user: UserRecord,
  sel: readonly string[] | undefined,
  out: Record<string, unknown>,
  entries?: ChangeEntry[],
): Record<string, unknown> {
  if (!sel?.includes('manager')) return out;
  if (user.managerId && ctx.store.users.has(user.managerId)) {
    out['manager@delta'] = [{ '@odata.type': '#microsoft.graph.user', id: user.managerId }];
  } else {
    const previous = entries?.map((e) => e.memberId).find((m) => m !== undefined);
    if (previous)
      out['manager@delta'] = [
        { '@odata.type': '#microsoft.graph.user', id: previous, '@removed': { reason: 'deleted' } },
      ];
  }
  return out;
}
