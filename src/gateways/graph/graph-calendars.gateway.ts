import type { MailboxCalendar } from '../../domain/calendar-choice.js';
import type { CalendarSource } from '../../sync/calendars/calendar-sync.ports.js';
import { withQuery, type GraphRequestExecutor } from './graph-request.executor.js';
import { userPath } from './graph-user.record.js';
import type { GraphSession } from './graph.session.js';

/** Calendars listed per page: Graph's default page is small and no maximum is documented. */
const CALENDAR_PAGE = 100;

/**
 * A mailbox's calendars and events (docs/graph.md §11): the calendar sync's CalendarSource.
 * Ids of calendars and events are opaque and may hold `=`, `/` or `+`: they are percent-encoded in paths.
 */
export class GraphCalendarsGateway implements CalendarSource {
  private readonly executor: GraphRequestExecutor;

  constructor(session: GraphSession) {
    this.executor = session.executor;
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
