import { isCalendarDate } from './calendar-date.js';
import { instantOfWallClock, ianaZone } from './time-zones.js';

/** What HR puts in people's calendars (docs/rules.md §6.7). */
export const HR_EVENT_KINDS = ['absence', 'onboarding', 'interview', 'training', 'meeting', 'other'] as const;
export type HrEventKind = (typeof HR_EVENT_KINDS)[number];

export const SHOW_AS = ['free', 'tentative', 'busy', 'oof', 'workingElsewhere'] as const;

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/**
 * How an HR series repeats: every `interval` days, or weeks on `daysOfWeek`, for `count`
 * occurrences or until a date (inclusive) - the part of Outlook's patternedRecurrence HR offers
 * (https://learn.microsoft.com/graph/api/resources/patternedrecurrence).
 */
export interface HrRecurrence {
  type: 'daily' | 'weekly';
  interval: number;
  daysOfWeek: string[];
  count: number | null;
  until: string | null;
}

/** An HR event as the employee or an admin writes it: a timed event, or an all-day one by its dates. */
export interface HrEventDraft {
  kind: HrEventKind;
  subject: string;
  body: string;
  location: string;
  /** IANA or Windows zone name the event is made in; UTC when absent. */
  timeZone: string;
  isAllDay: boolean;
  /** Timed events: ISO 8601 instants. */
  start?: string;
  end?: string;
  /** All-day events: first day and the day after the last (`YYYY-MM-DD`, end exclusive, RFC 5545 §3.6.1). */
  startDate?: string;
  endDate?: string;
  showAs: string;
  sensitivity: 'normal' | 'private';
  recurrence?: HrRecurrence | null;
}

/** What HR stores of an HR event and sends to Microsoft 365. */
export interface HrEventContent {
  kind: HrEventKind;
  subject: string;
  body: string;
  location: string;
  /** ISO 8601 instants in UTC; for an all-day event, the zone's midnights. */
  start: string;
  end: string;
  timeZone: string;
  isAllDay: boolean;
  startDate: string | null;
  endDate: string | null;
  showAs: string;
  sensitivity: string;
  /** A series: how it repeats from its first occurrence (start..end); null for a single event. */
  recurrence: HrRecurrence | null;
}

/** The default availability of each kind: an absence shows as out of office. */
export function defaultShowAs(kind: HrEventKind): string {
  return kind === 'absence' ? 'oof' : 'busy';
}

/**
 * A draft checked and made whole. Refusals are sentences for the API to show: an unknown zone, an
 * end before the start, an all-day event without its dates, a timed event with dates.
 */
export function hrEventContent(
  draft: HrEventDraft,
): { ok: true; content: HrEventContent } | { ok: false; error: string } {
  const zone = ianaZone(draft.timeZone);
  if (!zone) return { ok: false, error: `timeZone '${draft.timeZone}' is not a time zone this service knows` };
  let start: Date;
  let end: Date;
  if (draft.isAllDay) {
    if (!draft.startDate || !draft.endDate || draft.start !== undefined || draft.end !== undefined)
      return {
        ok: false,
        error: 'an all-day event has startDate and endDate (the day after the last), not start and end',
      };
    if (!isCalendarDate(draft.startDate) || !isCalendarDate(draft.endDate))
      return { ok: false, error: 'startDate and endDate are dates (YYYY-MM-DD)' };
    if (!(draft.endDate > draft.startDate)) return { ok: false, error: 'endDate is after startDate (it is exclusive)' };
    start = instantOfWallClock(`${draft.startDate}T00:00:00`, zone);
    end = instantOfWallClock(`${draft.endDate}T00:00:00`, zone);
  } else {
    if (!draft.start || !draft.end || draft.startDate !== undefined || draft.endDate !== undefined)
      return { ok: false, error: 'a timed event has start and end (ISO 8601 instants), not dates' };
    start = new Date(draft.start);
    end = new Date(draft.end);
    if (!(end.getTime() > start.getTime())) return { ok: false, error: 'end is after start' };
  }
  const recurrence = draft.recurrence ?? null;
  if (recurrence) {
    const refusal = recurrenceRefusal(recurrence, draft.isAllDay ? draft.startDate! : start.toISOString().slice(0, 10));
    if (refusal) return { ok: false, error: refusal };
  }
  return {
    ok: true,
    content: {
      kind: draft.kind,
      subject: draft.subject,
      body: draft.body,
      location: draft.location,
      start: start.toISOString(),
      end: end.toISOString(),
      timeZone: draft.timeZone,
      isAllDay: draft.isAllDay,
      startDate: draft.isAllDay ? draft.startDate! : null,
      endDate: draft.isAllDay ? draft.endDate! : null,
      showAs: draft.showAs,
      sensitivity: draft.sensitivity,
      recurrence: recurrence
        ? {
            ...recurrence,
            daysOfWeek: recurrence.type === 'weekly' ? recurrence.daysOfWeek.map((d) => d.toLowerCase()) : [],
          }
        : null,
    },
  };
}

function recurrenceRefusal(r: HrRecurrence, firstDay: string): string | null {
  if (!Number.isInteger(r.interval) || r.interval < 1 || r.interval > 99) return 'recurrence.interval is 1 to 99';
  if ((r.count === null) === (r.until === null)) return 'a recurrence has either count or until';
  if (r.count !== null && !(Number.isInteger(r.count) && r.count >= 1 && r.count <= 999))
    return 'recurrence.count is 1 to 999';
  if (r.until !== null && (!isCalendarDate(r.until) || r.until < firstDay))
    return 'recurrence.until is a date (YYYY-MM-DD) not before the first occurrence';
  if (
    r.type === 'weekly' &&
    (r.daysOfWeek.length === 0 || !r.daysOfWeek.every((d) => DAYS.includes(d.toLowerCase() as never)))
  )
    return 'a weekly recurrence names its daysOfWeek (sunday ... saturday)';
  return null;
}

/**
 * The conflict rule (docs/rules.md §6.8): when HR and Outlook both changed an HR event since the
 * last sync, the side that changed last wins, by HR's change time against Outlook's
 * lastModifiedDateTime; on a tie HR wins (HR owns its events). An Outlook deletion carries no time
 * of its own (Graph reports only that the event is gone, https://learn.microsoft.com/graph/api/event-delta),
 * so it counts as made when the run sees it, and wins over HR's earlier, unsent change.
 */
export function conflictWinner(hrModifiedAt: string, outlookModifiedAt: string | null): 'hr' | 'outlook' {
  if (outlookModifiedAt === null) return 'outlook';
  return Date.parse(outlookModifiedAt) > Date.parse(hrModifiedAt) ? 'outlook' : 'hr';
}

/** Prefix of the transactionIds HR gives the events it creates, so a run knows them on sight. */
export const TRANSACTION_PREFIX = 'ehc-';

/**
 * The transactionId of one creation of an HR event (https://learn.microsoft.com/graph/api/user-post-events):
 * the same for every retry of that creation, new when the event must be created again (its calendar
 * left HR).
 */
export function transactionIdOf(eventId: string, creation: number): string {
  return `${TRANSACTION_PREFIX}${eventId}-${creation}`;
}
