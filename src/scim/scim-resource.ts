/*
 * A resource as a client sends it -> the canonical JSON this service works on: attribute names in
 * the schema's spelling (RFC 7643 section 2.1: names are case-insensitive), values checked against
 * their type (section 2.3), `null` read as "no value" (Entra's older clients send it), booleans
 * also in Entra's string spelling ("True"), read-only attributes ignored (section 7: `id`, `meta`,
 * `groups`), the password never kept. An attribute no schema of the resource type defines is
 * refused with its name, and so is a body of another resource type.
 */
import { badScim } from './scim-error.js';
import { assertText } from './storable-text.js';
import { asBoolean, type Element } from './value-filter.js';
import { COMMON_ATTRIBUTES, findAttribute, type AttributeDefinition, type ResourceType } from './scim-schemas.js';

/** A resource in canonical form: core attributes by name, each extension's under its URN. */
export type Resource = Record<string, unknown>;

/** Attributes a client may send and the service ignores (read-only, or never stored). */
const IGNORED = new Set(['id', 'meta', 'groups', 'password']);

export function readResourceBody(body: unknown, type: ResourceType): Resource {
  if (!isObject(body)) throw badScim('invalidSyntax', `The body must be a JSON object: a ${type.name} resource`);
  assertSchemas(body, type);
  const resource: Resource = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const lower = key.toLowerCase();
    if (lower === 'schemas' || IGNORED.has(lower)) continue;
    const extension = type.extensions.find((s) => s.id.toLowerCase() === lower);
    if (extension) {
      if (value === null || value === undefined) continue;
      if (!isObject(value)) throw badScim('invalidValue', `${extension.id} must be an object of its attributes`);
      const inner = readAttributes(value, extension.attributes, extension.id, unknown);
      if (Object.keys(inner).length) resource[extension.id] = inner;
      continue;
    }
    const definition =
      findAttribute(type.schema.attributes, key) ?? (lower === 'externalid' ? COMMON_ATTRIBUTES[1] : undefined);
    if (!definition) {
      unknown.push(key);
      continue;
    }
    const canonical = canonicalValue(definition, value, definition.name);
    if (canonical !== undefined) resource[definition.name] = canonical;
  }
  refuseUnknown(unknown, type);
  return resource;
}

/** RFC 7643 section 3: `schemas` names the resource's core schema; other (even misspelled) URIs are tolerated. */
function assertSchemas(body: Record<string, unknown>, type: ResourceType): void {
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'schemas');
  const schemas = key === undefined ? undefined : body[key];
  const ok =
    Array.isArray(schemas) &&
    schemas.some((s) => typeof s === 'string' && s.toLowerCase() === type.schema.id.toLowerCase());
  if (!ok) throw badScim('invalidValue', `"schemas" must list ${type.schema.id} for a ${type.name}`);
}

function readAttributes(
  value: Record<string, unknown>,
  definitions: readonly AttributeDefinition[],
  where: string,
  unknown: string[],
): Resource {
  const out: Resource = {};
  for (const [key, raw] of Object.entries(value)) {
    const definition = findAttribute(definitions, key);
    if (!definition) {
      unknown.push(`${where}:${key}`);
      continue;
    }
    const canonical = canonicalValue(definition, raw, `${where}:${definition.name}`);
    if (canonical !== undefined) out[definition.name] = canonical;
  }
  return out;
}

function refuseUnknown(unknown: string[], type: ResourceType): void {
  if (unknown.length === 0) return;
  const names = [type.schema.name, ...type.extensions.map((e) => e.name)].join(' and ');
  throw badScim(
    'invalidSyntax',
    `Unknown attribute${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}: not in the ${names} schema${type.extensions.length ? 's' : ''} (GET /Schemas lists them)`,
  );
}

/**
 * One attribute's value in canonical form; undefined when it has none (null, an empty string, an
 * empty list), which callers treat as "absent".
 */
export function canonicalValue(definition: AttributeDefinition, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (definition.multiValued) {
    const items = (Array.isArray(value) ? value : [value])
      .map((item) => canonicalSingle(definition, item, where))
      .filter((item) => item !== undefined);
    assertOnePrimary(items, where);
    return items.length ? items : undefined;
  }
  return canonicalSingle(definition, Array.isArray(value) && definition.type === 'complex' ? value[0] : value, where);
}

function canonicalSingle(definition: AttributeDefinition, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (definition.type === 'complex') {
    // A bare value where an object with a `value` is meant: Entra's manager id, a member id.
    const object = isObject(value) ? value : { value };
    const unknown: string[] = [];
    const out: Element = {};
    for (const [key, raw] of Object.entries(object)) {
      const sub = findAttribute(definition.subAttributes, key);
      if (!sub) unknown.push(`${where}.${key}`);
      else if (sub.mutability !== 'readOnly') {
        const canonical = canonicalSingle(sub, raw, `${where}.${sub.name}`);
        if (canonical !== undefined) out[sub.name] = canonical;
      }
    }
    if (unknown.length)
      throw badScim('invalidSyntax', `Unknown sub-attribute${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
    return Object.keys(out).length ? out : undefined;
  }
  return canonicalSimple(definition, value, where);
}

function canonicalSimple(definition: AttributeDefinition, value: unknown, where: string): unknown {
  switch (definition.type) {
    case 'boolean': {
      const bool = asBoolean(value);
      if (typeof bool !== 'boolean') throw badScim('invalidValue', `${where} must be true or false`);
      return bool;
    }
    case 'integer':
    case 'decimal':
      if (typeof value !== 'number' || (definition.type === 'integer' && !Number.isInteger(value)))
        throw badScim('invalidValue', `${where} must be a number`);
      return value;
    default:
      if (typeof value !== 'string') throw badScim('invalidValue', `${where} must be a string`);
      assertText(value, where);
      return value === '' ? undefined : value;
  }
}

function assertOnePrimary(items: unknown[], where: string): void {
  if (items.filter((item) => isObject(item) && item.primary === true).length > 1)
    throw badScim('invalidValue', `At most one value of ${where} may be primary`);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
