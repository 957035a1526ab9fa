import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { HR_EDITABLE_FIELDS, type HrEditableField } from '../domain/hr-field.catalogue.js';
import { refusedEdits } from '../domain/hr-edit.js';
import type { FieldOwners } from '../domain/ownership.js';
import { HR_FIELD_COLUMNS, HR_FIELDS_AS_JSON } from '../gateways/db/hr-columns.js';
import { AppError, notFound } from './app-error.js';
import { AuditLogService } from './audit-log.service.js';

export type HrUserEdit = Partial<Record<HrEditableField, string | null>> & { email?: string };

/**
 * An HR admin edits an HR user's data. Fields Entra owns for this user (it is linked and the
 * field ownership says Entra writes them) are refused as a whole with the reasons, and nothing
 * changes; a value sent unchanged is no edit. The e-mail is HR's: the sync links by object id
 * (rule 2.2) and never rewrites it.
 */
export class HrUserEditService {
  constructor(private readonly em: EntityManager) {}

  async update(id: string, edit: HrUserEdit, actorId: string | null): Promise<{ changed: string[] }> {
    return this.em.transactional(async (em) => {
      const [user] = await em.execute<
        {
          email: string;
          entra_id: string | null;
          fields: Record<string, string | null>;
          has_profile: boolean;
          owners: FieldOwners;
        }[]
      >(
        `select u.email, u.entra_id, ${HR_FIELDS_AS_JSON} as fields,
                exists (select 1 from employee_profile p where p.hr_user_id = u.id) as has_profile,
                (select field_owners from integration_settings where id = 1) as owners
           from hr_user u where u.id = ? for update of u`,
        [id],
      );
      if (!user) throw notFound('HR user');
      const changedFields = HR_EDITABLE_FIELDS.filter(
        (field) => edit[field] !== undefined && edit[field] !== user.fields[field],
      );
      const refused = refusedEdits(changedFields, {
        linkedToEntra: user.entra_id !== null,
        hasEmployeeProfile: user.has_profile,
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
      const sets = changedFields.map(
        (field) => `${HR_FIELD_COLUMNS[field]} = ?${field === 'hireDate' ? '::date' : ''}`,
      );
      const params: unknown[] = changedFields.map((field) => edit[field]);
      if (emailChanged) {
        sets.push('email = ?');
        params.push(edit.email);
      }
      // Each edited field now comes from HR, as the user's detail shows (rule 8.5).
      sets.push(
        `field_sources = field_sources || coalesce((select jsonb_object_agg(f, jsonb_build_object('source', 'hr', 'changedAt', now())) from jsonb_array_elements_text(?::jsonb) f), '{}')`,
      );
      params.push(JSON.stringify(changedFields));
      try {
        await em.execute(`update hr_user set ${sets.join(', ')}, updated_at = now() where id = ?`, [...params, id]);
      } catch (error) {
        if (error instanceof UniqueConstraintViolationException)
          throw new AppError(
            'conflict',
            `An HR user with the e-mail ${edit.email} already exists (e-mails are compared case-insensitively)`,
          );
        throw error;
      }
      const changed = [...changedFields, ...(emailChanged ? ['email'] : [])];
      const before = Object.fromEntries(
        changed.map((field) => [field, field === 'email' ? user.email : user.fields[field]]),
      );
      const after = Object.fromEntries(changed.map((field) => [field, edit[field as keyof HrUserEdit]]));
      await new AuditLogService(em).record([
        { actorId, action: 'hr-user.update', target: id, oldValue: before, newValue: after },
      ]);
      return { changed };
    });
  }
}
