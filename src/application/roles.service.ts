import type { EntityManager } from '@mikro-orm/postgresql';
import { protectedLookAlike } from '../domain/role-name.js';
import { AppError } from './app-error.js';
import { AuditLogService, protectedRoleEntries } from './audit-log.service.js';

export interface RoleView {
  id: string;
  name: string;
  protected: boolean;
  /** HR users holding the role. */
  holders: number;
  mappedGroups: Array<{ mappingId: string; groupId: string; groupDisplayName: string }>;
}

export interface UserRolesView {
  id: string;
  email: string;
  roles: string[];
}

interface RoleRow {
  id: string;
  name: string;
  protected: boolean;
}

const ROLE_VIEW = `select r.id, r.name, r.protected,
    (select count(*)::int from user_role ur where ur.role_id = r.id) as holders,
    coalesce((select json_agg(json_build_object('mappingId', m.id, 'groupId', m.entra_group_id, 'groupDisplayName', m.group_display_name)
                              order by lower(m.group_display_name), m.entra_group_id)
                from group_role_mapping m where m.role_id = r.id), '[]') as "mappedGroups"
  from role r`;

/**
 * HR roles and the roles HR users hold (domain rules section 5). Every change is one transaction
 * with one audit row; a refusal changes nothing. Role sync itself is switched in the integration
 * settings (PATCH /api/admin/settings {roleSync}).
 */
export class RolesService {
  constructor(private readonly em: EntityManager) {}

  async list(): Promise<RoleView[]> {
    return this.em.execute<RoleView[]>(`${ROLE_VIEW} order by lower(r.name)`);
  }

  async create(name: string, actorId: string): Promise<RoleView> {
    return this.em.transactional(async (em) => {
      await assertNameFree(em, name, null);
      const [row] = await em.execute<{ id: string }[]>('insert into role (name) values (?) returning id', [name]);
      await recordAudit(em, actorId, 'role.create', `role:${row!.id}`, null, { name });
      return (await roleView(em, row!.id))!;
    });
  }

  /**
   * Renames a role; its mappings and holders follow since they reference its id. A protected role
   * keeps its name: the bootstrap administrator is granted the role named "Administrator" at every
   * start, so renaming it would silently stop that.
   */
  async rename(id: string, name: string, actorId: string): Promise<RoleView> {
    return this.em.transactional(async (em) => {
      const [role] = await em.execute<RoleRow[]>('select id, name, protected from role where id = ? for update', [id]);
      if (!role) throw new AppError('not_found', 'Role does not exist');
      if (role.name === name) return (await roleView(em, id))!;
      if (role.protected) {
        throw new AppError(
          'validation_failed',
          `Role "${role.name}" is a protected (administrator) role and cannot be renamed.`,
          [{ path: 'params.id', message: 'protected role' }],
        );
      }
      await assertNameFree(em, name, id);
      await em.execute('update role set name = ? where id = ?', [name, id]);
      await recordAudit(em, actorId, 'role.rename', `role:${id}`, { name: role.name }, { name });
      return (await roleView(em, id))!;
    });
  }

  /**
   * Sets exactly the roles an HR user holds, in HR (granted by 'hr'). Protected roles may be given
   * and taken here: rule 5.3 protects them from role sync, not from an administrator.
   */
  async replaceUserRoles(userId: string, names: string[], actorId: string): Promise<UserRolesView> {
    return this.em.transactional(async (em) => {
      const user = await lockUser(em, userId);
      const wanted = [...new Set(names.map((n) => n.trim().toLowerCase()))];
      const roles = await em.execute<RoleRow[]>(
        'select id, name, protected from role where lower(name) in (select jsonb_array_elements_text(?::jsonb))',
        [JSON.stringify(wanted)],
      );
      const unknown = wanted.filter((n) => !roles.some((r) => r.name.toLowerCase() === n));
      if (unknown.length)
        throw new AppError(
          'validation_failed',
          `Unknown role: ${unknown.join(', ')}`,
          unknown.map((n) => ({ path: 'body.roles', message: `unknown role ${n}` })),
        );
      await changeUserRoles(em, user, roles, actorId, 'user.roles.replace');
      return userRolesView(em, userId);
    });
  }

  /** Takes one role away from an HR user; taking a role the user does not hold changes nothing. */
  async removeUserRole(userId: string, roleId: string, actorId: string): Promise<UserRolesView> {
    return this.em.transactional(async (em) => {
      const user = await lockUser(em, userId);
      const [role] = await em.execute<RoleRow[]>('select id from role where id = ?', [roleId]);
      if (!role) throw new AppError('not_found', 'Role does not exist');
      const next = (await heldRoles(em, userId)).filter((r) => r.id !== roleId);
      await changeUserRoles(em, user, next, actorId, 'user.roles.remove');
      return userRolesView(em, userId);
    });
  }
}

