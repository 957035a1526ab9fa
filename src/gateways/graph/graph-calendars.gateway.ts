import type { MailboxCalendar } from '../../domain/calendar-choice.js';
import type { SyncWindow } from '../../domain/sync-window.js';
import type { CalendarSource, CalendarViewEntry } from '../../sync/calendars/calendar-sync.ports.js';
import type { DeltaPage } from '../../sync/kernel/channel-state.ports.js';
import { toViewEntry } from './graph-event.mapper.js';
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

/**
 * A mailbox's calendars and events (docs/graph.md §11): the calendar sync's CalendarSource.
 * Ids of calendars and events are opaque and may hold `=`, `/` or `+`: they are percent-encoded in paths.
 */
export class GraphCalendarsGateway implements CalendarSource {
  private readonly executor: GraphRequestExecutor;
  private readonly graphBaseUrl: string;

  constructor(session: GraphSession) {
    this.executor = session.executor;
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
