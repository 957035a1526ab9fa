/*
 * A filter (RFC 7644 section 3.4.2.2, https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2)
 * -> a query plan over an allow-list of attributes: every attribute the plan names is one the
 * database can answer (src/gateways/db turns the plan into parameterised SQL), every value has the
 * attribute's type. Attribute names and operators are case-insensitive; an attribute outside the
 * list is a 400 invalidFilter that says which ones are filterable.
 */
import { pathText, resolvePath, type AttributePath } from './attribute-path.js';
import { parseFilter, typedPair, type Filter, type ValuePath } from './filter-text.js';
import { badScim } from './scim-error.js';
import type { ResourceType } from './scim-schemas.js';
import { asBoolean } from './value-filter.js';

export type FilterValueType = 'string' | 'boolean' | 'dateTime' | 'id';
export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** One filterable attribute: `key` is what the database side knows it by. */
export interface FilterableAttribute {
  readonly key: string;
  readonly type: FilterValueType;
  readonly caseExact: boolean;
}

export interface FilterAllowList {
  readonly resource: ResourceType;
  /** By canonical path in lower case (see filterKey). */
  readonly attributes: ReadonlyMap<string, FilterableAttribute>;
}

export type QueryPlan =
  | { readonly kind: 'and' | 'or'; readonly parts: readonly QueryPlan[] }
  | { readonly kind: 'not'; readonly part: QueryPlan }
  | {
      readonly kind: 'compare';
      readonly attribute: FilterableAttribute;
      readonly op: CompareOp;
      /** Typed: a boolean for booleans, an ISO 8601 instant for dateTime, null for `eq null`. */
      readonly value: string | boolean | null;
    }
  | { readonly kind: 'present'; readonly attribute: FilterableAttribute };

export function planFilter(text: string, allow: FilterAllowList): QueryPlan {
  return translate(parseFilter(text), allow, undefined);
}

/**
 * The allow-list key of a resolved path: its canonical text in lower case, a complex attribute
 * standing for its `value`, a value filter only as `type eq "<type>"`. Undefined for a path no
 * list can hold.
 */
export function filterKey(path: AttributePath): string | undefined {
  const attribute = path.attribute;
  if (!attribute) return undefined;
  let filterText: string | undefined;
  if (path.valueFilter) {
    const type = typeOf(path.valueFilter);
    if (type === undefined || !path.sub) return undefined;
    filterText = `type eq "${type}"`;
  }
  const complexValue = attribute.type === 'complex' && !path.sub ? '.value' : '';
  return `${pathText(path, filterText)}${complexValue}`.toLowerCase();
}

/** The type a `type eq "work"` filter names, in lower case. */
function typeOf(filter: Filter): string | undefined {
  return filter.op === 'eq' && filter.attrPath.toLowerCase() === 'type' && typeof filter.compValue === 'string'
    ? filter.compValue.toLowerCase()
    : undefined;
}

/** `within`: the value path whose elements the filter is about (`emails[...]`), with its type when it fixes one. */
type Within = { path: string; type?: string } | undefined;

function translate(filter: Filter, allow: FilterAllowList, within: Within): QueryPlan {
  const pair = within ? undefined : typedPair(filter);
  if (pair) {
    const type = typeOf(pair.path.valFilter);
    if (type === undefined) throw unsupported(`${pair.path.attrPath}[...]`, allow);
    return translate({ ...pair.compare, attrPath: pair.sub }, allow, { path: pair.path.attrPath, type });
  }
  switch (filter.op) {
    case 'and':
    case 'or':
      return { kind: filter.op, parts: filter.filters.map((f) => translate(f, allow, within)) };
    case 'not':
      return { kind: 'not', part: translate(filter.filter, allow, within) };
    case '[]':
      if (within) throw badScim('invalidFilter', 'A value filter cannot hold another value path');
      return translateValuePath(filter, allow);
    case 'pr':
      return { kind: 'present', attribute: lookup(filter.attrPath, allow, within) };
    default: {
      const attribute = lookup(filter.attrPath, allow, within);
      return { kind: 'compare', attribute, op: filter.op, value: typedValue(attribute, filter.op, filter.compValue) };
    }
  }
}

/** `emails[type eq "work" and value co "@contoso.com"]`: the type fixes the element, the rest tests it. */
function translateValuePath(filter: ValuePath, allow: FilterAllowList): QueryPlan {
  if (!resolvePath(filter.attrPath, allow.resource, 'invalidFilter').attribute?.multiValued)
    throw badScim('invalidFilter', `"${filter.attrPath}[...]": only a multi-valued attribute takes a value filter`);
  const terms = filter.valFilter.op === 'and' ? filter.valFilter.filters : [filter.valFilter];
  const typeTerm = terms.find((t) => typeOf(t) !== undefined);
  if (!typeTerm) return translate(filter.valFilter, allow, { path: filter.attrPath });
  const within = { path: filter.attrPath, type: typeOf(typeTerm)! };
  const others = terms.filter((t) => t !== typeTerm);
  if (others.length === 0) return { kind: 'present', attribute: lookup('value', allow, within) };
  const parts = others.map((t) => translate(t, allow, within));
  return parts.length === 1 ? parts[0]! : { kind: 'and', parts };
}

function lookup(attrPath: string, allow: FilterAllowList, within: Within): FilterableAttribute {
  const text = within
    ? `${within.path}${within.type !== undefined ? `[type eq "${within.type}"]` : ''}.${attrPath}`
    : attrPath;
  const key = filterKey(resolvePath(text, allow.resource, 'invalidFilter'));
  const attribute = key === undefined ? undefined : allow.attributes.get(key);
  if (!attribute) throw unsupported(text, allow);
  return attribute;
}

function unsupported(text: string, allow: FilterAllowList): Error {
  const names = [...new Set([...allow.attributes.values()].map((a) => a.key))].length;
  return badScim(
    'invalidFilter',
    `Filtering ${allow.resource.name}s on "${text}" is not supported; the ${names} filterable attributes are listed in docs/rules.md (section 7)`,
  );
}

function typedValue(attribute: FilterableAttribute, op: CompareOp, value: unknown): string | boolean | null {
  if (value === null) {
    if (op !== 'eq' && op !== 'ne') throw badScim('invalidFilter', `"${op} null" compares nothing`);
    return null;
  }
  if (attribute.type === 'boolean') {
    const bool = asBoolean(value);
    if (typeof bool !== 'boolean' || (op !== 'eq' && op !== 'ne'))
      throw badScim(
        'invalidFilter',
        `A boolean is compared with eq or ne to true or false, not ${op} ${JSON.stringify(value)}`,
      );
    return bool;
  }
  if (typeof value === 'boolean') throw badScim('invalidFilter', `${JSON.stringify(value)} is not a text value`);
  const text = String(value);
  if (attribute.type === 'dateTime') {
    const time = Date.parse(text);
    if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}/.test(text))
      throw badScim('invalidFilter', `"${text}" is not a date and time (RFC 3339)`);
    if (op === 'co' || op === 'sw' || op === 'ew')
      throw badScim('invalidFilter', `${op} does not apply to a date and time`);
    return new Date(time).toISOString();
  }
  return text;
}
