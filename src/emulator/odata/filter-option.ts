import { badRequest, graphError, unsupportedQuery } from '../http/graph-errors.js';
import type { GraphRequest } from '../http/graph-types.js';
import { evaluateFilter, readPath } from './filter-evaluator.js';
import { FilterSyntaxError, parseFilter } from './filter-parser.js';
import type { FilterNode } from './filter-parser.js';
import { checkFilter } from './filter-rules.js';
import { hasEventualConsistency, isAdvanced } from './query-options.js';
import type { Result } from './query-options.js';

export type Predicate = (props: Record<string, unknown>) => boolean;

export interface MatchOptions {
  filter?: FilterNode;
  predicate?: Predicate;
  orderBy?: { prop: string; desc: boolean };
}

/**
 * $filter, $search and $orderby of a directory collection, checked against
 * https://learn.microsoft.com/graph/aad-advanced-queries.
 */
export function parseMatchOptions(req: GraphRequest, resource: 'User' | 'Group'): Result<MatchOptions> {
  const advanced = isAdvanced(req);
  const out: MatchOptions = {};
  const predicates: Predicate[] = [];
  const rawFilter = req.query.get('$filter');
  if (rawFilter !== undefined && rawFilter.trim() !== '') {
    let node: FilterNode;
    try {
      node = parseFilter(rawFilter);
    } catch (e) {
      const detail = e instanceof FilterSyntaxError ? e.message : 'syntax error';
      return { ok: false, response: graphError(400, 'BadRequest', `Invalid filter clause: ${detail}`) };
    }
    const refused = checkFilter(node, resource, advanced);
    if (refused) return { ok: false, response: refused };
    out.filter = node;
    predicates.push((p) => evaluateFilter(node, p));
  }
  const rawSearch = req.query.get('$search');
  if (rawSearch !== undefined) {
    if (!hasEventualConsistency(req)) {
      return {
        ok: false,
        response: unsupportedQuery(
          "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
        ),
      };
    }
    const search = parseSearch(rawSearch);
    if (!search)
      return {
        ok: false,
        response: badRequest("Syntax error: character '\"' is not valid at position 0 in '$search'."),
      };
    predicates.push(search);
  }
  const rawOrder = req.query.get('$orderby');
  if (rawOrder !== undefined) {
    const [prop = '', dir = 'asc'] = rawOrder.trim().split(/\s+/);
    const simple = ['displayname', 'userprincipalname'].includes(prop.toLowerCase());
    if (!advanced && (!simple || out.filter)) {
      return { ok: false, response: unsupportedQuery('Sorting not supported for current query.') };
    }
    out.orderBy = { prop, desc: dir.toLowerCase() === 'desc' };
  }
  if (predicates.length > 0) out.predicate = (p) => predicates.every((f) => f(p));
  return { ok: true, value: out };
}

/** `"displayName:ada" OR "mail:ada"`: each clause matches words starting with the term (tokenised search). */
function parseSearch(raw: string): Predicate | undefined {
  const clauses = [...raw.matchAll(/"([^":]+):([^"]*)"/g)];
  if (clauses.length === 0) return undefined;
  const and = /"\s+AND\s+"/.test(raw);
  const tests = clauses.map(([, prop, term]) => (p: Record<string, unknown>): boolean => {
    const value = readPath(p, prop as string);
    if (typeof value !== 'string') return false;
    const needle = (term as string).toLowerCase();
    return (
      value
        .toLowerCase()
        .split(/[\s.@_-]+/)
        .some((word) => word.startsWith(needle)) || value.toLowerCase().startsWith(needle)
    );
  });
  return and ? (p) => tests.every((t) => t(p)) : (p) => tests.some((t) => t(p));
}
