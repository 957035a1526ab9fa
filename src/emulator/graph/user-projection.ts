import { DEFAULT_USER_PROPERTIES, EXTENSION_ATTRIBUTE_KEYS, USER_COLLECTION_PROPERTIES } from '../store/user-schema.js';
import type { DirectoryStore } from '../store/directory-store.js';
import type { UserRecord } from '../store/store-types.js';

/**
 * Graph sends every extension attribute key, null when unset
 * (https://learn.microsoft.com/graph/api/resources/user).
 */
function extensionAttributes(value: unknown): Record<string, unknown> {
  const source = (value ?? {}) as Record<string, unknown>;
  return Object.fromEntries(EXTENSION_ATTRIBUTE_KEYS.map((k) => [k, source[k] ?? null]));
}

/**
 * `S-1-12-1-a-b-c-d`: the object id's 16 bytes (GUID byte order) read as four little-endian
 * integers, the form Entra gives cloud-only objects. Any stable SID would do for a generated tenant.
 */
export function cloudSecurityIdentifier(objectId: string): string {
  const hex = objectId.replace(/-/g, '');
  const bytes = Buffer.from(hex, 'hex');
  // A GUID's first three fields are stored little-endian.
  const ordered = Buffer.concat([
    Buffer.from(bytes.subarray(0, 4)).reverse(),
    Buffer.from(bytes.subarray(4, 6)).reverse(),
    Buffer.from(bytes.subarray(6, 8)).reverse(),
    bytes.subarray(8, 16),
  ]);
  return `S-1-12-1-${[0, 4, 8, 12].map((o) => ordered.readUInt32LE(o)).join('-')}`;
}

/**
 * Properties the emulator never stores but can answer from what it has (user resource page,
 * https://learn.microsoft.com/graph/api/resources/user?view=graph-rest-1.0): the SID (the synced
 * one for synced users), sessions valid since creation, an empty certificate binding list.
 */
function derivedValue(user: UserRecord, prop: string): unknown {
  switch (prop) {
    case 'securityIdentifier':
      return user.p['onPremisesSecurityIdentifier'] ?? cloudSecurityIdentifier(user.id);
    case 'signInSessionsValidFromDateTime':
      return user.p['createdDateTime'];
    case 'authorizationInfo':
      return { certificateUserIds: [] };
    default:
      return undefined;
  }
}

function storedOrDerived(user: UserRecord, prop: string): unknown {
  return user.p[prop] ?? derivedValue(user, prop);
}

/** The value Graph returns for a selected property: null when unset, [] for empty collections. */
export function selectedValue(user: UserRecord, prop: string): unknown {
  if (prop === 'onPremisesExtensionAttributes') return extensionAttributes(user.p[prop]);
  const value = storedOrDerived(user, prop);
  if (value === undefined || value === null) return USER_COLLECTION_PROPERTIES.has(prop) ? [] : null;
  return value;
}

/**
 * A user as /users returns it: the 11 default properties without $select, otherwise the selected
 * ones plus `id` (https://learn.microsoft.com/graph/api/user-list).
 */
export function projectUser(user: UserRecord, select: readonly string[] | undefined): Record<string, unknown> {
  const props = select ?? DEFAULT_USER_PROPERTIES;
  const out: Record<string, unknown> = {};
  for (const prop of props) {
    if (prop === 'manager') continue;
    out[prop] = selectedValue(user, prop);
  }
  if (!('id' in out)) out['id'] = user.id;
  return out;
}

/**
 * `$expand=manager(...)` adds a nested directoryObject; absent when there is none
 * (https://learn.microsoft.com/graph/api/user-list-manager).
 */
export function withManager(
  out: Record<string, unknown>,
  user: UserRecord,
  store: DirectoryStore,
  select: readonly string[] | undefined,
): Record<string, unknown> {
  const manager = user.managerId === undefined ? undefined : store.users.get(user.managerId);
  if (manager) out['manager'] = { '@odata.type': '#microsoft.graph.user', ...projectUser(manager, select) };
  return out;
}

/** Delta leaves out properties that were never set (https://learn.microsoft.com/graph/delta-query-users). */
export function projectUserForDelta(
  user: UserRecord,
  select: readonly string[] | undefined,
  only?: ReadonlySet<string>,
): Record<string, unknown> {
  const props = select ?? DEFAULT_USER_PROPERTIES;
  const out: Record<string, unknown> = {};
  for (const prop of props) {
    if (prop === 'manager' || prop === 'id') continue;
    if (only && !only.has(prop)) continue;
    const value = only ? user.p[prop] : storedOrDerived(user, prop);
    if (value === undefined) {
      if (only) out[prop] = null; // return=minimal: a property set to null is reported as null
      continue;
    }
    out[prop] = prop === 'onPremisesExtensionAttributes' ? extensionAttributes(value) : value;
  }
  out['id'] = user.id;
  return out;
}
