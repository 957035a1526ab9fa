import type { MailboxCalendar } from '../../domain/calendar-choice.js';
import type { SyncWindow } from '../../domain/sync-window.js';
import { ianaZone, wallClockIn } from '../../domain/time-zones.js';
import type { MailboxEvent } from '../../domain/calendar-event.js';
import type {
  CalendarSource,
  CalendarViewEntry,
  EventWrite,
  WriteOutcome,
} from '../../sync/calendars/calendar-sync.ports.js';
import type { DeltaPage } from '../../sync/kernel/channel-state.ports.js';
import { toMailboxEvent, toViewEntry } from './graph-event.mapper.js';
import type { GraphBatchRequest } from './graph-batch.plan.js';
import type { GraphBatchWriter } from './graph-batch.writer.js';
import { GraphGatewayError } from './graph-gateway.error.js';
import { withQuery, type GraphRequestExecutor } from './graph-request.executor.js';
import { userPath } from './graph-user.record.js';
import type { GraphSession } from './graph.session.js';

/** Calendars listed per page: Graph's default page is small and no maximum is documented. */
const CALENDAR_PAGE = 100;
/**
 * Every calendar view request: pages of at most 100 events, times in UTC, bodies as text
 * (https://learn.microsoft.com/graph/api/event-delta, https://learn.microsoft.com/graph/api/event-get).
 * Headers travel with every page: a nextLink does not carry them.
 */
const VIEW_PREFER = 'odata.maxpagesize=100, outlook.timezone="UTC", outlook.body-content-type="text"';

/** Events HR writes or reads one by one: answered in UTC, bodies as text, like the calendar view. */
const EVENT_PREFER = 'outlook.timezone="UTC", outlook.body-content-type="text"';

/**
 * The tag HR's events carry in Microsoft 365: a single-value extended property holding the HR id,
 * which travels in the creating POST and can be searched by value
 * (https://learn.microsoft.com/graph/api/resources/extended-properties-overview,
 * https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get). The GUID is this
 * product's and never changes.
 */
export const HR_ID_PROPERTY = 'String {6f1c2a5e-3b8d-4e47-9a1f-5c2d7e9b0a43} Name EntraHrConnectorEventId';

/**
 * A mailbox's calendars and events (docs/graph.md §11): the calendar sync's CalendarSource.
 * Ids of calendars and events are opaque and may hold `=`, `/` or `+`: they are percent-encoded in paths.
 */
export class GraphCalendarsGateway implements CalendarSource {
  private readonly executor: GraphRequestExecutor;
  private readonly graphBaseUrl: string;

  private readonly batcher: GraphBatchWriter;

  constructor(session: GraphSession) {
    this.executor = session.executor;
    this.batcher = session.batcher;
    this.graphBaseUrl = session.graphBaseUrl;
  }

  /** Graph's cursors are absolute URLs: one made by another Graph host is not ours. */
  accepts(cursor: string): boolean {
    return cursor.startsWith(`${this.graphBaseUrl.replace(/\/+$/, '')}/`);
  }

  /**
   * A calendar's view between the window's ends, as delta rounds
   * (https://learn.microsoft.com/graph/delta-query-events): the window goes in the first request
   * only, and the links carry it on. Occurrences and exceptions of series come expanded.
   */
  async *readCalendarView(
    mailboxId: string,
    calendarSourceId: string,
    cursor: string | null,
    window: SyncWindow,
  ): AsyncIterable<DeltaPage<CalendarViewEntry>> {
    const url =
      cursor ??
      withQuery(`${calendarPath(mailboxId, calendarSourceId)}/calendarView/delta`, {
        startDateTime: window.start,
        endDateTime: window.end,
      });
    const pages = this.executor.pages<Record<string, unknown>>(url, {
      headers: { Prefer: VIEW_PREFER },
      onTokenUrl: cursor !== null,
    });
    for await (const page of pages) {
      const next = page.nextLink ?? page.deltaLink;
      if (next === undefined)
        throw new GraphGatewayError({
          kind: 'fatal',
          code: 'DeltaPageWithoutLink',
          graphMessage: 'A calendar view delta page carried neither @odata.nextLink nor @odata.deltaLink',
        });
      yield { items: page.value.map(toViewEntry), cursor: next, done: page.nextLink === undefined };
      if (page.nextLink === undefined) return;
    }
  }

