import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventPageTarget, EventStore, StoredEvent } from '../../sync/calendars/calendar-sync.ports.js';
import type { EventPageChanges } from '../../sync/calendars/event-page.planner.js';
import { saveStreamCursor } from './sync-channel.repository.js';

/** The columns a Microsoft 365 event fills, as jsonb_to_recordset reads a page of them. */
const RECORD = `x("sourceId" text, "seriesSourceId" text, "eventType" text, "originalStart" timestamptz,
  subject text, body text, "bodyTruncated" boolean, location text, start timestamptz, "end" timestamptz,
  "timeZone" text, "isAllDay" boolean, "startDate" date, "endDate" date, "showAs" text, sensitivity text,
  "isPrivate" boolean, "isCancelled" boolean, attendees jsonb, organizer jsonb, "changeKey" text, "lastModified" timestamptz)`;

const CONTENT_COLUMNS = `series_source_id, event_type, original_start, subject, body, body_truncated, location,
  starts_at, ends_at, time_zone, is_all_day, start_date, end_date, show_as, sensitivity, is_private, is_cancelled,
  attendees, organizer, change_key, source_modified_at`;
const CONTENT_VALUES = `x."seriesSourceId", x."eventType", x."originalStart", x.subject, x.body, x."bodyTruncated",
  x.location, x.start, x."end", x."timeZone", x."isAllDay", x."startDate", x."endDate", x."showAs", x.sensitivity,
  x."isPrivate", x."isCancelled", x.attendees, x.organizer, x."changeKey", x."lastModified"`;

/** HR's events as the calendar sync writes them: one statement per kind of change, per page. */
export class EventSyncRepository implements EventStore {
  constructor(private readonly em: EntityManager) {}

  storedEvents(calendarId: string, sourceIds: readonly string[]): Promise<StoredEvent[]> {
    if (sourceIds.length === 0) return Promise.resolve([]);
    return this.em.execute<StoredEvent[]>(
      `select id, source_id as "sourceId", origin, change_key as "changeKey" from hr_event
        where calendar_id = ? and source_id in (select jsonb_array_elements_text(?::jsonb))`,
      [calendarId, JSON.stringify(sourceIds)],
    );
  }

  async applyEventPage(target: EventPageTarget, changes: EventPageChanges): Promise<void> {
    const round = target.next.fullRound;
    await this.em.transactional(async (tx) => {
      if (changes.upserts.length > 0)
        await tx.execute(
          `insert into hr_event (hr_user_id, calendar_id, origin, kind, source_id, seen_round, ${CONTENT_COLUMNS})
           select ?, ?, 'outlook', 'outlook', x."sourceId", ?, ${CONTENT_VALUES} from jsonb_to_recordset(?::jsonb) as ${RECORD}
           on conflict (calendar_id, source_id) do update set
             (seen_round, ${CONTENT_COLUMNS}, updated_at) = (coalesce(excluded.seen_round, hr_event.seen_round),
             ${CONTENT_COLUMNS.split(',')
               .map((c) => `excluded.${c.trim()}`)
               .join(', ')}, now())
           where hr_event.origin = 'outlook'`,
          [target.hrUserId, target.calendarId, round, JSON.stringify(changes.upserts.map(flatten))],
        );
      if (round !== null && changes.unchanged.length > 0)
        await tx.execute(
          `update hr_event set seen_round = ? where calendar_id = ?
             and source_id in (select jsonb_array_elements_text(?::jsonb))`,
          [round, target.calendarId, JSON.stringify(changes.unchanged)],
        );
      if (changes.removed.length > 0)
        await tx.execute(
          `delete from hr_event where calendar_id = ? and origin = 'outlook'
             and source_id in (select jsonb_array_elements_text(?::jsonb))`,
          [target.calendarId, JSON.stringify(changes.removed)],
        );
      await saveStreamCursor(tx, target.channel, target.stream, target.next);
    });
  }

  async sweepCalendar(calendarId: string, round: number): Promise<number> {
    const rows = await this.em.execute<{ id: string }[]>(
      `delete from hr_event where calendar_id = ? and origin = 'outlook' and (seen_round is null or seen_round < ?)
       returning id`,
      [calendarId, round],
    );
    return rows.length;
  }

  async calendarsWithSyncedEvents(hrUserId: string): Promise<string[]> {
    const rows = await this.em.execute<{ calendar_id: string }[]>(
      `select distinct calendar_id from hr_event where hr_user_id = ? and origin = 'outlook' and calendar_id is not null`,
      [hrUserId],
    );
    return rows.map((row) => row.calendar_id);
  }

  async clearSyncedEvents(calendarId: string): Promise<number> {
    const rows = await this.em.execute<{ id: string }[]>(
      `delete from hr_event where calendar_id = ? and origin = 'outlook' returning id`,
      [calendarId],
    );
    return rows.length;
  }
}

function flatten(upsert: EventPageChanges['upserts'][number]): Record<string, unknown> {
  const { content, ...rest } = upsert;
  return { ...rest, ...content };
}
