import type { FilterNode, Literal } from './filter-parser.js';

/** Reads a property, following `a/b` paths into complex properties. */
export function readPath(props: Record<string, unknown>, path: string): unknown {
  let value: unknown = props;
  for (const part of path.split('/')) {
    if (value === null || typeof value !== 'object') return undefined;
    const obj = value as Record<string, unknown>;
    const key = part in obj ? part : Object.keys(obj).find((k) => k.toLowerCase() === part.toLowerCase());
    value = key === undefined ? undefined : obj[key];
  }
  return value;
}

/** Directory string comparisons ignore case (e.g. `mail eq` matches either spelling). */
function norm(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

function equals(actual: unknown, expected: Literal): boolean {
  if (expected === null)
    return actual === null || actual === undefined || (Array.isArray(actual) && actual.length === 0);
  if (Array.isArray(actual)) return actual.some((a) => norm(a) === norm(expected));
  return norm(actual) === norm(expected);
}

function compare(actual: unknown, expected: Literal): number | undefined {
  if (actual === null || actual === undefined || expected === null) return undefined;
  const a = norm(actual) as string | number | boolean;
  const b = norm(expected) as string | number | boolean;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function evaluateFilter(node: FilterNode, props: Record<string, unknown>): boolean {
  switch (node.type) {
    case 'and':
      return evaluateFilter(node.left, props) && evaluateFilter(node.right, props);
    case 'or':
      return evaluateFilter(node.left, props) || evaluateFilter(node.right, props);
    case 'not':
      return !evaluateFilter(node.expr, props);
    case 'in': {
      const actual = readPath(props, node.prop);
      return node.values.some((v) => equals(actual, v));
    }
    case 'func': {
      const actual = readPath(props, node.prop);
      const values = Array.isArray(actual) ? actual : [actual];
      const needle = node.value.toLowerCase();
      return values.some(
        (v) =>
          typeof v === 'string' &&
          (node.name === 'startswith' ? v.toLowerCase().startsWith(needle) : v.toLowerCase().endsWith(needle)),
      );
    }
    case 'cmp': {
      const actual = readPath(props, node.prop);
      if (node.op === 'eq') return equals(actual, node.value);
      if (node.op === 'ne') return !equals(actual, node.value);
      const c = compare(actual, node.value);
      if (c === undefined) return false;
      return node.op === 'gt' ? c > 0 : node.op === 'ge' ? c >= 0 : node.op === 'lt' ? c < 0 : c <= 0;
    }
  }
}

/**
 * Ids that can possibly match, from equality on indexed properties, or undefined when the whole
 * collection has to be scanned. The full filter is still evaluated on each candidate.
 */
export function indexCandidates(
  node: FilterNode,
  lookup: (prop: string, value: string) => readonly string[] | undefined,
): string[] | undefined {
  if (node.type === 'cmp' && node.op === 'eq' && typeof node.value === 'string') {
    const ids = lookup(node.prop.toLowerCase(), node.value);
    return ids === undefined ? undefined : [...ids];
  }
  if (node.type === 'in') {
    const result: string[] = [];
    for (const value of node.values) {
      if (typeof value !== 'string') return undefined;
      const ids = lookup(node.prop.toLowerCase(), value);
      if (ids === undefined) return undefined;
      result.push(...ids);
    }
    return result;
  }
  if (node.type === 'or') {
    const left = indexCandidates(node.left, lookup);
    const right = left && indexCandidates(node.right, lookup);
    return left && right ? [...left, ...right] : undefined;
  }
  if (node.type === 'and') return indexCandidates(node.left, lookup) ?? indexCandidates(node.right, lookup);
  return undefined;
}