  /**
   * The next page of many calendar views at once: each stored link as an item of a `$batch` (20 a
   * call, https://learn.microsoft.com/graph/json-batching), with the view's Prefer header, which a
   * link does not carry. Graph answers each item as it would the link alone; one that is not a page
   * (a 410 for a forgotten cursor, a throttled item past its retries) is left to the mailbox's run.
   */
  async readViewPages(cursors: readonly string[]): Promise<Array<DeltaPage<CalendarViewEntry> | null>> {
    const root = `${this.graphBaseUrl.replace(/\/+$/, '')}/v1.0`;
    const requests: GraphBatchRequest[] = [];
    cursors.forEach((cursor, index) => {
      if (cursor.startsWith(`${root}/`))
        requests.push({
          id: String(index),
          method: 'GET',
          url: cursor.slice(root.length),
          headers: { Prefer: VIEW_PREFER },
        });
    });
    const results = new Map((await this.batcher.batch(requests)).map((result) => [result.id, result]));
    return cursors.map((_, index) => {
      const result = results.get(String(index));
      if (!result || result.status !== 200 || typeof result.body !== 'object' || result.body === null) return null;
      const body = result.body as Record<string, unknown>;
      const nextLink = typeof body['@odata.nextLink'] === 'string' ? body['@odata.nextLink'] : undefined;
      const deltaLink = typeof body['@odata.deltaLink'] === 'string' ? body['@odata.deltaLink'] : undefined;
      const next = nextLink ?? deltaLink;
      if (next === undefined || !Array.isArray(body.value)) return null;
      return {
        items: (body.value as Array<Record<string, unknown>>).map(toViewEntry),
        cursor: next,
        done: nextLink === undefined,
      };
    });
  }

  /**
   * POST /users/{id}/calendars/{calendarId}/events (https://learn.microsoft.com/graph/api/calendar-post-events)
   * with the transactionId, which Graph uses "to avoid redundant POST operations in case of client
   * retries" (https://learn.microsoft.com/graph/api/resources/event): a connection lost before the
   * answer is therefore sent again once as it was, and never makes a second event.
   */
  async createEvent(
    mailboxId: string,
    calendarSourceId: string,
    write: EventWrite,
    transactionId: string,
  ): Promise<MailboxEvent> {
    const body = {
      ...graphEventBody(write),
      ...(write.recurrence ? { recurrence: graphRecurrence(write) } : {}),
      transactionId,
      singleValueExtendedProperties: [{ id: HR_ID_PROPERTY, value: write.hrId }],
    };
    const url = `${calendarPath(mailboxId, calendarSourceId)}/events`;
    const send = () =>
      this.executor.send<Record<string, unknown>>('POST', url, body, { headers: { Prefer: EVENT_PREFER } });
    try {
      return toMailboxEvent(await send());
    } catch (error) {
      if (!answerLost(error)) throw error;
      return toMailboxEvent(await send());
    }
  }

  /** The event carrying the HR id, by `$filter` on the extended property (one request, first match). */
  async findTagged(mailboxId: string, calendarSourceId: string, hrId: string): Promise<MailboxEvent | null> {
    const url = withQuery(`${calendarPath(mailboxId, calendarSourceId)}/events`, {
      $filter: `singleValueExtendedProperties/Any(ep: ep/id eq '${HR_ID_PROPERTY}' and ep/value eq '${hrId.replace(/'/g, "''")}')`,
      $top: 1,
    });
    const page = await this.executor.get<{ value?: Array<Record<string, unknown>> }>(url, {
      headers: { Prefer: EVENT_PREFER },
    });
    const first = page.value?.[0];
    return first ? toMailboxEvent(first) : null;
  }

  /**
   * PATCH /users/{id}/events/{eventId} (https://learn.microsoft.com/graph/api/event-update) with
   * If-Match on the changeKey HR saw: 412 ErrorIrresolvableConflict when Outlook changed it since.
   */
  async updateEvent(
    mailboxId: string,
    sourceId: string,
    write: EventWrite,
    changeKey: string | null,
  ): Promise<WriteOutcome> {
    try {
      const answer = await this.executor.send<Record<string, unknown>>(
        'PATCH',
        eventPath(mailboxId, sourceId),
        graphEventBody(write),
        { headers: { Prefer: EVENT_PREFER, ...ifMatch(changeKey) } },
      );
      return { kind: 'written', event: toMailboxEvent(answer) };
    } catch (error) {
      const outcome = writeFailure(error);
      if (outcome) return { kind: outcome };
      throw error;
    }
  }

  /** DELETE /users/{id}/events/{eventId} (https://learn.microsoft.com/graph/api/event-delete), If-Match as above. */
  async deleteEvent(
    mailboxId: string,
    sourceId: string,
    changeKey: string | null,
  ): Promise<'deleted' | 'changed' | 'gone'> {
    try {
      await this.executor.send('DELETE', eventPath(mailboxId, sourceId), undefined, { headers: ifMatch(changeKey) });
      return 'deleted';
    } catch (error) {
      const outcome = writeFailure(error);
      if (outcome) return outcome;
      throw error;
    }
  }

  /** GET /users/{id}/events/{eventId} (https://learn.microsoft.com/graph/api/event-get); null on 404. */
  async getEvent(mailboxId: string, sourceId: string): Promise<MailboxEvent | null> {
    try {
      return toMailboxEvent(
        await this.executor.get<Record<string, unknown>>(eventPath(mailboxId, sourceId), {
          headers: { Prefer: EVENT_PREFER },
        }),
      );
    } catch (error) {
      if (error instanceof GraphGatewayError && error.kind === 'not-found') return null;
      throw error;
    }
  }

