import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChangeOrigin } from '../../domain/change-origin.js';

/** Where the values of an update live: the HR user's own columns, or its employee profile's. */
export type UpdateSource = 'hrUser' | 'employeeProfile';

const IDS = 'select jsonb_array_elements_text(?::jsonb)::uuid';

/**
 * Records write-back changes (docs/rules.md §4) in the caller's transaction, beside the HR change
 * they announce: committed together or not at all, so a crash before the call to Graph loses
 * nothing. Each statement decides from the settings of that moment: a change made while its
 * toggle is off is not recorded, so it is never sent (rule 4.6). Only HR's own changes are
 * recorded; what came from Entra (the sync, SCIM) would only echo back (rule 4.5).
 */
export class WriteBackOutbox {
  constructor(private readonly em: EntityManager) {}

  /**
   * Rule 4.1: these fields of these HR users changed. Recorded for users linked to Entra, when
   * update is on, with the permitted fields among them (none permitted: nothing recorded). The
   * values are read when the change is sent: from the employee profile when the user has one,
   * else from the HR user, so an edit of the other record is not recorded.
   */
  async recordUpdate(
    origin: ChangeOrigin,
    source: UpdateSource,
    hrUserIds: readonly string[],
    fields: readonly string[],
  ): Promise<void> {
    if (origin !== 'hr' || hrUserIds.length === 0 || fields.length === 0) return;
    const profile = `exists (select 1 from employee_profile p where p.hr_user_id = u.id)`;
    await this.em.execute(
      `insert into write_back_change (action, hr_user_id, entra_id, email, fields)
       select 'update', u.id, u.entra_id, u.email, f.permitted
         from hr_user u cross join integration_settings s
         cross join lateral (select coalesce(jsonb_agg(x), '[]'::jsonb) as permitted
                               from jsonb_array_elements_text(?::jsonb) x where jsonb_exists(s.write_back_fields, x)) f
        where s.id = 1 and s.write_back_update and u.entra_id is not null and u.id in (${IDS})
          and ${source === 'employeeProfile' ? '' : 'not '}${profile} and jsonb_array_length(f.permitted) > 0`,
      [JSON.stringify(fields), JSON.stringify(hrUserIds)],
    );
  }

  /**
   * Rule 4.2: HR users created in HR (not by the sync or SCIM) are created in Entra, when create
   * is on. Recorded for users not linked to Entra.
   */
  async recordCreate(origin: ChangeOrigin, hrUserIds: readonly string[]): Promise<void> {
    if (origin !== 'hr' || hrUserIds.length === 0) return;
    await this.em.execute(
      `insert into write_back_change (action, hr_user_id, entra_id, email)
       select 'create', u.id, null, u.email from hr_user u cross join integration_settings s
        where s.id = 1 and s.write_back_create and u.entra_id is null and u.id in (${IDS})`,
      [JSON.stringify(hrUserIds)],
    );
  }

  /**
   * Rule 4.3: the Entra users of these HR users (an archived employee's, a deleted HR user's) are
   * deleted, when delete is on. The change keeps the Entra id, so it is known after the HR user is
   * gone, and a restore in Entra relinks by it. The ids of the changes recorded.
   */
  async recordDelete(origin: ChangeOrigin, hrUserIds: readonly string[]): Promise<string[]> {
    if (origin !== 'hr' || hrUserIds.length === 0) return [];
    const rows = await this.em.execute<{ id: string }[]>(
      `insert into write_back_change (action, hr_user_id, entra_id, email)
       select 'delete', u.id, u.entra_id, u.email from hr_user u cross join integration_settings s
        where s.id = 1 and s.write_back_delete and u.entra_id is not null and u.id in (${IDS})
       returning id::text as id`,
      [JSON.stringify(hrUserIds)],
    );
    return rows.map((row) => row.id);
  }
}
