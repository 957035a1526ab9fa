import type { EntityManager } from '@mikro-orm/postgresql';
import { DirectoryMirrorRepository } from '../gateways/db/directory-mirror.repository.js';
import { AppError, notFound } from './app-error.js';
import { AuditLogService } from './audit-log.service.js';

export interface HrUserStatus {
  id: string;
  email: string;
  active: boolean;
  deactivatedReason: string | null;
}

/** Why an account was switched off by an HR admin, as the sync and the export show it. */
export const DEACTIVATED_IN_HR = 'deactivated-in-hr';

/**
 * An HR admin deactivates or reactivates an account by hand. Users are never deleted (rule 3.1).
 * For a user linked to Entra the account status follows Entra (3.5): the change is flagged for
 * the next run, which reactivates a user still in a synced group (3.2), or deactivates again one
 * Entra no longer has.
 */
export class HrUserStatusService {
  constructor(private readonly em: EntityManager) {}

  async setActive(id: string, active: boolean, actorId: string | null): Promise<HrUserStatus> {
    if (!active && id === actorId) throw new AppError('conflict', 'You cannot deactivate your own account');
    return this.em.transactional(async (em) => {
      const [before] = await em.execute<Array<HrUserStatus & { entraId: string | null }>>(
        'select id, email, active, deactivated_reason as "deactivatedReason", entra_id as "entraId" from hr_user where id = ? for update',
        [id],
      );
      if (!before) throw notFound('HR user');
      if (before.active === active) return status(before);
      const [after] = await em.execute<HrUserStatus[]>(
        `update hr_user set active = ?, deactivated_reason = ?, updated_at = now() where id = ?
         returning id, email, active, deactivated_reason as "deactivatedReason"`,
        [active, active ? null : DEACTIVATED_IN_HR, id],
      );
      if (before.entraId) await new DirectoryMirrorRepository(em).markUsersChanged([before.entraId]);
      await new AuditLogService(em).record([
        {
          actorId,
          action: active ? 'hr-user.reactivate' : 'hr-user.deactivate',
          target: id,
          oldValue: { active: before.active },
          newValue: { active },
        },
      ]);
      return after!;
    });
  }
}

function status(user: HrUserStatus): HrUserStatus {
  return { id: user.id, email: user.email, active: user.active, deactivatedReason: user.deactivatedReason };
}
