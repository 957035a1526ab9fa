import type { EntityManager } from '@mikro-orm/postgresql';
import type { CalendarOptions, CalendarRepository, CalendarRunView } from '../../application/ports/calendar.port.js';
import type { HrCalendar } from '../../domain/calendar-choice.js';
import { isoUtc } from './sql-time.js';

export const CALENDAR_COLUMNS = `id, source_id as "sourceId", name, is_default as "isDefault", enabled,
  owner_name as "ownerName", owner_address as "ownerAddress"`;

/** hr_calendar, calendar_mailbox and calendar_run as the employee and admin APIs use them. */
export class PgCalendarRepository implements CalendarRepository {
  constructor(private readonly em: EntityManager) {}

  async account(hrUserId: string) {
    const [row] = await this.em.execute<Array<{ id: string; email: string; entraId: string | null; active: boolean }>>(
      `select id, email, entra_id as "entraId", active from hr_user where id = ?`,
      [hrUserId],
    );
    return row ?? null;
  }

  calendarsOf(hrUserId: string): Promise<HrCalendar[]> {
    return this.em.execute<HrCalendar[]>(
      `select ${CALENDAR_COLUMNS} from hr_calendar where hr_user_id = ? order by is_default desc, lower(name), id`,
      [hrUserId],
    );
  }

  async setEnabled(hrUserId: string, calendarId: string, enabled: boolean): Promise<boolean> {
    const rows = await this.em.execute<{ id: string }[]>(
      `update hr_calendar set enabled = ?, updated_at = now() where id = ? and hr_user_id = ? returning id`,
      [enabled, calendarId, hrUserId],
    );
    return rows.length > 0;
  }

  async options(hrUserId: string): Promise<CalendarOptions> {
    const [row] = await this.em.execute<CalendarOptions[]>(
      `select sync_enabled as "syncEnabled", show_private_details as "showPrivateDetails"
         from calendar_mailbox where hr_user_id = ?`,
      [hrUserId],
    );
    return row ?? { syncEnabled: true, showPrivateDetails: false };
  }

  async setOptions(hrUserId: string, patch: Partial<CalendarOptions>): Promise<CalendarOptions> {
    const next = { ...(await this.options(hrUserId)), ...patch };
    await this.em.execute(
      `insert into calendar_mailbox (hr_user_id, sync_enabled, show_private_details) values (?, ?, ?)
       on conflict (hr_user_id) do update set sync_enabled = excluded.sync_enabled,
         show_private_details = excluded.show_private_details, updated_at = now()`,
      [hrUserId, next.syncEnabled, next.showPrivateDetails],
    );
    return next;
  }

  async rereadAll(hrUserId: string): Promise<void> {
    // A calendar whose window is unknown starts a full round; an event without changeKey is stored again.
    await this.em.execute(`update hr_calendar set window_start = null, window_end = null where hr_user_id = ?`, [
      hrUserId,
    ]);
    await this.em.execute(`update hr_event set change_key = null where hr_user_id = ? and origin = 'outlook'`, [
      hrUserId,
    ]);
  }

  runs(hrUserId: string, limit: number): Promise<CalendarRunView[]> {
    return this.em.execute<CalendarRunView[]>(
      `select id, trigger, status, ${isoUtc('started_at')} as "startedAt", ${isoUtc('finished_at')} as "finishedAt",
         counts, conflicts, error
         from calendar_run where hr_user_id = ? order by started_at desc, finished_at desc limit ?`,
      [hrUserId, limit],
    );
  }
}
