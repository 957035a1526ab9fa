import { HR_EDITABLE_FIELDS, type HrEditableField } from '../domain/hr-field.catalogue.js';
import { refusedEdits } from '../domain/hr-edit.js';
import { AppError, notFound } from './app-error.js';
import type { Repositories } from './ports/repositories.port.js';

export type HrUserEdit = Partial<Record<HrEditableField, string | null>> & { email?: string };

/**
 * An HR admin edits an HR user's data. Fields Entra owns for this user (it is linked and the
 * field ownership says Entra writes them) are refused as a whole with the reasons, and nothing
 * changes; a value sent unchanged is no edit. The e-mail is HR's: the sync links by object id
 * (rule 2.2) and never rewrites it.
 */
export class HrUserEditService {
  constructor(private readonly repos: Repositories) {}

  async update(id: string, edit: HrUserEdit, actorId: string | null): Promise<{ changed: string[] }> {
    return this.repos.transaction(async (tx) => {
      const user = await tx.hrUsers.lockForEdit(id);
      if (!user) throw notFound('HR user');
      const changedFields = HR_EDITABLE_FIELDS.filter(
        (field) => edit[field] !== undefined && edit[field] !== user.fields[field],
      );
      const refused = refusedEdits(changedFields, {
        linkedToEntra: user.entraId !== null,
        hasEmployeeProfile: user.hasEmployeeProfile,
        owners: user.owners,
      });
      if (refused.length) {
        throw new AppError(
          'conflict',
          refused.map((r) => r.reason).join('; '),
          refused.map((r) => ({ path: `body.${r.field}`, message: r.reason })),
        );
      }
      const emailChanged = edit.email !== undefined && edit.email !== user.email;
      if (!changedFields.length && !emailChanged) return { changed: [] };
      const fields = Object.fromEntries(changedFields.map((field) => [field, edit[field] ?? null]));
      const result = await tx.hrUsers.updateFields(
        id,
        { fields, ...(emailChanged ? { email: edit.email } : {}) },
        'hr',
      );
      if (result === 'email-taken')
        throw new AppError(
          'conflict',
          `An HR user with the e-mail ${edit.email} already exists (e-mails are compared case-insensitively)`,
        );
      const changed = [...changedFields, ...(emailChanged ? ['email'] : [])];
      const before = Object.fromEntries(
        changed.map((field) => [field, field === 'email' ? user.email : user.fields[field]]),
      );
      const after = Object.fromEntries(changed.map((field) => [field, edit[field as keyof HrUserEdit]]));
      await tx.audit.record([{ actorId, action: 'hr-user.update', target: id, oldValue: before, newValue: after }]);
      return { changed };
    });
  }
}
