import { validateRoleMapping } from '../domain/role-policy.js';
import type { TenantGroups } from './entra-connection.ports.js';
import { AppError } from './app-error.js';
import { applyMappingToPushedGroup } from './scim/pushed-roles.js';
import type { HeldRole } from './ports/hr-user.port.js';
import type { Repositories } from './ports/repositories.port.js';
import type { RoleMappingView } from './ports/role.port.js';

export type { RoleMappingView } from './ports/role.port.js';

/**
 * Entra group -> HR role mappings (rule 5.1). Role sync reads them at the start of each run; a
 * changed mapping changes the run's settings, so the next run re-applies every user (5.5 e).
 */
export class RoleMappingsService {
  constructor(
    private readonly repos: Repositories,
    private readonly graph: TenantGroups | null,
  ) {}

  async list(): Promise<RoleMappingView[]> {
    return this.repos.roleMappings.list();
  }

  /**
   * The group must be a group pushed over SCIM (named by its externalId, the Entra group's object id,
   * or its own id) or a group of the tenant (asked of Graph); the role an existing unprotected one.
   */
  async create(groupId: string, roleId: string, actorId: string): Promise<RoleMappingView> {
    const role = await requireRole(this.repos, roleId);
    const id = groupId.toLowerCase();
    const pushed = await this.repos.scimGroups.findByKey(id);
    const [group] = pushed ? [pushed] : await this.requireGraph().getGroups([id]);
    if (!group)
      throw new AppError('validation_failed', `Not a group of the tenant: ${id}`, [
        { path: 'body.groupId', message: `unknown group ${id}` },
      ]);
    const groupName = group.displayName ?? id;
    await refuseProtected(this.repos, groupName, role);
    const view = await this.repos.transaction(async (tx) => {
      const mappingId = await tx.roleMappings.create({ groupId: id, groupDisplayName: groupName, roleId: role.id });
      if (!mappingId) throw duplicate(groupName, role.name, 'body.roleId');
      await recordAudit(tx, actorId, 'role-mapping.create', `role-mapping:${mappingId}`, null, {
        groupId: id,
        groupDisplayName: groupName,
        roleId: role.id,
        roleName: role.name,
      });
      return (await tx.roleMappings.view(mappingId))!;
    });
    if (pushed) await applyMappingToPushedGroup(this.repos, id);
    return view;
  }

  /**
   * Maps the group to another role: members' old mapped role is swapped for the new one at the next
   * run (5.5 e), at once for the members of a pushed group.
   */
  async changeRole(mappingId: string, roleId: string, actorId: string): Promise<RoleMappingView> {
    const view = await this.repos.transaction(async (tx) => {
      const before = await lockMapping(tx, mappingId);
      if (before.roleId === roleId) return before;
      const role = await requireRole(tx, roleId);
      await refuseProtected(tx, before.groupDisplayName, role);
      if (await tx.roleMappings.isMapped(before.groupId, role.id))
        throw duplicate(before.groupDisplayName, role.name, 'body.roleId');
      await tx.roleMappings.changeRole(mappingId, role.id);
      await recordAudit(
        tx,
        actorId,
        'role-mapping.update',
        `role-mapping:${mappingId}`,
        { groupId: before.groupId, roleId: before.roleId, roleName: before.roleName },
        { groupId: before.groupId, roleId: role.id, roleName: role.name },
      );
      return (await tx.roleMappings.view(mappingId))!;
    });
    await applyMappingToPushedGroup(this.repos, view.groupId);
    return view;
  }

  /** The group's members keep the roles it gave them, as ordinary roles that role sync no longer updates (5.4). */
  async remove(mappingId: string, actorId: string): Promise<void> {
    await this.repos.transaction(async (tx) => {
      const before = await lockMapping(tx, mappingId);
      await tx.roleMappings.remove(mappingId);
      await recordAudit(
        tx,
        actorId,
        'role-mapping.delete',
        `role-mapping:${mappingId}`,
        {
          groupId: before.groupId,
          groupDisplayName: before.groupDisplayName,
          roleId: before.roleId,
          roleName: before.roleName,
        },
        null,
      );
    });
  }

  private requireGraph(): TenantGroups {
    if (!this.graph) throw new AppError('conflict', 'No Entra connection is configured');
    return this.graph;
  }
}

async function requireRole(repos: Repositories, roleId: string): Promise<HeldRole> {
  const role = await repos.roles.find(roleId);
  if (!role)
    throw new AppError('validation_failed', `No role with id ${roleId} exists in HR.`, [
      { path: 'body.roleId', message: `unknown role ${roleId}` },
    ]);
  return role;
}

/** Rule 5.3: a group is never mapped to a protected (administrator) role; the reason comes from the domain. */
async function refuseProtected(repos: Repositories, groupName: string, role: HeldRole): Promise<void> {
  const protectedRoles = await repos.roles.protectedNames();
  const result = validateRoleMapping({ [groupName]: [role.name] }, { protectedRoles });
  if (!result.ok)
    throw new AppError(
      'validation_failed',
      result.errors.map((e) => e.message).join(' '),
      result.errors.map((e) => ({ path: 'body.roleId', message: e.message })),
    );
}

function duplicate(groupName: string, roleName: string, path: string): AppError {
  const message = `Group "${groupName}" is already mapped to role "${roleName}".`;
  return new AppError('validation_failed', message, [{ path, message }]);
}

async function lockMapping(tx: Repositories, id: string): Promise<RoleMappingView> {
  const row = await tx.roleMappings.lock(id);
  if (!row) throw new AppError('not_found', 'Role mapping does not exist');
  return row;
}

async function recordAudit(
  tx: Repositories,
  actorId: string,
  action: string,
  target: string,
  oldValue: unknown,
  newValue: unknown,
): Promise<void> {
  await tx.audit.record([{ actorId, action, target, oldValue, newValue }]);
}
