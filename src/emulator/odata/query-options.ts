import { badRequest } from '../http/graph-errors.js';
import type { GraphRequest, GraphResponse } from '../http/graph-types.js';

export type Result<T> = { ok: true; value: T } | { ok: false; response: GraphResponse };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(response: GraphResponse): Result<T> => ({ ok: false, response });

/**
 * "Advanced query" = ConsistencyLevel: eventual and $count=true
 * (https://learn.microsoft.com/graph/aad-advanced-queries). Header names are case-insensitive, the value is
 * compared as Graph documents it.
 */
export function isAdvanced(req: GraphRequest): boolean {
  return hasEventualConsistency(req) && req.query.get('$count')?.toLowerCase() === 'true';
}

export function hasEventualConsistency(req: GraphRequest): boolean {
  return req.headers['consistencylevel']?.toLowerCase() === 'eventual';
}

/** $top 1..max (999 for directory collections, https://learn.microsoft.com/graph/paging); default 100. */
export function parseTop(req: GraphRequest, max = 999, fallback = 100): Result<number> {
  const raw = req.query.get('$top');
  if (raw === undefined) return ok(fallback);
  const top = Number(raw);
  if (!Number.isInteger(top) || top < 1 || top > max) {
    return fail(badRequest(`Invalid page size specified: '${raw}'. Must be between 1 and ${max} inclusive.`));
  }
  return ok(top);
}

/**
 * $select, with names mapped to their canonical spelling; undefined when absent. `id` is always
 * returned by Graph even when not selected.
 */
export function parseSelect(
  raw: string | undefined,
  canonical: (name: string) => string | undefined,
  type: string,
): Result<string[] | undefined> {
  if (raw === undefined || raw.trim() === '') return ok(undefined);
  const names: string[] = [];
  for (const part of raw.split(',')) {
    const name = part.trim();
    if (name === '') continue;
    const known = canonical(name);
    if (!known) return fail(badRequest(`Could not find a property named '${name}' on type 'microsoft.graph.${type}'.`));
    if (!names.includes(known)) names.push(known);
  }
  return ok(names);
}

/** `manager($select=id,mail)` or `manager`; only the manager navigation is supported. */
export function parseExpand(raw: string | undefined): Result<{ select?: string } | undefined> {
  if (raw === undefined) return ok(undefined);
  const m = /^\s*manager\s*(?:\((.*)\))?\s*$/i.exec(raw);
  if (!m)
    return fail(
      badRequest(
        `Parsing OData Select and Expand failed: Could not find a property named '${raw.split('(')[0]}' on type 'microsoft.graph.user'.`,
      ),
    );
  const inner = m[1];
  if (inner === undefined) return ok({});
  const select = /\$select=([^;]*)/i.exec(inner)?.[1];
  return ok(select === undefined ? {} : { select });
}

/** The caller's query parts minus the ones the emulator replaces, for building a nextLink. */
export function keptQuery(req: GraphRequest, drop: readonly string[]): string[] {
  return req.rawQuery.filter((part) => {
    const key = decodeURIComponent(part.split('=')[0] ?? '').toLowerCase();
    return !drop.includes(key);
  });
}
