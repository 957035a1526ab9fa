import type { DirectoryStore } from '../store/directory-store.js';
import type { GroupRecord, MemberType } from '../store/store-types.js';
import { GROUP_COLLECTION_PROPERTIES } from '../store/group-schema.js';
import { DEFAULT_GROUP_PROPERTIES } from '../store/user-schema.js';
import { cloudSecurityIdentifier, projectUser } from './user-projection.js';

/** The group's SID, derived like a cloud user's (group resource page: "Returned by default"). */
function derivedGroupValue(group: GroupRecord, prop: string): unknown {
  return prop === 'securityIdentifier'
    ? (group.p['onPremisesSecurityIdentifier'] ?? cloudSecurityIdentifier(group.id))
    : undefined;
}

export function projectGroup(group: GroupRecord, select: readonly string[] | undefined): Record<string, unknown> {
  const props = select ?? DEFAULT_GROUP_PROPERTIES;
  const out: Record<string, unknown> = {};
  for (const prop of props) {
    if (prop === 'members') continue;
    const value = group.p[prop] ?? derivedGroupValue(group, prop);
    out[prop] = value ?? (GROUP_COLLECTION_PROPERTIES.has(prop) ? [] : null);
  }
  if (!('id' in out)) out['id'] = group.id;
  return out;
}

export const ODATA_TYPES: Record<MemberType, string> = {
  user: '#microsoft.graph.user',
  group: '#microsoft.graph.group',
  device: '#microsoft.graph.device',
  servicePrincipal: '#microsoft.graph.servicePrincipal',
  orgContact: '#microsoft.graph.orgContact',
};

/**
 * A member as /members returns it: a directoryObject carrying `@odata.type`
 * (https://learn.microsoft.com/graph/api/group-list-members); with $select, each type answers the selected
 * properties it has (null otherwise).
 */
export function projectMember(
  store: DirectoryStore,
  id: string,
  select: readonly string[] | undefined,
): Record<string, unknown> | undefined {
  const user = store.users.get(id);
  if (user) return { '@odata.type': ODATA_TYPES.user, ...projectUser(user, select) };
  const group = store.groups.get(id);
  if (group) return { '@odata.type': ODATA_TYPES.group, ...projectGroup(group, select) };
  const other = store.groups.others.get(id);
  if (!other) return undefined;
  const out: Record<string, unknown> = { '@odata.type': ODATA_TYPES[other.type] };
  const props = select ?? [
    'id',
    'displayName',
    ...Object.keys(other.p).filter((k) => k !== 'id' && k !== 'displayName'),
  ];
  for (const prop of props) out[prop] = other.p[prop] ?? null;
  if (!('id' in out)) out['id'] = other.id;
  return out;
}
