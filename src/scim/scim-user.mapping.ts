/*
 * An HR user as a SCIM User (RFC 7643 section 4.1 with the enterprise extension, section 4.3) and
 * back. The HR fields sit at the SCIM paths the field catalogue gives them; the rest of what the
 * provisioning client sent (a nickname, a street address, its roles...) has no HR field and is kept
 * verbatim beside the user, so the resource reads back exactly as it was written, which Entra
 * compares against its source. `id` is the HR user's id; `manager.value` the manager's.
 */
import { hash } from 'node:crypto';
import { HR_FIELDS, type HrField } from '../domain/hr-field.catalogue.js';
import { resolvePath, type AttributePath } from './attribute-path.js';
import { pruneTypeOnly, readAt, takeAt, writeAt } from './resource-paths.js';
import { badScim } from './scim-error.js';
import { isObject, type Resource } from './scim-resource.js';
import {
  ENTERPRISE_USER_SCHEMA,
  USER_RESOURCE,
  USER_SCHEMA,
  USER_SCHEMA_DEFINITION,
  ENTERPRISE_USER_SCHEMA_DEFINITION,
} from './scim-schemas.js';

/** The text HR fields of an HR user that have a SCIM attribute, with their resolved paths. */
export const SCIM_USER_FIELDS: ReadonlyArray<{ field: HrField; path: AttributePath }> = (
  Object.keys(HR_FIELDS) as HrField[]
)
  .filter((field) => {
    const d = HR_FIELDS[field] as { scim: string | null; type: string; stored: { hrUser?: unknown } };
    return d.scim !== null && d.type === 'text' && d.stored.hrUser !== undefined;
  })
  .map((field) => ({ field, path: resolvePath(HR_FIELDS[field].scim!, USER_RESOURCE) }));

/**
 * The HR e-mail is HR's login, never rewritten once the user exists (docs/rules.md 2.2 and 7.4): the
 * work e-mail a push sends is also kept as sent beside the user, so a later change of it reads back
 * as Entra wrote it and a filter on it finds the user, while the login stays.
 */
const KEPT_AS_SENT: ReadonlySet<HrField> = new Set<HrField>(['email']);

export type ScimUserValues = Partial<Record<HrField, string | null>>;

/** An HR user as the SCIM endpoint reads it. */
export interface ScimUserRecord {
  id: string;
  /** The userName the provisioning client gave, or the HR e-mail of a user it never wrote. */
  userName: string;
  externalId: string | null;
  active: boolean;
  fields: ScimUserValues;
  managerId: string | null;
  /** What was pushed that has no HR field, in canonical form; null when nothing. */
  attributes: Resource | null;
  /** ISO 8601. */
  created: string;
  lastModified: string;
}

/** A User resource read for a write: what goes where. */
export interface ScimUserWrite {
  userName: string;
  externalId: string | null;
  /** Undefined when the resource says nothing of it (a POST without `active` creates an active user). */
  active: boolean | undefined;
  /** Every mapped field: null when the resource has no value for it. */
  fields: ScimUserValues;
  /** The manager's id as sent; null for none. */
  managerId: string | null;
  attributes: Resource;
}

export function renderUser(record: ScimUserRecord, baseUrl: string): Resource {
  const body: Resource = structuredClone(record.attributes ?? {});
  for (const { field, path } of SCIM_USER_FIELDS) {
    const value = record.fields[field];
    if (value === null || value === undefined) continue;
    if (KEPT_AS_SENT.has(field) && readAt(body, path) !== undefined) continue;
    writeAt(body, path, value);
  }
  pruneTypeOnly(body);
  markPrimaryEmail(body, record.fields.email);
  if (record.managerId !== null)
    writeAt(body, resolvePath(`${ENTERPRISE_USER_SCHEMA}:manager`, USER_RESOURCE), {
      value: record.managerId,
      $ref: `${baseUrl}/Users/${record.managerId}`,
    });
  const resource: Resource = {
    schemas: isObject(body[ENTERPRISE_USER_SCHEMA]) ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA],
    id: record.id,
    ...(record.externalId !== null ? { externalId: record.externalId } : {}),
    userName: record.userName,
    ...ordered(body, USER_SCHEMA_DEFINITION.attributes),
    active: record.active,
  };
  if (isObject(body[ENTERPRISE_USER_SCHEMA]))
    resource[ENTERPRISE_USER_SCHEMA] = ordered(
      body[ENTERPRISE_USER_SCHEMA] as Resource,
      ENTERPRISE_USER_SCHEMA_DEFINITION.attributes,
    );
  return withMeta(resource, 'User', `${baseUrl}/Users/${record.id}`, record.created, record.lastModified);
}

/** Splits a canonical User resource into what HR stores where. */
export function readUser(resource: Resource): ScimUserWrite {
  const rest = structuredClone(resource);
  const userName = rest.userName;
  if (typeof userName !== 'string' || userName.trim() === '')
    throw badScim('invalidValue', 'userName is required (RFC 7643 section 4.1.1)');
  const fields: ScimUserValues = {};
  for (const { field, path } of SCIM_USER_FIELDS) {
    const value = KEPT_AS_SENT.has(field) ? readAt(rest, path) : takeAt(rest, path);
    fields[field] = typeof value === 'string' ? value : null;
  }
  const manager = takeAt(rest, resolvePath(`${ENTERPRISE_USER_SCHEMA}:manager`, USER_RESOURCE));
  const managerId = isObject(manager) && typeof manager.value === 'string' ? manager.value : null;
  const {
    userName: _u,
    externalId,
    active,
    id: _i,
    meta: _m,
    schemas: _s,
    groups: _g,
    password: _p,
    ...attributes
  } = rest;
  return {
    userName,
    externalId: typeof externalId === 'string' ? externalId : null,
    active: typeof active === 'boolean' ? active : undefined,
    fields,
    managerId,
    attributes,
  };
}

/** Entra marks the work e-mail primary; a user HR created gets the same mark on its only e-mail. */
function markPrimaryEmail(body: Resource, email: string | null | undefined): void {
  const emails = body.emails;
  if (!email || !Array.isArray(emails) || emails.some((e) => isObject(e) && e.primary === true)) return;
  const own = emails.find((e) => isObject(e) && e.value === email) as Record<string, unknown> | undefined;
  if (own && emails.length === 1) own.primary = true;
}

/** The attributes in the schema's order (a stable, readable body). */
export function ordered(body: Resource, attributes: ReadonlyArray<{ name: string }>): Resource {
  const out: Resource = {};
  for (const { name } of attributes) if (body[name] !== undefined) out[name] = body[name];
  return out;
}

/**
 * RFC 7643 section 3.1 meta, with `version` a weak entity tag over the representation (RFC 7644
 * section 3.14): it changes exactly when what a client reads changes.
 */
export function withMeta(
  resource: Resource,
  resourceType: 'User' | 'Group',
  location: string,
  created: string,
  lastModified: string,
  versionOf: unknown = resource,
): Resource {
  return { ...resource, meta: { resourceType, created, lastModified, location, version: weakTag(versionOf) } };
}

/** A weak entity tag (RFC 9110 section 8.8.3) of a representation. */
export function weakTag(representation: unknown): string {
  return `W/"${hash('sha256', JSON.stringify(representation), 'base64url').slice(0, 27)}"`;
}
