import { randomBytes } from 'node:crypto';
import type { EmulatorContext } from '../emulator-context.js';
import { graphError } from '../http/graph-errors.js';
import type { GraphRequest, GraphResponse } from '../http/graph-types.js';
import { contextUrl, jsonResponse, versionRoot } from '../http/graph-types.js';
import { decodePageToken, encodePageToken } from '../odata/page-token.js';
import type { ReachedCalendar } from './calendar-store.js';
import type { Instance } from './calendar-types.js';
import { calendarView } from './event-view.js';
import { preferenceHeaders, projectInstance, representationOf, type Owner } from './event-projection.js';

/**
 * A calendar view's delta state, kept on the server as Exchange keeps its sync states: the token
 * in a link only names it. What the client last saw (ids and changeKeys) is what the next round
 * compares with (https://learn.microsoft.com/graph/delta-query-events).
 */
interface SyncState {
  id: string;
  key: string;
  fromMs: number;
  toMs: number;
  /** Entries the client has been sent, by id, with their changeKey. */
  known: Map<string, string>;
  /** The store's sequence when the round began: changes after it are this round's or later. */
  seq: number;
  /** The round being paged: what to send, and what the client will know after it. */
  round?: { entries: Array<Instance | { removed: string }>; known: Map<string, string> };
}

/** Completed states kept per calendar view; older ones are evicted, as Exchange's cache does. */
const KEPT_STATES = 5;
const DEFAULT_PAGE = 50;
const UNSUPPORTED = ['$select', '$expand', '$filter', '$orderby', '$search', '$top', '$skip'];

export class CalendarDeltaStates {
  private readonly states = new Map<string, SyncState>();
  private readonly order = new Map<string, string[]>();

  clear(): void {
    this.states.clear();
    this.order.clear();
  }

  get(id: string): SyncState | undefined {
    return this.states.get(id);
  }

  add(state: SyncState): void {
    this.states.set(state.id, state);
    const ids = [...(this.order.get(state.key) ?? []), state.id];
    while (ids.length > KEPT_STATES) this.states.delete(ids.shift()!);
    this.order.set(state.key, ids);
  }
}

/**
 * GET .../calendarView/delta (https://learn.microsoft.com/graph/api/event-delta): the window is
 * required on the first request and travels in the links' tokens; `$select`, `$expand`, `$filter`,
 * `$orderby` and `$search` are not supported; `@removed` (reason deleted) reports entries that
 * left the view, and also events outside the window that changed since the last round.
 */
export function calendarViewDelta(
  ctx: EmulatorContext,
  req: GraphRequest,
  mailboxId: string,
  reached: ReachedCalendar,
  owner: Owner,
  basePath: string,
): GraphResponse {
  for (const option of UNSUPPORTED)
    if (req.query.has(option))
      return graphError(400, 'BadRequest', `The query parameter '${option}' is not supported with this request.`);
  const key = `${mailboxId}/${reached.id}`;
  const skip = req.query.get('$skiptoken');
  const delta = req.query.get('$deltatoken');
  let state: SyncState;
  let offset = 0;
  if (skip !== undefined || delta !== undefined) {
    const token = decodePageToken<{ s: string; o?: number }>(skip ?? delta ?? '', ctx.tokenSecret);
    const found = token ? ctx.calendarDelta.get(token.s) : undefined;
    if (!found || found.key !== key || (skip !== undefined && !found.round)) return syncStateNotFound();
    state = skip !== undefined ? found : nextRound(ctx, found, reached);
    offset = token?.o ?? 0;
  } else {
    const window = readWindow(req);
    if (!window.ok) return window.response;
    state = firstRound(ctx, key, reached, window.fromMs, window.toMs);
  }
  const rep = representationOf(req);
  const round = state.round!;
  const size = Math.min(rep.maxPageSize ?? DEFAULT_PAGE, 1000);
  const page = round.entries.slice(offset, offset + size);
  const value = page.map((entry) =>
    'removed' in entry
      ? { '@odata.type': '#microsoft.graph.event', id: entry.removed, '@removed': { reason: 'deleted' } }
      : projectInstance(entry, rep, owner),
  );
  const link = `${versionRoot(req)}${basePath}/calendarView/delta`;
  const more = offset + size < round.entries.length;
  const next = more
    ? { '@odata.nextLink': `${link}?$skiptoken=${encodePageToken({ s: state.id, o: offset + size }, ctx.tokenSecret)}` }
    : { '@odata.deltaLink': `${link}?$deltatoken=${finishRound(ctx, state)}` };
  return jsonResponse(
    200,
    { '@odata.context': contextUrl(req, 'Collection(event)'), ...next, value },
    preferenceHeaders(rep),
  );
}

