import type { Attendee } from '../../domain/calendar-event.js';
import type { HrEventContent, HrRecurrence } from '../../domain/hr-event.js';

/** An event of an HR user's calendar, as the employee and admin APIs show it. */
export interface CalendarEventView {
  id: string;
  calendarId: string | null;
  calendarName: string | null;
  /** `outlook`: came from Microsoft 365; `hr`: created in HR (rule 6.7). */
  origin: 'outlook' | 'hr';
  kind: string;
  subject: string;
  body: string;
  bodyTruncated: boolean;
  location: string;
  start: string;
  end: string;
  timeZone: string;
  isAllDay: boolean;
  startDate: string | null;
  endDate: string | null;
  showAs: string;
  sensitivity: string;
  isPrivate: boolean;
  isCancelled: boolean;
  attendees: Attendee[];
  organizer: { name: string; address: string } | null;
  type: 'singleInstance' | 'occurrence' | 'exception';
  /** The series an occurrence or exception belongs to (Microsoft 365's id, opaque). */
  seriesId: string | null;
  originalStart: string | null;
  /** HR events: whether Microsoft 365 has HR's version yet. */
  push: { state: 'synced' | 'pending' | 'failed'; error: string | null } | null;
  /** An HR series not yet in Microsoft 365: how it repeats. */
  recurrence: HrRecurrence | null;
  updatedAt: string;
}

export interface EventRange {
  /** ISO 8601 instants: events that end after `from` and start before `to`. */
  from: string;
  to: string;
  limit: number;
  /** The id of the last event of the previous page. */
  after?: string;
}

/** An earlier version of an event: what a conflict's losing side had, or what a deletion took (rule 6.8). */
export interface EventHistoryView {
  recordedAt: string;
  reason: string;
  side: 'hr' | 'outlook';
  snapshot: Record<string, unknown>;
}

/** HR's events of each user, as the APIs read and write them (gateways/db). */
export interface CalendarEventRepository {
  /**
   * A new HR event, version 1, waiting for its push (rule 6.7): the row is the outbox, written in
   * one statement with its version. `calendarId` null: the default calendar.
   */
  createHrEvent(hrUserId: string, calendarId: string | null, content: HrEventContent): Promise<string>;
  /** HR's new version of one of its events (false when there is no such live HR event of the user). */
  updateHrEvent(hrUserId: string, eventId: string, content: HrEventContent): Promise<boolean>;
  /**
   * Deletes one occurrence of an HR series in HR: the series remembers it, and its push deletes it
   * in Microsoft 365 (false when the event is no occurrence of an HR series of the user).
   */
  cancelOccurrence(hrUserId: string, eventId: string): Promise<boolean>;
  /** Deletes an HR event in HR; its deletion waits for its push. */
  deleteHrEvent(hrUserId: string, eventId: string): Promise<boolean>;
  history(hrUserId: string, eventId: string): Promise<EventHistoryView[]>;
  /** Events in the range, by start then id; deleted HR events waiting for their push are left out. */
  list(hrUserId: string, range: EventRange): Promise<CalendarEventView[]>;
  get(hrUserId: string, eventId: string): Promise<CalendarEventView | null>;
  /**
   * What the employee's feed shows (rule 6.4): the listed events overlapping the range, and HR
   * series Microsoft 365 has not expanded yet that start before its end, at most `limit`, by start.
   */
  feedEvents(hrUserId: string, range: Omit<EventRange, 'after'>): Promise<CalendarEventView[]>;
}
