import { DEFAULT_USER_PROPERTIES, EXTENSION_ATTRIBUTE_KEYS } from '../store/user-schema.js';
import type { DirectoryStore } from '../store/directory-store.js';
import type { UserRecord } from '../store/store-types.js';

const COLLECTIONS = new Set(['businessPhones', 'otherMails', 'proxyAddresses', 'identities', 'imAddresses',
  'interests', 'pastProjects', 'responsibilities', 'schools', 'skills']);

/** Graph sends every extension attribute key, null when unset (graph-facts §2.4). */
function extensionAttributes(value: unknown): Record<string, unknown> {
  const source = (value ?? {}) as Record<string, unknown>;
  return Object.fromEntries(EXTENSION_ATTRIBUTE_KEYS.map((k) => [k, source[k] ?? null]));
}

/** The value Graph returns for a selected property: null when unset, [] for empty collections. */
export function selectedValue(user: UserRecord, prop: string): unknown {
  if (prop === 'onPremisesExtensionAttributes') return extensionAttributes(user.p[prop]);
  const value = user.p[prop];
  if (value === undefined || value === null) return COLLECTIONS.has(prop) ? [] : null;
  return value;
}

/**
 * A user as /users returns it: the 11 default properties without $select, otherwise the selected
 * ones plus `id` (graph-facts §2.1).
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

/** `$expand=manager(...)` adds a nested directoryObject; absent when there is none (graph-facts §2.6). */
export function withManager(out: Record<string, unknown>, user: UserRecord, store: DirectoryStore, select: readonly string[] | undefined): Record<string, unknown> {
  const manager = user.managerId === undefined ? undefined : store.users.get(user.managerId);
  if (manager) out['manager'] = { '@odata.type': '#microsoft.graph.user', ...projectUser(manager, select) };
  return out;
}

/** Delta leaves out properties that were never set (graph-facts §5.2). */
export function projectUserForDelta(user: UserRecord, select: readonly string[] | undefined, only?: ReadonlySet<string>): Record<string, unknown> {
  const props = select ?? DEFAULT_USER_PROPERTIES;
  const out: Record<string, unknown> = {};
  for (const prop of props) {
    if (prop === 'manager' || prop === 'id') continue;
    if (only && !only.has(prop)) continue;
    const value = user.p[prop];
    if (value === undefined) {
      if (only) out[prop] = null; // return=minimal: a property set to null is reported as null
      continue;
    }
    out[prop] = prop === 'onPremisesExtensionAttributes' ? extensionAttributes(value) : value;
  }
  out['id'] = user.id;
  return out;
}
