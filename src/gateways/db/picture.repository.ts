import type { EntityManager } from '@mikro-orm/postgresql';
import type { DuePicture, PictureCheck, PictureStore } from '../../sync/pictures/picture-sync.ports.js';

const DUE = `u.entra_id is not null and u.active
  and not exists (select 1 from employee_profile e where e.hr_user_id = u.id)
  and (p.hr_user_id is null or p.checked_at < now() - make_interval(days => ?))`;

/** HR's profile pictures (hr_user_picture) for picture sync; every write is set-based. */
export class PictureRepository implements PictureStore {
  constructor(private readonly em: EntityManager) {}

  async dueUserIds(limit: number, maxAgeDays: number): Promise<string[]> {
    const rows = await this.em.execute<{ id: string }[]>(
      `select u.id from hr_user u left join hr_user_picture p on p.hr_user_id = u.id
        where ${DUE} order by p.checked_at nulls first, u.id limit ?`,
      [maxAgeDays, limit],
    );
    return rows.map((row) => row.id);
  }

  async dueAmong(hrUserIds: readonly string[], maxAgeDays: number): Promise<DuePicture[]> {
    if (hrUserIds.length === 0) return [];
    const rows = await this.em.execute<{ id: string; entra_id: string; sha256: string | null }[]>(
      `select u.id, u.entra_id, p.sha256 from hr_user u left join hr_user_picture p on p.hr_user_id = u.id
        where u.id in (select jsonb_array_elements_text(?::jsonb)::uuid) and ${DUE} order by u.id`,
      [JSON.stringify(hrUserIds), maxAgeDays],
    );
    return rows.map((row) => ({ hrUserId: row.id, entraId: row.entra_id, sha256: row.sha256 }));
  }

  async record(checks: readonly PictureCheck[]): Promise<void> {
    const changed = checks.filter((check) => check.changed);
    await this.em.transactional(async (tx) => {
      await tx.execute(
        `insert into hr_user_picture (hr_user_id, content_type, bytes, sha256, checked_at)
         select x.hr_user_id, x.content_type, decode(x.b64, 'base64'), x.sha256, now() from jsonb_to_recordset(?::jsonb) as x(hr_user_id uuid, content_type text, b64 text, sha256 text)
         on conflict (hr_user_id) do update set content_type = excluded.content_type, bytes = excluded.bytes, sha256 = excluded.sha256, checked_at = now()`,
        [
          JSON.stringify(
            changed.map((check) => ({
              hr_user_id: check.hrUserId,
              content_type: check.picture?.contentType ?? null,
              b64: check.picture ? Buffer.from(check.picture.bytes).toString('base64') : null,
              sha256: check.picture?.sha256 ?? null,
            })),
          ),
        ],
      );
      await tx.execute(
        `insert into hr_user_picture (hr_user_id, checked_at) select x.id, now() from jsonb_to_recordset(?::jsonb) as x(id uuid)
         on conflict (hr_user_id) do update set checked_at = now()`,
        [JSON.stringify(checks.filter((check) => !check.changed).map((check) => ({ id: check.hrUserId })))],
      );
      await tx.execute(
        `update hr_user u set picture_etag = x.sha256, updated_at = now(), last_change_origin = 'entra', last_changed_at = now(),
           field_sources = u.field_sources || jsonb_build_object('picture', jsonb_build_object('source', 'entra', 'changedAt', now()))
          from jsonb_to_recordset(?::jsonb) as x(id uuid, sha256 text) where u.id = x.id`,
        [JSON.stringify(changed.map((check) => ({ id: check.hrUserId, sha256: check.picture?.sha256 ?? null })))],
      );
    });
  }
}
