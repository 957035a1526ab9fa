import type { RouteCost } from '../http/route-table.js';

/**
 * Resource units of one request (https://learn.microsoft.com/graph/throttling-limits): the route's base cost,
 * then $select -1, $expand +1, $top below 20 -1, never below 1.
 */
export function resourceUnits(cost: RouteCost, query: ReadonlyMap<string, string>): number {
  if (cost.write) return cost.ru;
  let ru = cost.ru;
  if (query.has('$select')) ru -= 1;
  if (query.has('$expand')) ru += 1;
  const top = Number(query.get('$top'));
  if (query.has('$top') && Number.isFinite(top) && top < 20) ru -= 1;
  return Math.max(1, ru);
}
