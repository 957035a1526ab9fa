/*
 * Group-to-role mappings for pushed groups (rules 5.1-5.5, 7.4): a pushed group is named in a
 * mapping by its externalId (the Entra group's object id, as a synced group is) or its own id, so a
 * mapping made for the Entra group applies to its pushed members. After a membership change, each
 * member's roles are decided by the same role-sync policy the Graph sync applies; users the Graph
 * sync linked are left to it under userSource 'both'.
 */
import { decideRoles, type RoleMapping } from '../../domain/role-policy.js';
import type { UserSource } from '../../domain/user-source.js';
import type { FieldChange, UserOutcome } from '../../sync/inbound/apply.ports.js';
import type { Repositories } from '../ports/repositories.port.js';
import type { ScimGroupMemberUser } from '../ports/scim.port.js';
import { outcome } from './scim-support.js';

export interface RoleContext {
  roleSync: boolean;
  userSource: UserSource;
}

export interface PushedRoleChanges {
  /** By user id, the roles added and removed. */
  roles: Map<string, FieldChange[]>;
  /** By user id, its e-mail (for the run history). */
  emails: Map<string, string>;
}

/** Applies the policy to these users; their per-user changes, for the run history. */
export async function syncPushedRoles(
  tx: Repositories,
  userIds: readonly string[],
  context: RoleContext,
): Promise<PushedRoleChanges> {
  const changed = new Map<string, FieldChange[]>();
  if (userIds.length === 0) return { roles: changed, emails: new Map() };
  const all = await tx.scimGroups.memberUsers([...new Set(userIds)]);
  const emails = new Map(all.map((u) => [u.id, u.email]));
  const users = all.filter((u) => context.userSource !== 'both' || u.entraId === null);
  if (users.length === 0) return { roles: changed, emails };
  const [mappings, roles] = await Promise.all([tx.roleMappings.list(), tx.roles.list()]);
  const mapping: Record<string, string[]> = {};
  for (const m of mappings) (mapping[m.groupId.toLowerCase()] ??= []).push(m.roleId);
  const names = new Map(roles.map((r) => [r.id, r.name]));
  const protectedRoles = roles.filter((r) => r.protected).map((r) => r.id);
  const rows = users.flatMap((user) => {
    const decision = decide(user, context.roleSync, mapping, protectedRoles);
    const changes = decision.changes.map((c) => ({
      field: 'roles',
      old: c.action === 'remove' ? (names.get(c.role) ?? c.role) : null,
      new: c.action === 'add' ? (names.get(c.role) ?? c.role) : null,
    }));
    if (changes.length) changed.set(user.id, changes);
    const remembered = JSON.stringify(decision.remember) !== JSON.stringify(user.roleSyncState);
    if (!changes.length && !remembered) return [];
    return [
      {
        id: user.id,
        grant: decision.changes.filter((c) => c.action === 'add').map((c) => c.role),
        revoke: decision.changes.filter((c) => c.action === 'remove').map((c) => c.role),
        roleSyncState: decision.remember,
      },
    ];
  });
  await tx.hrUsers.applyRoleDecisions(rows, 'scim');
  return { roles: changed, emails };
}

function decide(user: ScimGroupMemberUser, roleSync: boolean, mapping: RoleMapping, protectedRoles: string[]) {
  return decideRoles({
    roleSyncEnabled: roleSync,
    hasEmployeeProfile: user.hasEmployeeProfile,
    groups: user.groupKeys,
    roles: user.roleIds,
    mapping,
    previous: user.roleSyncState,
    protectedRoles,
  });
}

/** One outcome per user whose groups or roles changed. */
export function membershipOutcomes(
  group: string,
  added: readonly string[],
  removed: readonly string[],
  { roles: roleChanges, emails }: PushedRoleChanges,
): UserOutcome[] {
  const users = new Set([...added, ...removed, ...roleChanges.keys()]);
  return [...users].map((id) => {
    const changes: FieldChange[] = [];
    if (added.includes(id)) changes.push({ field: 'groups', old: null, new: group });
    if (removed.includes(id)) changes.push({ field: 'groups', old: group, new: null });
    changes.push(...(roleChanges.get(id) ?? []));
    return outcome('updated', { id, email: emails.get(id) ?? null, entraId: null }, changes);
  });
}

/**
 * A mapping made or changed for a pushed group applies to its members at once (the Graph sync's
 * groups wait for the next run; pushed groups have none).
 */
export async function applyMappingToPushedGroup(repos: Repositories, key: string): Promise<void> {
  await repos.transaction(async (tx) => {
    const settings = await tx.settings.read();
    if (settings.userSource === 'pull') return;
    const group = await tx.scimGroups.findByKey(key);
    if (!group) return;
    const members = await tx.scimGroups.memberIdsByKey(key);
    const changes = await syncPushedRoles(tx, members, settings);
    await tx.scimHistory.record(membershipOutcomes(group.displayName, [], [], changes));
  });
}
