import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  CalendarEventRepository,
  CalendarEventView,
  EventHistoryView,
  EventRange,
} from '../../application/ports/calendar-event.port.js';
import type { HrEventContent } from '../../domain/hr-event.js';
import { isoUtc } from './sql-time.js';

/**
 * An occurrence of an HR series (rule 6.7) reads as HR's, with its series' kind: the series itself,
 * once Microsoft 365 has it, shows through its occurrences and is not listed.
 */
const VIEW = `select e.id, e.calendar_id as "calendarId", c.name as "calendarName",
  case when m.id is not null then 'hr' else e.origin end as origin, coalesce(m.kind, e.kind) as kind, e.subject, e.body,
  e.body_truncated as "bodyTruncated", e.location, ${isoUtc('e.starts_at')} as start, ${isoUtc('e.ends_at')} as "end",
  e.time_zone as "timeZone", e.is_all_day as "isAllDay", to_char(e.start_date, 'YYYY-MM-DD') as "startDate",
  to_char(e.end_date, 'YYYY-MM-DD') as "endDate", e.show_as as "showAs", e.sensitivity, e.is_private as "isPrivate",
  e.is_cancelled as "isCancelled", e.attendees, e.organizer, e.event_type as type, e.series_source_id as "seriesId",
  ${isoUtc('e.original_start')} as "originalStart", ${isoUtc('e.updated_at')} as "updatedAt", e.recurrence,
  case when e.origin = 'hr' then json_build_object(
    'state', case when e.push_error is not null then 'failed' when e.pushed_version < e.hr_version or e.source_id is null then 'pending' else 'synced' end,
    'error', e.push_error) end as push
  from hr_event e left join hr_calendar c on c.id = e.calendar_id
  left join hr_event m on e.series_source_id is not null and m.hr_user_id = e.hr_user_id and m.origin = 'hr'
    and m.source_id = e.series_source_id and m.calendar_id = e.calendar_id`;

/** Listed events: not deleted, and no HR series that Microsoft 365 already shows as occurrences. */
const LISTED = `e.deleted_at is null and not (e.origin = 'hr' and e.recurrence is not null and e.source_id is not null)`;

/** hr_event as the employee and admin APIs read it. */
export class PgCalendarEventRepository implements CalendarEventRepository {
  constructor(private readonly em: EntityManager) {}

  list(hrUserId: string, range: EventRange): Promise<CalendarEventView[]> {
    const after = range.after
      ? `and (e.starts_at, e.id) > (select starts_at, id from hr_event where id = ? and hr_user_id = ?)`
      : '';
    return this.em.execute<CalendarEventView[]>(
      `${VIEW} where e.hr_user_id = ? and ${LISTED} and e.ends_at > ? and e.starts_at < ? ${after}
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

  feedEvents(hrUserId: string, range: Omit<EventRange, 'after'>): Promise<CalendarEventView[]> {
    return this.em.execute<CalendarEventView[]>(
      `${VIEW} where e.hr_user_id = ? and ${LISTED} and (e.ends_at > ? or e.recurrence is not null) and e.starts_at < ?
        order by e.starts_at, e.id limit ?`,
      [hrUserId, range.from, range.to, range.limit],
    );
  }

  async cancelOccurrence(hrUserId: string, eventId: string): Promise<boolean> {
    return this.em.transactional(async (tx) => {
      const rows = await tx.execute<{ id: string }[]>(
        `update hr_event m set cancelled_occurrences = m.cancelled_occurrences || jsonb_build_array(jsonb_build_object(
             'sourceId', o.source_id, 'originalStart', ${isoUtc('o.original_start')})),
           hr_version = m.hr_version + 1, hr_modified_at = clock_timestamp(), push_error = null, updated_at = now()
           from hr_event o
          where o.id = ? and o.hr_user_id = ? and o.origin = 'outlook' and m.hr_user_id = o.hr_user_id and m.origin = 'hr'
            and m.source_id = o.series_source_id and m.calendar_id = o.calendar_id and m.deleted_at is null
         returning m.id`,
        [eventId, hrUserId],
      );
      if (rows.length !== 1) return false;
      await tx.execute(`delete from hr_event where id = ?`, [eventId]);
      return true;
    });
  }

  async createHrEvent(hrUserId: string, calendarId: string | null, content: HrEventContent): Promise<string> {
    const [row] = await this.em.execute<{ id: string }[]>(
      `insert into hr_event (hr_user_id, calendar_id, origin, kind, subject, body, location, starts_at, ends_at,
         time_zone, is_all_day, start_date, end_date, show_as, sensitivity, recurrence, hr_version, pushed_version,
         hr_modified_at)
       values (?, ?, 'hr', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, 1, 0, clock_timestamp()) returning id`,
      [
        hrUserId,
        calendarId,
        ...contentValues(content),
        content.recurrence === null ? null : JSON.stringify(content.recurrence),
      ],
    );
    return row!.id;
  }

  async updateHrEvent(hrUserId: string, eventId: string, content: HrEventContent): Promise<boolean> {
    const rows = await this.em.execute<{ id: string }[]>(
      `update hr_event set kind = ?, subject = ?, body = ?, location = ?, starts_at = ?, ends_at = ?, time_zone = ?,
         is_all_day = ?, start_date = ?, end_date = ?, show_as = ?, sensitivity = ?, body_truncated = false,
         hr_version = hr_version + 1, hr_modified_at = clock_timestamp(), push_error = null, updated_at = now()
       where id = ? and hr_user_id = ? and origin = 'hr' and deleted_at is null returning id`,
      [...contentValues(content), eventId, hrUserId],
    );
    return rows.length === 1;
  }

  async deleteHrEvent(hrUserId: string, eventId: string): Promise<boolean> {
    const rows = await this.em.execute<{ id: string }[]>(
      `update hr_event set deleted_at = now(), hr_version = hr_version + 1, hr_modified_at = clock_timestamp(),
         push_error = null, updated_at = now()
       where id = ? and hr_user_id = ? and origin = 'hr' and deleted_at is null returning id`,
      [eventId, hrUserId],
    );
    return rows.length === 1;
  }

  history(hrUserId: string, eventId: string): Promise<EventHistoryView[]> {
    return this.em.execute<EventHistoryView[]>(
      `select ${isoUtc('h.recorded_at')} as "recordedAt", h.reason, h.side, h.snapshot
         from hr_event_history h join hr_event e on e.id = h.event_id
        where h.event_id = ? and e.hr_user_id = ? order by h.id`,
      [eventId, hrUserId],
    );
  }
}

function contentValues(c: HrEventContent): unknown[] {
  return [
    c.kind,
    c.subject,
    c.body,
    c.location,
    c.start,
    c.end,
    c.timeZone,
    c.isAllDay,
    c.startDate,
    c.endDate,
    c.showAs,
    c.sensitivity,
  ];
}
