/*
 * Filter text -> syntax tree, through scim2-parse-filter (RFC 7644 section 3.4.2.2,
 * https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2). Two things are done around it:
 * - Values Entra and the reference clients send unquoted (`externalId eq jyoung`, an unquoted
 *   date `meta.created gt 2015-10-10T14:38:21.8617979-07:00`) are quoted first: the grammar asks for
 *   JSON values, which the parser enforces, yet Microsoft's own documentation shows such filters.
 * - The parser spells `emails[type eq "work"].value eq "x"` as `and` of the value path and
 *   `emails.value eq "x"`; typedPair() recognises that shape again.
 */
import { parse, type Compare, type Filter, type ValuePath } from 'scim2-parse-filter';
import { badScim } from './scim-error.js';
import { assertText } from './storable-text.js';

export type { Compare, Filter, ValuePath } from 'scim2-parse-filter';

/** Longer filters than this are refused: no filter Entra sends comes near it. */
export const MAX_FILTER_LENGTH = 4096;
const MAX_DEPTH = 32;

const OPERATOR = /^(\s+)(eq|ne|co|sw|ew|gt|ge|lt|le)(\s+)([^\s()[\]"]+)/i;
const JSON_LITERAL = /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)$/;

export function parseFilter(text: string): Filter {
  if (text.trim() === '') throw badScim('invalidFilter', 'The filter is empty');
  if (text.length > MAX_FILTER_LENGTH)
    throw badScim('invalidFilter', `The filter is longer than ${MAX_FILTER_LENGTH} characters`);
  assertText(text, 'The filter', 'invalidFilter');
  let tree: Filter;
  try {
    tree = parse(quoteBareValues(text));
  } catch (error) {
    throw badScim('invalidFilter', `The filter "${text}" is not valid: ${(error as Error).message}`);
  }
  if (depthOf(tree) > MAX_DEPTH) throw badScim('invalidFilter', `The filter nests deeper than ${MAX_DEPTH} levels`);
  return tree;
}

/** Quotes the value after a comparison operator when it is not JSON, outside quoted strings only. */
export function quoteBareValues(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      const end = closingQuote(text, i);
      out += text.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    const match = OPERATOR.exec(text.slice(i));
    if (match && i > 0 && !/\s/.test(text[i - 1]!)) {
      const [whole, before, operator, between, value] = match as unknown as [string, string, string, string, string];
      out += `${before}${operator}${between}${JSON_LITERAL.test(value) ? value : JSON.stringify(value)}`;
      i += whole.length;
      continue;
    }
    out += text[i];
    i += 1;
  }
  return out;
}

/** The index of the quote that closes the string opening at `start` (or the last index when none does). */
export function closingQuote(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}

/**
 * `A[F].sub op v` as the parser spells it: `and` of exactly the value path A[F] and a comparison
 * on `A.sub`. Answers the pieces, or undefined for any other shape.
 */
export function typedPair(
  filter: Filter,
): { path: ValuePath; sub: string; compare: Compare | { op: 'pr'; attrPath: string } } | undefined {
  if (filter.op !== 'and' || !('filters' in filter) || filter.filters.length !== 2) return undefined;
  const [first, second] = filter.filters as [Filter, Filter];
  if (first.op !== '[]' || !('attrPath' in second) || second.op === '[]') return undefined;
  const path = first as ValuePath;
  const prefix = `${path.attrPath.toLowerCase()}.`;
  if (!second.attrPath.toLowerCase().startsWith(prefix)) return undefined;
  const sub = second.attrPath.slice(prefix.length);
  if (sub.includes('.')) return undefined;
  return { path, sub, compare: second as Compare };
}

function depthOf(filter: Filter): number {
  if ('filters' in filter) return 1 + Math.max(0, ...filter.filters.map(depthOf));
  if (filter.op === 'not') return 1 + depthOf(filter.filter);
  if (filter.op === '[]') return 1 + depthOf(filter.valFilter);
  return 1;
}
