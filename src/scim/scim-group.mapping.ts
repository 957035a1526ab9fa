/*
 * A pushed group as a SCIM Group (RFC 7643 section 4.2): its members are HR users, named by their
 * ids. Groups are matched on displayName (Entra: "Group Operations" in
 * https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups),
 * so it is unique, compared case-insensitively.
 */
import { badScim } from './scim-error.js';
import { readResourceBody, type Resource } from './scim-resource.js';
import { GROUP_RESOURCE, GROUP_SCHEMA } from './scim-schemas.js';
import { withMeta } from './scim-user.mapping.js';

export interface ScimGroupRecord {
  id: string;
  displayName: string;
  externalId: string | null;
  /** Null when the caller left members out (`excludedAttributes=members`): they are not even read. */
  members: Array<{ value: string; display: string | null }> | null;
  created: string;
  lastModified: string;
}

export interface ScimGroupWrite {
  displayName: string;
  externalId: string | null;
  members: string[];
}

/** The longest group name kept (Entra's own displayName limit is 256). */
export const MAX_GROUP_NAME = 256;

export function renderGroup(record: ScimGroupRecord, baseUrl: string): Resource {
  const resource: Resource = {
    schemas: [GROUP_SCHEMA],
    id: record.id,
    ...(record.externalId !== null ? { externalId: record.externalId } : {}),
    displayName: record.displayName,
    ...(record.members === null
      ? {}
      : {
          members: record.members.map((m) => ({
            value: m.value,
            $ref: `${baseUrl}/Users/${m.value}`,
            type: 'User',
            ...(m.display !== null ? { display: m.display } : {}),
          })),
        }),
  };
  return withMeta(
    resource,
    'Group',
    `${baseUrl}/Groups/${record.id}`,
    record.created,
    record.lastModified,
    groupVersionBasis(record),
  );
}

/**
 * A group's version does not hash its members (reading thousands of them to answer an If-Match
 * would cost more than the change): a membership change moves lastModified, which it hashes.
 */
export function groupVersionBasis(record: ScimGroupRecord): unknown {
  return [record.id, record.displayName, record.externalId, record.lastModified];
}

/** A Group body of POST or PUT: its name, external id and member ids (duplicates once). */
export function readGroup(body: unknown): ScimGroupWrite {
  const resource = readResourceBody(body, GROUP_RESOURCE);
  const displayName = resource.displayName;
  if (typeof displayName !== 'string' || displayName.trim() === '')
    throw badScim('invalidValue', 'displayName is required (RFC 7643 section 4.2)');
  if (displayName.length > MAX_GROUP_NAME)
    throw badScim('invalidValue', `displayName is longer than ${MAX_GROUP_NAME} characters`);
  const members = Array.isArray(resource.members) ? (resource.members as Array<{ value?: unknown }>) : [];
  return {
    displayName,
    externalId: typeof resource.externalId === 'string' ? resource.externalId : null,
    members: memberIds(members),
  };
}

export function memberIds(members: ReadonlyArray<{ value?: unknown }>): string[] {
  const ids = members.map((m, i) => {
    if (typeof m.value !== 'string') throw badScim('invalidValue', `members[${i}].value must be a user's id`);
    return m.value;
  });
  return [...new Set(ids)];
}
