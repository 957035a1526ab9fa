import type { EmulatorContext } from '../emulator-context.js';
import { badRequest, graphError, unsupportedQuery } from '../http/graph-errors.js';
import type { GraphRequest, GraphResponse } from '../http/graph-types.js';
import { FilterSyntaxError, filterLeaves, parseFilter } from '../odata/filter-parser.js';
import { parseSelect } from '../odata/query-options.js';
import type { DeltaState } from './delta-state.js';
import { readDeltaToken } from './delta-state.js';

export type DeltaPosition = Omit<DeltaState, 'ep' | 'iat' | 'n'>;

export type DeltaStart =
  { ok: true; position: DeltaPosition; latest: boolean } | { ok: false; response: GraphResponse };

const MAX_FILTER_IDS = 50;

/**
 * Works out where a delta request starts: a fresh round, `$deltatoken=latest`, a deltaLink or a
 * nextLink (https://learn.microsoft.com/graph/delta-query-overview).
 */
export function startDelta(
  ctx: EmulatorContext,
  req: GraphRequest,
  kind: 'u' | 'g',
  canonical: (name: string) => string | undefined,
): DeltaStart {
  for (const option of ['$expand', '$orderby']) {
    if (req.query.has(option))
      return { ok: false, response: unsupportedQuery(`The query option '${option}' is not supported with delta.`) };
  }
  const skipToken = req.query.get('$skiptoken');
  const deltaToken = req.query.get('$deltatoken');
  const select = parseSelect(req.query.get('$select'), canonical, kind === 'u' ? 'user' : 'group');
  if (!select.ok) return select;
  if (skipToken !== undefined) {
    if (select.value) return { ok: false, response: badRequest('$select is not supported together with $skiptoken.') };
    const read = readDeltaToken(ctx, req, skipToken, kind);
    return read.ok ? { ok: true, position: read.state, latest: false } : read;
  }
  if (deltaToken !== undefined && deltaToken !== '' && deltaToken.toLowerCase() !== 'latest') {
    const read = readDeltaToken(ctx, req, deltaToken, kind);
    if (!read.ok) return read;
    const { t: _t, c: _c, ...rest } = read.state;
    // A $select on a deltaLink changes the tracked properties from now on
    // (https://learn.microsoft.com/graph/delta-query-users).
    return {
      ok: true,
      position: { ...rest, ph: 'c', ...(select.value ? { sel: withId(select.value) } : {}) },
      latest: false,
    };
  }
  const filter = parseIdFilter(req.query.get('$filter'));
  if (!filter.ok) return filter;
  const position: DeltaPosition = {
    k: kind,
    sel: select.value ? withId(select.value) : null,
    f: filter.ids,
    ph: 'i',
    s: ctx.store.log.lastSeq,
  };
  if (deltaToken?.toLowerCase() === 'latest') return { ok: true, position: { ...position, ph: 'c' }, latest: true };
  return { ok: true, position, latest: false };
}

function withId(select: string[]): string[] {
  return select.includes('id') ? select : [...select, 'id'];
}

/**
 * Delta accepts only `id eq '...'` joined with `or`, at most 50
 * (https://learn.microsoft.com/graph/api/group-delta).
 */
function parseIdFilter(
  raw: string | undefined,
): { ok: true; ids: string[] | null } | { ok: false; response: GraphResponse } {
  if (raw === undefined || raw.trim() === '') return { ok: true, ids: null };
  const refuse = (): { ok: false; response: GraphResponse } => ({
    ok: false,
    response: unsupportedQuery(
      "Unsupported query filter. Only 'id eq' clauses joined with 'or' are supported with delta.",
    ),
  });
  try {
    const node = parseFilter(raw);
    const ids: string[] = [];
    for (const { node: leaf, negated } of filterLeaves(node)) {
      if (
        negated ||
        leaf.type !== 'cmp' ||
        leaf.op !== 'eq' ||
        leaf.prop.toLowerCase() !== 'id' ||
        typeof leaf.value !== 'string'
      )
        return refuse();
      ids.push(leaf.value.toLowerCase());
    }
    if (/\band\b/i.test(raw)) return refuse();
    if (ids.length > MAX_FILTER_IDS) {
      return {
        ok: false,
        response: graphError(
          400,
          'Request_UnsupportedQuery',
          `The number of ids in the filter exceeds the maximum of ${MAX_FILTER_IDS}.`,
        ),
      };
    }
    return { ok: true, ids };
  } catch (e) {
    if (e instanceof FilterSyntaxError)
      return { ok: false, response: graphError(400, 'BadRequest', `Invalid filter clause: ${e.message}`) };
    throw e;
  }
}
