import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  CalendarEventRepository,
  CalendarEventView,
  EventRange,
} from '../../application/ports/calendar-event.port.js';
import { isoUtc } from './sql-time.js';

const VIEW = `select e.id, e.calendar_id as "calendarId", c.name as "calendarName", e.origin, e.kind, e.subject, e.body,
  e.body_truncated as "bodyTruncated", e.location, ${isoUtc('e.starts_at')} as start, ${isoUtc('e.ends_at')} as "end",
  e.time_zone as "timeZone", e.is_all_day as "isAllDay", to_char(e.start_date, 'YYYY-MM-DD') as "startDate",
  to_char(e.end_date, 'YYYY-MM-DD') as "endDate", e.show_as as "showAs", e.sensitivity, e.is_private as "isPrivate",
  e.is_cancelled as "isCancelled", e.attendees, e.organizer, e.event_type as type, e.series_source_id as "seriesId",
  ${isoUtc('e.original_start')} as "originalStart", ${isoUtc('e.updated_at')} as "updatedAt",
  case when e.origin = 'hr' then json_build_object(
    'state', case when e.push_error is not null then 'failed' when e.pushed_version < e.hr_version or e.source_id is null then 'pending' else 'synced' end,
    'error', e.push_error) end as push
  from hr_event e left join hr_calendar c on c.id = e.calendar_id`;

/** hr_event as the employee and admin APIs read it. */
export class PgCalendarEventRepository implements CalendarEventRepository {
  constructor(private readonly em: EntityManager) {}

  list(hrUserId: string, range: EventRange): Promise<CalendarEventView[]> {
    const after = range.after
      ? `and (e.starts_at, e.id) > (select starts_at, id from hr_event where id = ? and hr_user_id = ?)`
      : '';
    return this.em.execute<CalendarEventView[]>(
      `${VIEW} where e.hr_user_id = ? and e.deleted_at is null and e.ends_at > ? and e.starts_at < ? ${after}
        order by e.starts_at, e.id limit ?`,
      [hrUserId, range.from, range.to, ...(range.after ? [range.after, hrUserId] : []), range.limit],
    );
  }

  async get(hrUserId: string, eventId: string): Promise<CalendarEventView | null> {
    const [row] = await this.em.execute<CalendarEventView[]>(
      `${VIEW} where e.hr_user_id = ? and e.id = ? and e.deleted_at is null`,
      [hrUserId, eventId],
    );
    return row ?? null;
  }
}