interface LockedUser {
  id: string;
  entra_id: string | null;
}

async function lockUser(em: EntityManager, userId: string): Promise<LockedUser> {
  const [user] = await em.execute<LockedUser[]>('select id, entra_id from hr_user where id = ? for update', [userId]);
  if (!user) throw new AppError('not_found', 'HR user does not exist');
  return user;
}

async function heldRoles(em: EntityManager, userId: string): Promise<RoleRow[]> {
  return em.execute<RoleRow[]>(
    'select r.id, r.name, r.protected from user_role ur join role r on r.id = ur.role_id where ur.hr_user_id = ?',
    [userId],
  );
}

async function changeUserRoles(
  em: EntityManager,
  user: LockedUser,
  next: RoleRow[],
  actorId: string,
  action: string,
): Promise<void> {
  const current = await heldRoles(em, user.id);
  const added = next.filter((r) => !current.some((c) => c.id === r.id));
  const removed = current.filter((c) => !next.some((r) => r.id === c.id));
  if (!added.length && !removed.length) return;
  if (removed.some((r) => r.protected)) await assertAnotherAdministrator(em, user.id);
  if (removed.length) {
    await em.execute(
      'delete from user_role where hr_user_id = ? and role_id in (select jsonb_array_elements_text(?::jsonb)::uuid)',
      [user.id, JSON.stringify(removed.map((r) => r.id))],
    );
  }
  if (added.length) {
    await em.execute(
      `insert into user_role (hr_user_id, role_id, granted_by) select ?, r::uuid, 'hr' from jsonb_array_elements_text(?::jsonb) r`,
      [user.id, JSON.stringify(added.map((r) => r.id))],
    );
  }
  const names = (roles: RoleRow[]) => roles.map((r) => r.name).sort();
  await new AuditLogService(em).record(
    protectedRoleEntries(
      actorId,
      user.id,
      added.filter((r) => r.protected),
      removed.filter((r) => r.protected),
    ),
  );
  await recordAudit(em, actorId, action, `hr-user:${user.id}`, names(current), names(next));
  // The next incremental run must look at this user again, although nothing changed in Entra: a
  // mapped role removed in HR resets the user's roles to the mapped ones (rule 5.5 d).
  if (user.entra_id)
    await em.execute(`update entra_user set changed_seq = nextval('entra_change_seq') where entra_id = ?`, [
      user.entra_id,
    ]);
}

/** Nobody may take away the last active administrator's protected role: the API would lock everyone out. */
async function assertAnotherAdministrator(em: EntityManager, userId: string): Promise<void> {
  // Serialises concurrent removals, so two admins cannot demote each other at once.
  await em.execute(`select pg_advisory_xact_lock(hashtext('ehc:protected-role-holders'))`);
  const others = await em.execute<{ id: string }[]>(
    `select u.id from user_role ur join role r on r.id = ur.role_id join hr_user u on u.id = ur.hr_user_id
      where r.protected and u.active and u.id <> ? limit 1`,
    [userId],
  );
  if (!others.length) throw new AppError('conflict', 'This would leave no active HR user with an administrator role.');
}

async function assertNameFree(em: EntityManager, name: string, exceptId: string | null): Promise<void> {
  // Serialises role-name changes: the unique index is case-sensitive, the rule is not.
  await em.execute(`select pg_advisory_xact_lock(hashtext('ehc:role-name'))`);
  const taken = await em.execute<{ name: string }[]>(
    'select name from role where lower(name) = lower(?) and id is distinct from ?::uuid',
    [name, exceptId],
  );
  if (taken.length)
    throw new AppError(
      'conflict',
      `A role named "${taken[0]!.name}" already exists (role names are compared case-insensitively).`,
    );
  const protectedNames = await em.execute<{ name: string }[]>('select name from role where protected');
  const lookAlike = protectedLookAlike(
    name,
    protectedNames.map((r) => r.name),
  );
  if (lookAlike) {
    throw new AppError(
      'conflict',
      `The name reads the same as the protected role "${lookAlike}" (compared after Unicode normalisation, without invisible characters, and with look-alike letters folded).`,
    );
  }
}

async function roleView(em: EntityManager, id: string): Promise<RoleView | null> {
  const rows = await em.execute<RoleView[]>(`${ROLE_VIEW} where r.id = ?`, [id]);
  return rows[0] ?? null;
}

async function userRolesView(em: EntityManager, userId: string): Promise<UserRolesView> {
  const [row] = await em.execute<UserRolesView[]>(
    `select u.id, u.email, coalesce((select array_agg(r.name order by r.name) from user_role ur join role r on r.id = ur.role_id where ur.hr_user_id = u.id), '{}') as roles
       from hr_user u where u.id = ?`,
    [userId],
  );
  return row!;
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
