/*
 * A value filter (`emails[type eq "work"]`, `members[value eq "2819c223"]`) applied to the
 * elements of a multi-valued attribute in memory: PatchOp paths select elements with it (RFC 7644
 * section 3.5.2). Sub-attribute names compare case-insensitively; values by the sub-attribute's
 * caseExact, booleans also in their string spellings ("True"), which Entra sends.
 */
import type { Filter } from './filter-text.js';
import { badScim } from './scim-error.js';
import { findAttribute, type AttributeDefinition } from './scim-schemas.js';

export type Element = Record<string, unknown>;

export function matchesValueFilter(element: Element, filter: Filter, attribute: AttributeDefinition): boolean {
  switch (filter.op) {
    case 'and':
      return filter.filters.every((f) => matchesValueFilter(element, f, attribute));
    case 'or':
      return filter.filters.some((f) => matchesValueFilter(element, f, attribute));
    case 'not':
      return !matchesValueFilter(element, filter.filter, attribute);
    case '[]':
      throw badScim('invalidFilter', `A value filter of "${attribute.name}" cannot hold another value path`);
    default: {
      const sub = subAttributeOf(attribute, filter.attrPath);
      const actual = element[sub.name];
      if (filter.op === 'pr') return actual !== undefined && actual !== null && actual !== '';
      return compare(filter.op, actual, filter.compValue, sub);
    }
  }
}

/**
 * The element a filter describes, for an add or replace whose filter selects nothing (Entra's
 * `emails[type eq "work"].value` on a user without a work e-mail): the sub-attributes its `eq`
 * terms fix. Undefined when the filter says anything else.
 */
export function elementFromFilter(filter: Filter, attribute: AttributeDefinition): Element | undefined {
  const terms = filter.op === 'and' ? filter.filters : [filter];
  const element: Element = {};
  for (const term of terms) {
    if (term.op !== 'eq' || typeof term.compValue !== 'string') return undefined;
    element[subAttributeOf(attribute, term.attrPath).name] = term.compValue;
  }
  return element;
}

function subAttributeOf(attribute: AttributeDefinition, name: string): AttributeDefinition {
  const sub = findAttribute(attribute.subAttributes, name);
  if (!sub) throw badScim('invalidFilter', `"${attribute.name}" has no sub-attribute "${name}"`);
  return sub;
}

type Operator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'lt' | 'ge' | 'le';

function compare(op: Operator, actual: unknown, expected: unknown, sub: AttributeDefinition): boolean {
  if (sub.type === 'boolean') {
    const a = asBoolean(actual);
    const b = asBoolean(expected);
    if (op === 'eq') return a === b;
    if (op === 'ne') return a !== b;
    throw badScim('invalidFilter', `"${sub.name}" is a boolean: only eq, ne and pr apply`);
  }
  if (actual === undefined || actual === null) return op === 'ne';
  const fold = (v: unknown) => (sub.caseExact ? String(v) : String(v).toLowerCase());
  const a = fold(actual);
  const b = fold(expected);
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'co':
      return a.includes(b);
    case 'sw':
      return a.startsWith(b);
    case 'ew':
      return a.endsWith(b);
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
  }
}

/** true/false, or Entra's "True"/"False" in any case; anything else stays as it is. */
export function asBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const lower = value.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : value;
}
