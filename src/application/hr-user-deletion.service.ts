import { AppError, badRequest, notFound } from './app-error.js';
import { protectedRoleEntries } from './audit-log.service.js';
import type { Repositories } from './ports/repositories.port.js';

/** What deleting an HR user does to its Entra user (rule 4.3). */
export type EntraOutcome = 'deleted-by-write-back' | 'not-linked' | 'kept-write-back-off';

export interface HrUserDeletion {
  id: string;
  email: string;
  /** The Entra user the HR user was linked to; the write-back change keeps it, so a restore in Entra is found again. */
  entraId: string | null;
  entra: EntraOutcome;
  /** The outbox change that deletes the Entra user (GET /api/admin/write-back/changes); null when none. */
  writeBackChangeId: string | null;
  /** The employee profile that stays, no longer connected to an HR user; null when there was none. */
  employeeProfileId: string | null;
  /** What the admin should know next, in words. */
  notes: string[];
}

/**
 * An HR admin deletes an HR user (rule 4.3). Deleting cannot be undone in HR, so the caller names
 * the user's e-mail as confirmation (`confirm`); without it nothing happens and the answer says what
 * would. One transaction: the write-back change that deletes the Entra user (with its Entra id),
 * the audit entry with what the user was, and the deletion commit together or not at all.
 */
export class HrUserDeletionService {
  constructor(private readonly repos: Repositories) {}

  async delete(id: string, confirm: string | undefined, actorId: string | null): Promise<HrUserDeletion> {
    if (id === actorId) throw new AppError('conflict', 'You cannot delete your own account');
    return this.repos.transaction(async (tx) => {
      const user = await tx.hrUsers.lockStatus(id);
      if (!user) throw notFound('HR user');
      const summary = (await tx.hrUserViews.summary(id))!;
      const employeeProfileId = (await tx.employeeProfiles.hrUserByEmail(user.email))?.profileId ?? null;
      const settings = await tx.settings.read();
      const entra: EntraOutcome =
        user.entraId === null
          ? 'not-linked'
          : settings.writeBackDelete
            ? 'deleted-by-write-back'
            : 'kept-write-back-off';
      const notes = consequences(user.email, user.entraId, entra, employeeProfileId !== null);
      if (confirm?.trim().toLowerCase() !== user.email.toLowerCase())
        throw badRequest(
          `Deleting an HR user cannot be undone. ${notes.join(' ')} To delete it, send confirm=${user.email}.`,
          [{ path: 'query.confirm', message: `must be the HR user's e-mail, ${user.email}` }],
        );
      const roles = await tx.hrUsers.roles(id);
      const protectedRoles = roles.filter((role) => role.protected);
      if (protectedRoles.length > 0 && !(await tx.hrUsers.hasAnotherActiveAdministrator(id)))
        throw new AppError('conflict', `${user.email} is the last active administrator, so it cannot be deleted`);
      const { writeBackChangeId } = await tx.hrUsers.delete(id, 'hr');
      await tx.audit.record([
        {
          actorId,
          action: 'hr-user.delete',
          target: `hr-user:${id}`,
          oldValue: {
            email: user.email,
            firstName: summary.firstName,
            lastName: summary.lastName,
            active: user.active,
            origin: summary.origin,
            entraId: user.entraId,
            roles: summary.roles,
            employeeProfileId,
          },
          newValue: { deleted: true, entra, writeBackChangeId },
        },
        ...protectedRoleEntries(actorId, id, [], protectedRoles),
      ]);
      return { id, email: user.email, entraId: user.entraId, entra, writeBackChangeId, employeeProfileId, notes };
    });
  }
}

/** What deleting does beyond HR, as the admin reads it before and after. */
function consequences(email: string, entraId: string | null, entra: EntraOutcome, hasProfile: boolean): string[] {
  const notes = [`${email} loses its roles, API tokens, sessions and calendars in HR.`];
  if (hasProfile) notes.push('Its employee profile stays, connected to no HR user.');
  if (entra === 'deleted-by-write-back')
    notes.push(
      `Its Entra user ${entraId} is deleted too (write-back of deletions is on): it goes to Entra's deleted users, from which an admin can restore it within 30 days; restored and back in a synced group, the next sync brings it back as a new HR user linked to it.`,
    );
  if (entra === 'kept-write-back-off')
    notes.push(
      `Its Entra user ${entraId} stays (write-back of deletions is off): while it is in a synced group, the next sync creates the HR user again. Deactivate instead to keep it out of HR.`,
    );
  return notes;
}
