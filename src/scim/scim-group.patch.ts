/*
 * PatchOp on a Group, as membership changes rather than a rewritten member list: a group may have
 * many thousands of members, and Entra adds and removes them a few at a time (Microsoft Learn,
 * "Group Operations": https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups).
 * Every form Entra sends is read: members added as a list, removed by a value list (without the
 * compliance flag) or by `members[value eq "..."]` (with it), all removed by a bare path, the name
 * replaced with or without a path (RFC 7644 section 3.5.2).
 */
import type { Filter } from './filter-text.js';
import { resolvePath } from './attribute-path.js';
import { member, readPatchBody, type PatchOperation } from './patch-operations.js';
import { badScim } from './scim-error.js';
import { canonicalValue, isObject } from './scim-resource.js';
import { findAttribute, GROUP_RESOURCE, GROUP_SCHEMA_DEFINITION } from './scim-schemas.js';
import { MAX_GROUP_NAME, memberIds } from './scim-group.mapping.js';

export type MembershipChange = { kind: 'add'; ids: string[] } | { kind: 'remove'; ids: string[] } | { kind: 'clear' };

export interface GroupPatch {
  displayName?: string;
  /** null removes it. */
  externalId?: string | null;
  /** In the order the operations gave them. */
  members: MembershipChange[];
}

const MEMBERS = findAttribute(GROUP_SCHEMA_DEFINITION.attributes, 'members')!;

export function planGroupPatch(body: unknown): GroupPatch {
  const patch: GroupPatch = { members: [] };
  for (const operation of readPatchBody(body)) {
    if (operation.path === undefined) {
      if (!isObject(operation.value))
        throw badScim('invalidValue', `${operation.op} without a path needs an object of attributes as its value`);
      for (const [key, value] of Object.entries(operation.value)) apply(patch, { ...operation, path: key, value });
    } else apply(patch, operation);
  }
  return patch;
}

function apply(patch: GroupPatch, operation: PatchOperation): void {
  const path = resolvePath(operation.path!, GROUP_RESOURCE);
  const name = path.attribute?.name;
  if (name === 'id' || name === 'meta') throw badScim('mutability', `"${name}" is read-only`);
  if (name === 'members') return applyMembers(patch, operation, path.valueFilter, path.sub !== undefined);
  if (path.sub || path.valueFilter) throw badScim('invalidPath', `"${operation.path}" does not name a Group attribute`);
  if (name === 'displayName') {
    const value = operation.op === 'remove' ? undefined : canonicalValue(path.attribute!, operation.value, name);
    if (typeof value !== 'string') throw badScim('invalidValue', 'displayName is required and cannot be removed');
    if (value.length > MAX_GROUP_NAME)
      throw badScim('invalidValue', `displayName is longer than ${MAX_GROUP_NAME} characters`);
    patch.displayName = value;
    return;
  }
  const value = operation.op === 'remove' ? undefined : canonicalValue(path.attribute!, operation.value, name!);
  patch.externalId = typeof value === 'string' ? value : null;
}

function applyMembers(patch: GroupPatch, operation: PatchOperation, filter: Filter | undefined, sub: boolean): void {
  if (sub) throw badScim('invalidPath', `"${operation.path}": change members as a whole or by members[value eq "..."]`);
  if (filter) {
    if (operation.op !== 'remove')
      throw badScim('invalidPath', `${operation.op} takes "members" with a list of values, not a filter`);
    patch.members.push({ kind: 'remove', ids: idsOf(filter) });
    return;
  }
  const raw = operation.value === undefined || operation.value === null ? [] : operation.value;
  for (const [i, item] of (Array.isArray(raw) ? raw : [raw]).entries()) {
    const value = typeof item === 'string' ? item : isObject(item) ? member(item, 'value') : undefined;
    if (typeof value !== 'string' || value === '')
      throw badScim('invalidValue', `members[${i}] has no "value": a user's id`);
  }
  const listed = canonicalValue(MEMBERS, operation.value, 'members');
  const ids = Array.isArray(listed) ? memberIds(listed as Array<{ value?: unknown }>) : [];
  if (operation.op === 'add') patch.members.push({ kind: 'add', ids });
  else if (operation.op === 'replace') patch.members.push({ kind: 'clear' }, { kind: 'add', ids });
  // RFC 7644 section 3.5.2.2: no value removes every member; Entra's value list removes those only.
  else patch.members.push(operation.value === undefined ? { kind: 'clear' } : { kind: 'remove', ids });
}

/** `value eq "x"`, or several of them joined by `or`: the ids a removal names. */
function idsOf(filter: Filter): string[] {
  if (filter.op === 'or') return filter.filters.flatMap(idsOf);
  if (filter.op === 'eq' && filter.attrPath.toLowerCase() === 'value' && typeof filter.compValue === 'string')
    return [filter.compValue];
  throw badScim('invalidFilter', 'Members are selected by value only: members[value eq "<user id>"]');
}
