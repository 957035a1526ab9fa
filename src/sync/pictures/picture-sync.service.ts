import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';

/** Where pictures come from (Graph's profile photo); null when the user has none. */
export interface PictureSource {
  photo(entraId: string): Promise<{ bytes: Uint8Array; contentType: string } | null>;
}

export interface PictureSyncDeps {
  em: () => EntityManager;
  source: () => PictureSource | null;
  logger: Logger;
  /** A picture is checked again after this many days (Graph's delta never reports photo changes). */
  maxAgeDays?: number;
  batchSize?: number;
  /** Pictures one job run reads at most, so a large tenant is spread over several runs (Graph's photo API is rate-limited). */
  maxPerRun?: number;
  concurrency?: number;
}

/**
 * Rule 2.5: profile pictures flow Entra -> HR, only for users not connected to an employee profile.
 * Pictures are fetched apart from the sync run (one request per user, at most 4 at once as the
 * photo API allows), in batches of users never checked or checked longest ago, at most `maxPerRun`
 * a run: an hourly job works through a large tenant over hours instead of flooding Graph.
 */
export class PictureSyncService {
  constructor(private readonly deps: PictureSyncDeps) {}

  async run(signal: AbortSignal): Promise<{ checked: number; changed: number }> {
    const source = this.deps.source();
    if (!source) return { checked: 0, changed: 0 };
    const em = this.deps.em();
    let checked = 0;
    let changed = 0;
    const maxPerRun = this.deps.maxPerRun ?? 2000;
    while (!signal.aborted && checked < maxPerRun) {
      const due = await em.execute<{ id: string; entra_id: string; sha256: string | null }[]>(
        `select u.id, u.entra_id, p.sha256 from hr_user u left join hr_user_picture p on p.hr_user_id = u.id
          where u.entra_id is not null and u.active
            and not exists (select 1 from employee_profile e where e.hr_user_id = u.id)
            and (p.hr_user_id is null or p.checked_at < now() - make_interval(days => ?))
          order by p.checked_at nulls first, u.id limit ?`,
        [this.deps.maxAgeDays ?? 7, this.deps.batchSize ?? 100],
      );
      if (due.length === 0) break;
      const fetched = await mapLimit(due, this.deps.concurrency ?? 4, async (user) => {
        try {
          const photo = await source.photo(user.entra_id);
          const sha256 = photo ? createHash('sha256').update(photo.bytes).digest('hex') : null;
          return {
            hr_user_id: user.id,
            content_type: photo?.contentType ?? null,
            b64: photo ? Buffer.from(photo.bytes).toString('base64') : null,
            sha256,
            changed: sha256 !== user.sha256,
          };
        } catch (error) {
          this.deps.logger.warn(
            { err: error, hrUserId: user.id },
            'could not read a profile picture; it is tried again later',
          );
          return {
            hr_user_id: user.id,
            content_type: null,
            b64: null,
            sha256: user.sha256,
            changed: false,
            failed: true,
          };
        }
      });
      await this.store(em, fetched);
      checked += due.length;
      changed += fetched.filter((f) => f.changed).length;
    }
    if (checked) this.deps.logger.info({ checked, changed }, 'profile pictures checked');
    return { checked, changed };
  }

  private async store(
    em: EntityManager,
    rows: Array<{
      hr_user_id: string;
      content_type: string | null;
      b64: string | null;
      sha256: string | null;
      changed: boolean;
      failed?: boolean;
    }>,
  ): Promise<void> {
    const ok = rows.filter((r) => !r.failed);
    await em.transactional(async (tx) => {
      // A failed read only moves the user to the back of the queue; the stored picture stays.
      await tx.execute(
        `insert into hr_user_picture (hr_user_id, content_type, bytes, sha256, checked_at)
         select x.hr_user_id, x.content_type, decode(x.b64, 'base64'), x.sha256, now() from jsonb_to_recordset(?::jsonb) as x(hr_user_id uuid, content_type text, b64 text, sha256 text)
         on conflict (hr_user_id) do update set content_type = excluded.content_type, bytes = excluded.bytes, sha256 = excluded.sha256, checked_at = now()`,
        [JSON.stringify(ok.filter((r) => r.changed))],
      );
      await tx.execute(
        `insert into hr_user_picture (hr_user_id, checked_at) select x.id, now() from jsonb_to_recordset(?::jsonb) as x(id uuid)
         on conflict (hr_user_id) do update set checked_at = now()`,
        [JSON.stringify(rows.filter((r) => !r.changed).map((r) => ({ id: r.hr_user_id })))],
      );
      await tx.execute(
        `update hr_user u set picture_etag = x.sha256, updated_at = now(),
           field_sources = u.field_sources || jsonb_build_object('picture', jsonb_build_object('source', 'entra', 'changedAt', now()))
          from jsonb_to_recordset(?::jsonb) as x(id uuid, sha256 text) where u.id = x.id`,
        [JSON.stringify(ok.filter((r) => r.changed).map((r) => ({ id: r.hr_user_id, sha256: r.sha256 })))],
      );
    });
  }
}

/** Runs `work` over `items` with at most `limit` at once, keeping the order of results. */
async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}