function readWindow(
  req: GraphRequest,
): { ok: true; fromMs: number; toMs: number } | { ok: false; response: GraphResponse } {
  const from = parseInstant(req.query.get('startdatetime'));
  const to = parseInstant(req.query.get('enddatetime'));
  if (from === undefined || to === undefined)
    return {
      ok: false,
      response: graphError(
        400,
        'ErrorInvalidParameter',
        'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
      ),
    };
  return { ok: true, fromMs: from, toMs: to };
}

/** ISO 8601; without an offset the value is UTC (https://learn.microsoft.com/graph/api/calendar-list-calendarview). */
function parseInstant(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const text = /([zZ]|[+-]\d{2}:?\d{2})$/.test(raw) ? raw : `${raw}Z`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function firstRound(ctx: EmulatorContext, key: string, reached: ReachedCalendar, fromMs: number, toMs: number) {
  const view = calendarView(ctx.calendars.eventsIn(reached.calendar.id), fromMs, toMs);
  const state: SyncState = {
    id: randomBytes(9).toString('base64url'),
    key,
    fromMs,
    toMs,
    known: new Map(),
    seq: ctx.calendars.lastSeq,
    round: { entries: view, known: new Map(view.map((i) => [i.id, i.changeKey])) },
  };
  ctx.calendarDelta.add(state);
  return state;
}

/** The changes since `previous`: entries new or changed in the view, entries gone, events changed outside it. */
function nextRound(ctx: EmulatorContext, previous: SyncState, reached: ReachedCalendar): SyncState {
  const calendarId = reached.calendar.id;
  const view = calendarView(ctx.calendars.eventsIn(calendarId), previous.fromMs, previous.toMs);
  const inView = new Set(view.map((i) => i.id));
  const entries: Array<Instance | { removed: string }> = view.filter((i) => previous.known.get(i.id) !== i.changeKey);
  for (const id of previous.known.keys()) if (!inView.has(id)) entries.push({ removed: id });
  const reported = new Set([...previous.known.keys(), ...inView]);
  const outside = [
    ...ctx.calendars.eventsIn(calendarId).map((e) => ({ id: e.id, seq: e.seq })),
    ...[...ctx.calendars.tombstones]
      .filter(([, t]) => t.calendarId === calendarId)
      .map(([id, t]) => ({ id, seq: t.seq })),
  ];
  for (const { id, seq } of outside) if (seq > previous.seq && !reported.has(id)) entries.push({ removed: id });
  const state: SyncState = {
    ...previous,
    id: randomBytes(9).toString('base64url'),
    seq: ctx.calendars.lastSeq,
    round: { entries, known: new Map(view.map((i) => [i.id, i.changeKey])) },
  };
  ctx.calendarDelta.add(state);
  return state;
}

/** The round is over: the state now stands for what the client knows, and a deltaLink names it. */
function finishRound(ctx: EmulatorContext, state: SyncState): string {
  const done: SyncState = { ...state, id: randomBytes(9).toString('base64url'), known: state.round!.known };
  delete done.round;
  ctx.calendarDelta.add(done);
  return encodePageToken({ s: done.id }, ctx.tokenSecret);
}

/** An evicted or unknown state (https://learn.microsoft.com/graph/delta-query-overview#synchronization-reset). */
function syncStateNotFound(): GraphResponse {
  return graphError(
    410,
    'SyncStateNotFound',
    'The sync state generation is not found; the client must synchronize again from the start.',
  );
}
