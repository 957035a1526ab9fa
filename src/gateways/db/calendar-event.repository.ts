import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventContent, MailboxEvent } from '../../domain/calendar-event.js';
import type {
  EventHistoryEntry,
  EventPageTarget,
  EventStore,
  HrEventState,
  PendingHrEvent,
  StoredEvent,
} from '../../sync/calendars/calendar-sync.ports.js';
import { isoUtc } from './sql-time.js';
import type { EventPageChanges, EventUpsert } from '../../sync/calendars/event-page.planner.js';
import { saveStreamCursor } from './sync-channel.repository.js';

/** The columns a Microsoft 365 event fills, as jsonb_to_recordset reads a page of them. */
const RECORD = `x("hrUserId" uuid, "calendarId" uuid, "sourceId" text, "seriesSourceId" text, "eventType" text, "originalStart" timestamptz,
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
    return storedEventsIn(
      this.em,
      sourceIds.map((sourceId) => ({ calendarId, sourceId })),
    );
  }

  async applyEventPage(target: EventPageTarget, changes: EventPageChanges): Promise<void> {
    const round = target.next.fullRound;
    await this.em.transactional(async (tx) => {
      const at = { hrUserId: target.hrUserId, calendarId: target.calendarId };
      await upsertOutlookEvents(
        tx,
        changes.upserts.map((upsert) => ({ ...at, upsert })),
        round,
      );
      if (round !== null && changes.unchanged.length > 0)
        await tx.execute(
          `update hr_event set seen_round = ? where calendar_id = ?
             and source_id in (select jsonb_array_elements_text(?::jsonb))`,
          [round, target.calendarId, JSON.stringify(changes.unchanged)],
        );
      await removeOutlookEvents(
        tx,
        changes.removed.map((sourceId) => ({ calendarId: target.calendarId, sourceId })),
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

  pendingHrEvents(hrUserId: string, limit: number): Promise<PendingHrEvent[]> {
    return this.em.execute<PendingHrEvent[]>(
      `select e.id, e.calendar_id as "calendarId", e.source_id as "sourceId", e.change_key as "changeKey",
         e.transaction_id as "transactionId", e.hr_version as "hrVersion", e.deleted_at is not null as deleted,
         e.cancelled_occurrences as "cancelledOccurrences", ${HR_CONTENT_JSON} as content
         from hr_event e where e.hr_user_id = ? and e.origin = 'hr' and e.hr_version > e.pushed_version
        order by e.hr_modified_at, e.id limit ?`,
      [hrUserId, limit],
    );
  }

  async placeHrEvent(eventId: string, calendarId: string, transactionId: string): Promise<void> {
    await this.em.execute(
      `update hr_event set calendar_id = ?, transaction_id = ?, updated_at = now() where id = ? and origin = 'hr'`,
      [calendarId, transactionId, eventId],
    );
  }

  async settlePush(eventId: string, version: number, event: MailboxEvent): Promise<void> {
    await this.em.execute(
      `update hr_event set source_id = ?, change_key = ?, source_modified_at = ?, series_source_id = ?,
         pushed_version = greatest(pushed_version, ?), push_error = null, updated_at = now(),
         cancelled_occurrences = case when hr_version = ? then '[]'::jsonb else cancelled_occurrences end
       where id = ? and origin = 'hr'`,
      [event.sourceId, event.changeKey, event.lastModified, event.seriesSourceId, version, version, eventId],
    );
  }

  async settleDeletion(eventId: string, version: number): Promise<void> {
    await this.em.execute(
      `update hr_event set pushed_version = greatest(pushed_version, ?), push_error = null, updated_at = now()
       where id = ? and origin = 'hr'`,
      [version, eventId],
    );
  }

  async failPush(eventId: string, error: string): Promise<void> {
    await this.em.execute(`update hr_event set push_error = ?, updated_at = now() where id = ?`, [error, eventId]);
  }

  async adoptCreated(calendarId: string, created: readonly MailboxEvent[]): Promise<number> {
    // A tombstone (deleted in HR meanwhile) is made pending again, so the push deletes the copy.
    const rows = await this.em.execute<{ id: string }[]>(
      `update hr_event e set source_id = x."sourceId", change_key = x."changeKey", source_modified_at = x."lastModified",
         pushed_version = case when e.deleted_at is null then e.pushed_version else least(e.pushed_version, e.hr_version - 1) end,
         updated_at = now()
         from jsonb_to_recordset(?::jsonb) as x("sourceId" text, "transactionId" text, "changeKey" text, "lastModified" timestamptz)
        where e.calendar_id = ? and e.origin = 'hr' and e.source_id is null and e.transaction_id = x."transactionId"
          and not exists (select 1 from hr_event o where o.calendar_id = e.calendar_id and o.source_id = x."sourceId")
       returning e.id`,
      [JSON.stringify(created), calendarId],
    );
    return rows.length;
  }

  hrEventStates(eventIds: readonly string[]): Promise<HrEventState[]> {
    if (eventIds.length === 0) return Promise.resolve([]);
    return this.em.execute<HrEventState[]>(
      `select e.id, e.source_id as "sourceId", e.change_key as "changeKey", e.hr_version as "hrVersion",
         e.pushed_version as "pushedVersion", ${isoUtc('coalesce(e.hr_modified_at, e.created_at)')} as "hrModifiedAt",
         e.deleted_at is not null as deleted, ${HR_CONTENT_JSON} as content
         from hr_event e where e.origin = 'hr' and e.id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
      [JSON.stringify(eventIds)],
    );
  }

  async takeOutlookVersion(
    eventId: string,
    event: MailboxEvent,
    content: EventContent,
    history: EventHistoryEntry,
  ): Promise<void> {
    await this.em.transactional(async (tx) => {
      await keep(tx, eventId, history);
      await tx.execute(
        `update hr_event set subject = ?, body = ?, body_truncated = ?, location = ?, starts_at = ?, ends_at = ?,
           time_zone = ?, is_all_day = ?, start_date = ?, end_date = ?, show_as = ?, sensitivity = ?,
           is_cancelled = ?, attendees = ?::jsonb, organizer = ?::jsonb, change_key = ?, source_modified_at = ?,
           pushed_version = hr_version, deleted_at = null, push_error = null, updated_at = now()
         where id = ? and origin = 'hr'`,
        [
          content.subject,
          content.body,
          content.bodyTruncated,
          content.location,
          content.start,
          content.end,
          content.timeZone,
          content.isAllDay,
          content.startDate,
          content.endDate,
          content.showAs,
          content.sensitivity,
          content.isCancelled,
          JSON.stringify(content.attendees),
          content.organizer === null ? null : JSON.stringify(content.organizer),
          event.changeKey,
          event.lastModified,
          eventId,
        ],
      );
    });
  }

  async keepHrVersion(eventId: string, event: MailboxEvent, history: EventHistoryEntry): Promise<void> {
    await this.em.transactional(async (tx) => {
      await keep(tx, eventId, history);
      await tx.execute(
        `update hr_event set change_key = ?, source_modified_at = ?, updated_at = now() where id = ? and origin = 'hr'`,
        [event.changeKey, event.lastModified, eventId],
      );
    });
  }

  async deletedInOutlook(eventId: string, history: EventHistoryEntry): Promise<void> {
    await this.em.transactional(async (tx) => {
      await keep(tx, eventId, history);
      await tx.execute(
        `update hr_event set deleted_at = coalesce(deleted_at, now()), pushed_version = hr_version, push_error = null,
           updated_at = now() where id = ? and origin = 'hr'`,
        [eventId],
      );
    });
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

/** An HR event's content as JSON, in the shape of HrEventContent. */
export const HR_CONTENT_JSON = `json_build_object('kind', e.kind, 'subject', e.subject, 'body', e.body,
  'location', e.location, 'start', ${isoUtc('e.starts_at')}, 'end', ${isoUtc('e.ends_at')}, 'timeZone', e.time_zone,
  'isAllDay', e.is_all_day, 'startDate', to_char(e.start_date, 'YYYY-MM-DD'), 'endDate', to_char(e.end_date, 'YYYY-MM-DD'),
  'showAs', e.show_as, 'sensitivity', e.sensitivity, 'recurrence', e.recurrence)`;

/** The events HR holds under these Microsoft 365 ids, any number of calendars in one read. */
export function storedEventsIn(
  em: EntityManager,
  refs: ReadonlyArray<{ calendarId: string; sourceId: string }>,
): Promise<Array<StoredEvent & { calendarId: string }>> {
  if (refs.length === 0) return Promise.resolve([]);
  return em.execute(
    `select e.id, e.calendar_id as "calendarId", e.source_id as "sourceId", e.origin, e.change_key as "changeKey"
       from hr_event e join jsonb_to_recordset(?::jsonb) as x("calendarId" uuid, "sourceId" text)
         on e.calendar_id = x."calendarId" and e.source_id = x."sourceId"`,
    [JSON.stringify(refs)],
  );
}

/**
 * Microsoft 365 events into HR, any number of calendars in one statement: new ones inserted,
 * known ones overwritten, never an event HR created (origin 'hr', rule 6.7). A full round's number
 * marks them seen; outside a round (`round` null) the mark stays. A calendar that a run of its
 * mailbox removed meanwhile takes none (a poll stores many mailboxes' pages without their locks).
 */
export async function upsertOutlookEvents(
  tx: EntityManager,
  rows: ReadonlyArray<{ hrUserId: string; calendarId: string; upsert: EventUpsert }>,
  round: number | null,
): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(
    `insert into hr_event (hr_user_id, calendar_id, origin, kind, source_id, seen_round, ${CONTENT_COLUMNS})
     select x."hrUserId", x."calendarId", 'outlook', 'outlook', x."sourceId", ?, ${CONTENT_VALUES}
       from jsonb_to_recordset(?::jsonb) as ${RECORD} join hr_calendar c on c.id = x."calendarId"
     on conflict (calendar_id, source_id) do update set
       (seen_round, ${CONTENT_COLUMNS}, updated_at) = (coalesce(excluded.seen_round, hr_event.seen_round),
       ${CONTENT_COLUMNS.split(',')
         .map((c) => `excluded.${c.trim()}`)
         .join(', ')}, now())
     where hr_event.origin = 'outlook'`,
    [
      round,
      JSON.stringify(
        rows.map(({ hrUserId, calendarId, upsert: { content, ...rest } }) => ({
          hrUserId,
          calendarId,
          ...rest,
          ...content,
        })),
      ),
    ],
  );
}

/** Microsoft 365 events gone from their calendars' views, any number of calendars in one statement; HR's own stay. */
export async function removeOutlookEvents(
  tx: EntityManager,
  rows: ReadonlyArray<{ calendarId: string; sourceId: string }>,
): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(
    `delete from hr_event e using jsonb_to_recordset(?::jsonb) as x("calendarId" uuid, "sourceId" text)
      where e.calendar_id = x."calendarId" and e.source_id = x."sourceId" and e.origin = 'outlook'`,
    [JSON.stringify(rows)],
  );
}

async function keep(tx: EntityManager, eventId: string, history: EventHistoryEntry): Promise<void> {
  await tx.execute(`insert into hr_event_history (event_id, reason, side, snapshot) values (?, ?, ?, ?::jsonb)`, [
    eventId,
    history.reason,
    history.side,
    JSON.stringify(history.snapshot),
  ]);
}