  /**
   * Every calendar of the mailbox, the calendars shared with or delegated to the user included, each
   * with `canEdit` (https://learn.microsoft.com/graph/api/user-list-calendars,
   * https://learn.microsoft.com/graph/api/resources/calendar).
   */
  async listCalendars(mailboxId: string): Promise<MailboxCalendar[]> {
    const calendars: MailboxCalendar[] = [];
    const url = withQuery(`${userPath(mailboxId)}/calendars`, { $top: CALENDAR_PAGE });
    for await (const page of this.executor.pages<Record<string, unknown>>(url))
      calendars.push(...page.value.map(toCalendar));
    return calendars;
  }
}

function toCalendar(item: Record<string, unknown>): MailboxCalendar {
  const owner = item.owner as { name?: unknown; address?: unknown } | null | undefined;
  return {
    sourceId: String(item.id),
    name: typeof item.name === 'string' ? item.name : '',
    isDefault: item.isDefaultCalendar === true,
    canEdit: item.canEdit === true,
    owner:
      owner && typeof owner.address === 'string'
        ? { name: typeof owner.name === 'string' ? owner.name : '', address: owner.address }
        : null,
  };
}

/** `/users/{id}/calendars/{calendarId}`, both percent-encoded. */
export function calendarPath(mailboxId: string, calendarId: string): string {
  return `${userPath(mailboxId)}/calendars/${encodeURIComponent(calendarId)}`;
}

/** `/users/{id}/events/{eventId}`, both percent-encoded. */
function eventPath(mailboxId: string, sourceId: string): string {
  return `${userPath(mailboxId)}/events/${encodeURIComponent(sourceId)}`;
}

/** The etag Graph gives an event is `W/"<changeKey>"` (https://learn.microsoft.com/graph/api/resources/event). */
function ifMatch(changeKey: string | null): Record<string, string> {
  return changeKey === null ? {} : { 'If-Match': `W/"${changeKey}"` };
}

/** 412: the changeKey is stale (Outlook changed the event); 404: the event is gone. */
function writeFailure(error: unknown): 'changed' | 'gone' | null {
  if (!(error instanceof GraphGatewayError)) return null;
  if (error.status === 412) return 'changed';
  if (error.kind === 'not-found') return 'gone';
  return null;
}

/**
 * An HR event in Graph's shape (https://learn.microsoft.com/graph/api/resources/event): times as
 * wall clocks in the event's zone, so Outlook keeps the zone it was made in; an all-day event from
 * midnight to midnight in that zone. No attendees: creating them would send invitations.
 */
function graphEventBody(write: EventWrite): Record<string, unknown> {
  const zone = ianaZone(write.timeZone) ?? 'UTC';
  const at = (instant: string, date: string | null) => ({
    dateTime: write.isAllDay && date !== null ? `${date}T00:00:00` : wallClockIn(new Date(instant), zone),
    timeZone: write.timeZone,
  });
  return {
    subject: write.subject,
    body: { contentType: 'text', content: write.body },
    location: { displayName: write.location },
    start: at(write.start, write.startDate),
    end: at(write.end, write.endDate),
    isAllDay: write.isAllDay,
    showAs: write.showAs,
    sensitivity: write.sensitivity,
  };
}

/**
 * An HR series' recurrence as Graph's patternedRecurrence, counted in the event's zone from the
 * day of its first occurrence (https://learn.microsoft.com/graph/api/resources/patternedrecurrence).
 * Sent at creation only: a PATCH carrying a recurrence would reset the series' exceptions.
 */
function graphRecurrence(write: EventWrite): Record<string, unknown> {
  const r = write.recurrence!;
  const zone = ianaZone(write.timeZone) ?? 'UTC';
  const startDate =
    write.isAllDay && write.startDate ? write.startDate : wallClockIn(new Date(write.start), zone).slice(0, 10);
  return {
    pattern: { type: r.type, interval: r.interval, ...(r.type === 'weekly' ? { daysOfWeek: r.daysOfWeek } : {}) },
    range: {
      type: r.count !== null ? 'numbered' : 'endDate',
      startDate,
      ...(r.count !== null ? { numberOfOccurrences: r.count } : { endDate: r.until }),
      recurrenceTimeZone: write.timeZone,
    },
  };
}

/**
 * The request may have been carried out but its answer never arrived whole: the connection dropped
 * before any answer (no status), or in the middle of a success's body.
 */
function answerLost(error: unknown): boolean {
  if (!(error instanceof GraphGatewayError)) return false;
  if (error.status === undefined) return error.kind === 'retryable';
  return error.status >= 200 && error.status < 300;
}
