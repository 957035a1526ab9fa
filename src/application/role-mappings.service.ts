import type { EntityManager } from '@mikro-orm/postgresql';
import { validateRoleMapping } from '../domain/role-policy.js';
import type { TenantGroups } from './entra-connection.ports.js';
import { AppError } from './app-error.js';
import { AuditLogService } from './audit-log.service.js';
import { isoUtc } from '../gateways/db/sql-time.js';

export interface RoleMappingView {
  id: string;
  groupId: string;
  groupDisplayName: string;
  roleId: string;
  roleName: string;
  createdAt: string;
}

interface RoleRow {
  id: string;
  name: string;
  protected: boolean;
}

const MAPPING_VIEW = `select m.id, m.entra_group_id as "groupId", m.group_display_name as "groupDisplayName", m.role_id as "roleId",
    r.name as "roleName", ${isoUtc('m.created_at')} as "createdAt"
  from group_role_mapping m join role r on r.id = m.role_id`;

/**
 * Entra group -> HR role mappings (rule 5.1). Role sync reads them at the start of each run; a
 * changed mapping changes the run's settings, so the next run re-applies every user (5.5 e).
 */
export class RoleMappingsService {
  constructor(
    private readonly em: EntityManager,
    private readonly graph: TenantGroups | null,
  ) {}

  async list(): Promise<RoleMappingView[]> {
    return this.em.execute<RoleMappingView[]>(
      `${MAPPING_VIEW} order by lower(m.group_display_name), m.entra_group_id, lower(r.name)`,
    );
  }

  /** The group must be a group of the tenant (asked of Graph), the role an existing unprotected one. */
  async create(groupId: string, roleId: string, actorId: string): Promise<RoleMappingView> {
    const role = await requireRole(this.em, roleId);
    const id = groupId.toLowerCase();
    const [group] = await this.requireGraph().getGroups([id]);
    if (!group)
      throw new AppError('validation_failed', `Not a group of the tenant: ${id}`, [
        { path: 'body.groupId', message: `unknown group ${id}` },
      ]);
    const groupName = group.displayName ?? id;
    await refuseProtected(this.em, groupName, role);
    return this.em.transactional(async (em) => {
      const [row] = await em.execute<{ id: string }[]>(
        `insert into group_role_mapping (entra_group_id, group_display_name, role_id) values (?, ?, ?)
         on conflict (entra_group_id, role_id) do nothing returning id`,
        [id, groupName, role.id],
      );
      if (!row) throw duplicate(groupName, role.name, 'body.roleId');
      await recordAudit(em, actorId, 'role-mapping.create', `role-mapping:${row.id}`, null, {
        groupId: id,
        groupDisplayName: groupName,
        roleId: role.id,
        roleName: role.name,
      });
      return (await mappingView(em, row.id))!;
    });
  }

  /** Maps the group to another role: members' old mapped role is swapped for the new one at the next run (5.5 e). */
  async changeRole(mappingId: string, roleId: string, actorId: string): Promise<RoleMappingView> {
    return this.em.transactional(async (em) => {
      const before = await lockMapping(em, mappingId);
      if (before.roleId === roleId) return before;
      const role = await requireRole(em, roleId);
      await refuseProtected(em, before.groupDisplayName, role);
      const taken = await em.execute('select 1 from group_role_mapping where entra_group_id = ? and role_id = ?', [
        before.groupId,
        role.id,
      ]);
      if (taken.length) throw duplicate(before.groupDisplayName, role.name, 'body.roleId');
      await em.execute('update group_role_mapping set role_id = ? where id = ?', [role.id, mappingId]);
      await recordAudit(
        em,
        actorId,
        'role-mapping.update',
        `role-mapping:${mappingId}`,
        { groupId: before.groupId, roleId: before.roleId, roleName: before.roleName },
        { groupId: before.groupId, roleId: role.id, roleName: role.name },
      );
      return (await mappingView(em, mappingId))!;
    });
  }

  /** The group's members keep the roles it gave them, as ordinary roles that role sync no longer updates (5.4). */
  async remove(mappingId: string, actorId: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const before = await lockMapping(em, mappingId);
      await em.execute('delete from group_role_mapping where id = ?', [mappingId]);
      await recordAudit(
        em,
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

async function requireRole(em: EntityManager, roleId: string): Promise<RoleRow> {
  const [role] = await em.execute<RoleRow[]>('select id, name, protected from role where id = ?', [roleId]);
  if (!role)
    throw new AppError('validation_failed', `No role with id ${roleId} exists in HR.`, [
      { path: 'body.roleId', message: `unknown role ${roleId}` },
    ]);
  return role;
}

/** Rule 5.3: a group is never mapped to a protected (administrator) role; the reason comes from the domain. */
async function refuseProtected(em: EntityManager, groupName: string, role: RoleRow): Promise<void> {
  const protectedRoles = (await em.execute<{ name: string }[]>('select name from role where protected')).map(
    (r) => r.name,
  );
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

async function lockMapping(em: EntityManager, id: string): Promise<RoleMappingView> {
  const [row] = await em.execute<RoleMappingView[]>(`${MAPPING_VIEW} where m.id = ? for update of m`, [id]);
  if (!row) throw new AppError('not_found', 'Role mapping does not exist');
  return row;
}

async function mappingView(em: EntityManager, id: string): Promise<RoleMappingView | null> {
  const rows = await em.execute<RoleMappingView[]>(`${MAPPING_VIEW} where m.id = ?`, [id]);
  return rows[0] ?? null;
}

async function recordAudit(
  em: EntityManager,
  actorId: string,
  action: string,
  target: string,
  oldValue: unknown,
  newValue: unknown,
): Promise<void> {
  await new AuditLogService(em).record([{ actorId, action, target, oldValue, newValue }]);
}
