/*
 * Attribute paths (RFC 7644 section 3.10, https://www.rfc-editor.org/rfc/rfc7644#section-3.10):
 *   [schema URN ":"] attribute ["[" value filter "]"] ["." sub-attribute]
 * resolved against a resource type's schemas, case-insensitively (RFC 7643 section 2.1), to the
 * canonical definitions. Entra's older clients wrote a "." instead of the ":" after an extension's
 * URN (`...:enterprise:2.0:User.manager`); that is read too. A name without a URN is the core
 * schema's, then a common attribute (id, externalId, meta), then an extension's.
 */
import { closingQuote, parseFilter, type Filter } from './filter-text.js';
import { badScim } from './scim-error.js';
import type { ScimType } from './scim-error.js';
import {
  COMMON_ATTRIBUTES,
  findAttribute,
  type AttributeDefinition,
  type ResourceType,
  type SchemaDefinition,
} from './scim-schemas.js';

export interface AttributePath {
  /** The URN of the schema the attribute belongs to; the core schema's for common attributes. */
  readonly schema: string;
  /** True when the attribute lives inside the extension's object of the resource. */
  readonly inExtension: boolean;
  /** Absent when the path names an extension as a whole. */
  readonly attribute?: AttributeDefinition;
  readonly valueFilter?: Filter;
  readonly sub?: AttributeDefinition;
}

const NAME = /^[A-Za-z$][\w$-]*/;

/** Resolves a path; unknown names are a 400 of the given scimType (invalidPath in PATCH, invalidFilter in filters). */
export function resolvePath(text: string, type: ResourceType, scimType: ScimType = 'invalidPath'): AttributePath {
  const fail = (why: string) => badScim(scimType, `"${text}" is not an attribute path of the ${type.name}: ${why}`);
  const trimmed = text.trim();
  const extension = type.extensions.find((s) => startsWithUrn(trimmed, s.id));
  const core = startsWithUrn(trimmed, type.schema.id) ? type.schema : undefined;
  const schema = extension ?? core;
  const rest = schema ? trimmed.slice(schema.id.length + 1) : trimmed;
  if (schema && trimmed.length === schema.id.length) {
    if (!extension) throw fail('a path names an attribute, not the core schema');
    return { schema: extension.id, inExtension: true };
  }
  const parts = splitPath(rest);
  if (!parts) throw fail('expected attribute[filter].subAttribute');
  const found = schema ? lookup([schema], parts.name, type) : lookupUnprefixed(parts.name, type);
  if (!found) throw fail(`there is no attribute "${parts.name}"`);
  const { attribute, owner } = found;
  const sub = parts.sub === undefined ? undefined : findAttribute(attribute.subAttributes, parts.sub);
  if (parts.sub !== undefined && !sub) throw fail(`"${attribute.name}" has no sub-attribute "${parts.sub}"`);
  if (parts.filter !== undefined && !attribute.multiValued)
    throw fail(`only a multi-valued attribute takes a [filter], and "${attribute.name}" is single-valued`);
  return {
    schema: owner.id,
    inExtension: owner !== type.schema && !COMMON_ATTRIBUTES.includes(attribute),
    attribute,
    ...(parts.filter !== undefined ? { valueFilter: parseValueFilter(parts.filter, scimType) } : {}),
    ...(sub ? { sub } : {}),
  };
}

/** The canonical spelling of a resolved path, e.g. `emails[type eq "work"].value`. */
export function pathText(path: AttributePath, filterText?: string): string {
  const prefix = path.inExtension ? `${path.schema}:` : '';
  const filter = filterText === undefined ? '' : `[${filterText}]`;
  return `${prefix}${path.attribute?.name ?? ''}${filter}${path.sub ? `.${path.sub.name}` : ''}`;
}

function startsWithUrn(text: string, urn: string): boolean {
  const lower = text.toLowerCase();
  const head = urn.toLowerCase();
  return lower === head || (lower.startsWith(head) && (text[urn.length] === ':' || text[urn.length] === '.'));
}

function splitPath(text: string): { name: string; filter?: string; sub?: string } | undefined {
  const name = NAME.exec(text)?.[0];
  if (!name) return undefined;
  let rest = text.slice(name.length);
  let filter: string | undefined;
  if (rest.startsWith('[')) {
    const end = closingBracket(rest);
    if (end < 0) return undefined;
    filter = rest.slice(1, end);
    rest = rest.slice(end + 1);
  }
  if (rest === '') return { name, ...(filter !== undefined ? { filter } : {}) };
  const sub = /^\.([A-Za-z$][\w$-]*)$/.exec(rest)?.[1];
  return sub ? { name, ...(filter !== undefined ? { filter } : {}), sub } : undefined;
}

function closingBracket(text: string): number {
  for (let i = 1; i < text.length; i += 1) {
    if (text[i] === '"') i = closingQuote(text, i);
    else if (text[i] === ']') return i;
  }
  return -1;
}

type Found = { attribute: AttributeDefinition; owner: SchemaDefinition };

function lookup(schemas: readonly SchemaDefinition[], name: string, type: ResourceType): Found | undefined {
  for (const owner of schemas) {
    const attribute = findAttribute(owner.attributes, name);
    if (attribute) return { attribute, owner };
  }
  const common = findAttribute(COMMON_ATTRIBUTES, name);
  return common && schemas.includes(type.schema) ? { attribute: common, owner: type.schema } : undefined;
}

function lookupUnprefixed(name: string, type: ResourceType): Found | undefined {
  return lookup([type.schema], name, type) ?? lookup(type.extensions, name, type);
}

function parseValueFilter(text: string, scimType: ScimType): Filter {
  try {
    return parseFilter(text);
  } catch (error) {
    throw badScim(scimType, `The value filter [${text}] is not valid: ${(error as Error).message}`);
  }
}
