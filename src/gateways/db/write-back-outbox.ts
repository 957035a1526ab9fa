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
}
