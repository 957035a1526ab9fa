import type { EntityManager } from '@mikro-orm/postgresql';
import type { CalendarFeedRepository, CalendarFeedStatus } from '../../application/ports/calendar-feed.port.js';
import { isoUtc } from './sql-time.js';

const STATUS = `true as active, ${isoUtc('created_at')} as "createdAt", ${isoUtc('last_read_at')} as "lastReadAt"`;

/** calendar_feed: one secret feed per HR user (rule 6.4), stored as its token's SHA-256. */
export class PgCalendarFeedRepository implements CalendarFeedRepository {
  constructor(private readonly em: EntityManager) {}

  async status(hrUserId: string): Promise<CalendarFeedStatus> {
    const [row] = await this.em.execute<CalendarFeedStatus[]>(
      `select ${STATUS} from calendar_feed where hr_user_id = ?`,
      [hrUserId],
    );
    return row ?? { active: false, createdAt: null, lastReadAt: null };
  }

  async replace(hrUserId: string, tokenHash: string): Promise<CalendarFeedStatus> {
    const [row] = await this.em.execute<CalendarFeedStatus[]>(
      `insert into calendar_feed (hr_user_id, token_hash) values (?, ?)
       on conflict (hr_user_id) do update set token_hash = excluded.token_hash, created_at = now(), last_read_at = null
       returning ${STATUS}`,
      [hrUserId, tokenHash],
    );
    return row!;
  }

  async revoke(hrUserId: string): Promise<boolean> {
    const rows = await this.em.execute<unknown[]>(`delete from calendar_feed where hr_user_id = ? returning 1`, [
      hrUserId,
    ]);
    return rows.length > 0;
  }

  /**
   * The last read is written at most once a minute: calendar apps poll, and a write per read
   * would queue every read of one feed behind its row lock for nothing.
   */
  async open(tokenHash: string): Promise<{ hrUserId: string; name: string } | null> {
    const [row] = await this.em.execute<Array<{ hrUserId: string; name: string }>>(
      `with found as (
         select f.hr_user_id, f.last_read_at,
           coalesce(nullif(u.display_name, ''), nullif(trim(concat_ws(' ', u.first_name, u.last_name)), ''), u.email) as name
           from calendar_feed f join hr_user u on u.id = f.hr_user_id
          where f.token_hash = ? and u.active
       ), seen as (
         update calendar_feed f set last_read_at = now() from found
          where f.hr_user_id = found.hr_user_id and (found.last_read_at is null or found.last_read_at < now() - interval '1 minute')
       )
       select hr_user_id as "hrUserId", name from found`,
      [tokenHash],
    );
    return row ?? null;
  }
}
