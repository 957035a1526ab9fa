import { graphError } from '../http/graph-errors.js';
import type { GraphRequest, GraphResponse } from '../http/graph-types.js';
import { extendedPropertyKey } from './calendar-store.js';
import type { EventRecord } from './calendar-types.js';

/**
 * The extended-property query options of https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get:
 * `$expand=singleValueExtendedProperties($filter=id eq '{id}')` adds one property to each event,
 * and `$filter=singleValueExtendedProperties/Any(ep: ep/id eq '{id}' and ep/value eq '{value}')`
 * (or `ne`, `contains(ep/value, ...)`, `startswith(ep/value, ...)`) keeps the events that carry it.
 * Values compare without regard to case, as the page says; nothing else is filterable here.
 */
export interface EventQuery {
  expandId?: string;
  filter?: (event: EventRecord) => boolean;
}

const QUOTED = "'((?:[^']|'')*)'";
const EXPAND = new RegExp(`^singleValueExtendedProperties\\(\\$filter=id eq ${QUOTED}\\)$`, 'i');
const FILTER = new RegExp(
  `^singleValueExtendedProperties/any\\((\\w+):\\s*\\1/id eq ${QUOTED}\\s+and\\s+(?:\\1/value (eq|ne) ${QUOTED}|(contains|startswith)\\(\\1/value,\\s*${QUOTED}\\))\\)$`,
  'i',
);

const unquote = (text: string) => text.replace(/''/g, "'");

export function readEventQuery(
  req: GraphRequest,
): { ok: true; value: EventQuery } | { ok: false; response: GraphResponse } {
  const query: EventQuery = {};
  const expand = req.query.get('$expand');
  if (expand !== undefined) {
    const m = EXPAND.exec(expand.trim());
    if (!m)
      return { ok: false, response: graphError(400, 'BadRequest', `The $expand '${expand}' is not supported here.`) };
    query.expandId = unquote(m[1]!);
  }
  const filter = req.query.get('$filter');
  if (filter !== undefined) {
    const m = FILTER.exec(filter.trim());
    if (!m)
      return {
        ok: false,
        response: graphError(400, 'ErrorInvalidUrlQueryFilter', `The $filter '${filter}' is not supported here.`),
      };
    const key = extendedPropertyKey(unquote(m[2]!));
    const op = (m[3] ?? m[5]!).toLowerCase();
    const wanted = unquote(m[4] ?? m[6]!).toLowerCase();
    query.filter = (event) => {
      const value = event.ext.get(key)?.value.toLowerCase();
      if (value === undefined) return false;
      if (op === 'eq') return value === wanted;
      if (op === 'ne') return value !== wanted;
      if (op === 'contains') return value.includes(wanted);
      return value.startsWith(wanted);
    };
  }
  return { ok: true, value: query };
}

/** The expanded property (when asked and present) as Graph nests it in the event. */
export function expandedProperties(event: EventRecord, query: EventQuery): Record<string, unknown> {
  if (query.expandId === undefined) return {};
  const found = event.ext.get(extendedPropertyKey(query.expandId));
  return found ? { singleValueExtendedProperties: [{ id: found.id, value: found.value }] } : {};
}
