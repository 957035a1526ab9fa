import { protectedLookAlike } from '../domain/role-name.js';
import { AppError } from './app-error.js';
import { protectedRoleEntries } from './audit-log.service.js';
import type { HeldRole } from './ports/hr-user.port.js';
import type { UserRolesView } from './ports/hr-user-views.port.js';
import type { Repositories } from './ports/repositories.port.js';
import type { RoleView } from './ports/role.port.js';

export type { RoleView } from './ports/role.port.js';
export type { UserRolesView } from './ports/hr-user-views.port.js';

/**
 * HR roles and the roles HR users hold (docs/rules.md#roles). Every change is one transaction with
 * one audit row; a refusal changes nothing. Role sync itself is switched in the integration
 * settings (PATCH /api/admin/settings {roleSync}).
 */
export class RolesService {
  constructor(private readonly repos: Repositories) {}

  async list(): Promise<RoleView[]> {
    return this.repos.roles.list();
  }

  async create(name: string, actorId: string): Promise<RoleView> {
    return this.repos.transaction(async (tx) => {
      await assertNameFree(tx, name, null);
      const id = await tx.roles.create(name);
      await recordAudit(tx, actorId, 'role.create', `role:${id}`, null, { name });
      return (await tx.roles.view(id))!;
    });
  }

  /**
   * Renames a role; its mappings and holders follow since they reference its id. A protected role
   * keeps its name: the bootstrap administrator is granted the role named "Administrator" at every
   * start, so renaming it would silently stop that.
   */
  async rename(id: string, name: string, actorId: string): Promise<RoleView> {
    return this.repos.transaction(async (tx) => {
      const role = await tx.roles.lock(id);
      if (!role) throw new AppError('not_found', 'Role does not exist');
      if (role.name === name) return (await tx.roles.view(id))!;
      if (role.protected) {
        throw new AppError(
          'validation_failed',
          `Role "${role.name}" is a protected (administrator) role and cannot be renamed.`,
          [{ path: 'params.id', message: 'protected role' }],
        );
      }
      await assertNameFree(tx, name, id);
      await tx.roles.rename(id, name);
      await recordAudit(tx, actorId, 'role.rename', `role:${id}`, { name: role.name }, { name });
      return (await tx.roles.view(id))!;
    });
  }

  /**
   * Sets exactly the roles an HR user holds, in HR (granted by 'hr'). Protected roles may be given
   * and taken here: they are protected from role sync, not from an administrator.
   */
  async replaceUserRoles(userId: string, names: string[], actorId: string): Promise<UserRolesView> {
    return this.repos.transaction(async (tx) => {
      const user = await lockUser(tx, userId);
      const wanted = [...new Set(names.map((n) => n.trim().toLowerCase()))];
      const roles = await tx.roles.findByLowerNames(wanted);
      const unknown = wanted.filter((n) => !roles.some((r) => r.name.toLowerCase() === n));
      if (unknown.length)
        throw new AppError(
          'validation_failed',
          `Unknown role: ${unknown.join(', ')}`,
          unknown.map((n) => ({ path: 'body.roles', message: `unknown role ${n}` })),
        );
      await changeUserRoles(tx, user, roles, actorId, 'user.roles.replace');
      return (await tx.hrUserViews.roles(userId))!;
    });
  }

  /** Takes one role away from an HR user; taking a role the user does not hold changes nothing. */
  async removeUserRole(userId: string, roleId: string, actorId: string): Promise<UserRolesView> {
    return this.repos.transaction(async (tx) => {
      const user = await lockUser(tx, userId);
      if (!(await tx.roles.find(roleId))) throw new AppError('not_found', 'Role does not exist');
      const next = (await tx.hrUsers.roles(userId)).filter((r) => r.id !== roleId);
      await changeUserRoles(tx, user, next, actorId, 'user.roles.remove');
      return (await tx.hrUserViews.roles(userId))!;
    });
  }
}

interface LockedUser {
  id: string;
  entraId: string | null;
}

async function lockUser(tx: Repositories, userId: string): Promise<LockedUser> {
  const user = await tx.hrUsers.lockLink(userId);
  if (!user) throw new AppError('not_found', 'HR user does not exist');
  return user;
}

async function changeUserRoles(
  tx: Repositories,
  user: LockedUser,
  next: HeldRole[],
  actorId: string,
  action: string,
): Promise<void> {
  const current = await tx.hrUsers.roles(user.id);
  const added = next.filter((r) => !current.some((c) => c.id === r.id));
  const removed = current.filter((c) => !next.some((r) => r.id === c.id));
  if (!added.length && !removed.length) return;
  // Nobody may take away the last active administrator's protected role: the API would lock everyone out.
  if (removed.some((r) => r.protected) && !(await tx.hrUsers.hasAnotherActiveAdministrator(user.id)))
    throw new AppError('conflict', 'This would leave no active HR user with an administrator role.');
  await tx.hrUsers.changeRoles(user.id, { grant: added.map((r) => r.id), revoke: removed.map((r) => r.id) }, 'hr');
  const names = (roles: HeldRole[]) => roles.map((r) => r.name).sort();
  await tx.audit.record(
    protectedRoleEntries(
      actorId,
      user.id,
      added.filter((r) => r.protected),
      removed.filter((r) => r.protected),
    ),
  );
  await recordAudit(tx, actorId, action, `hr-user:${user.id}`, names(current), names(next));
  // The next incremental run must look at this user again, although nothing changed in Entra: a
  // mapped role removed in HR resets the user's roles to the mapped ones (README, "Role-sync policy").
  if (user.entraId) await tx.directory.markUsersChanged([user.entraId]);
}

async function assertNameFree(tx: Repositories, name: string, exceptId: string | null): Promise<void> {
  const taken = await tx.roles.nameTakenBy(name, exceptId);
  if (taken)
    throw new AppError(
      'conflict',
      `A role named "${taken}" already exists (role names are compared case-insensitively).`,
    );
  const lookAlike = protectedLookAlike(name, await tx.roles.protectedNames());
  if (lookAlike) {
    throw new AppError(
      'conflict',
      `The name reads the same as the protected role "${lookAlike}" (compared after Unicode normalisation, without invisible characters, and with look-alike letters folded).`,
    );
  }
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
