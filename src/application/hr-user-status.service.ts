import { AppError, notFound } from './app-error.js';
import type { HrUserStatus } from './ports/hr-user.port.js';
import type { Repositories } from './ports/repositories.port.js';

export type { HrUserStatus } from './ports/hr-user.port.js';

/** Why an account was switched off by an HR admin, as the sync and the export show it. */
export const DEACTIVATED_IN_HR = 'deactivated-in-hr';

/**
 * An HR admin deactivates or reactivates an account by hand; the sync never deletes users (rule 3.1),
 * an admin may (HrUserDeletionService).
 * For a user linked to Entra the account status follows Entra (3.5): the change is flagged for
 * the next run, which reactivates a user still in a synced group (3.2), or deactivates again one
 * Entra no longer has.
 */
export class HrUserStatusService {
  constructor(private readonly repos: Repositories) {}

  async setActive(id: string, active: boolean, actorId: string | null): Promise<HrUserStatus> {
    if (!active && id === actorId) throw new AppError('conflict', 'You cannot deactivate your own account');
    return this.repos.transaction(async (tx) => {
      const before = await tx.hrUsers.lockStatus(id);
      if (!before) throw notFound('HR user');
      if (before.active === active) return status(before);
      const after = await tx.hrUsers.setActive(id, active, active ? null : DEACTIVATED_IN_HR, 'hr');
      if (before.entraId) await tx.directory.markUsersChanged([before.entraId]);
      await tx.audit.record([
        {
          actorId,
          action: active ? 'hr-user.reactivate' : 'hr-user.deactivate',
          target: id,
          oldValue: { active: before.active },
          newValue: { active },
        },
      ]);
      return after;
    });
  }
}

function status(user: HrUserStatus): HrUserStatus {
  return { id: user.id, email: user.email, active: user.active, deactivatedReason: user.deactivatedReason };
}
