/**
 * What the calendar sync (docs/rules.md §6) needs from the outside world: the user's mailbox in
 * Microsoft 365 (CalendarSource, Graph) and HR's calendars and events (CalendarStore, the database).
 * The composition root builds them over gateways/graph and gateways/db.
 */
import type { CalendarPlan, HrCalendar, MailboxCalendar } from '../../domain/calendar-choice.js';
import type { MailboxEvent } from '../../domain/calendar-event.js';
import type { SyncWindow } from '../../domain/sync-window.js';
import type { DeltaPage, StreamCursor } from '../kernel/channel-state.ports.js';
import type { DeltaSource } from '../kernel/delta-fetch.stage.js';
import type { EventPageChanges } from './event-page.planner.js';

/** An HR user whose Microsoft 365 calendars the sync may read: active, linked to Entra. */
export interface CalendarMailbox {
  hrUserId: string;
  /** The Entra object id: the mailbox's id in Graph. */
  entraId: string;
  email: string;
  /** The per-user switch (rule 6.1). */
  syncEnabled: boolean;
  /** The employee lets private events show their content in HR (otherwise busy blocks). */
  showPrivateDetails: boolean;
}

/** One entry of a calendar view's delta: an event new or changed, or one that left the view. */
export type CalendarViewEntry = { kind: 'event'; event: MailboxEvent } | { kind: 'removed'; sourceId: string };

/** The mailbox as Graph shows it (gateways/graph). */
export interface CalendarSource extends DeltaSource {
  /** Every calendar the mailbox lists, own, shared and delegated, with whether the user can edit it. */
  listCalendars(mailboxId: string): Promise<MailboxCalendar[]>;
  /**
   * A calendar view's delta rounds: from `cursor`, or a full round over `window` when it is null.
   * A cursor Graph no longer knows fails with the kind 'cursor-invalid'.
   */
  readCalendarView(
    mailboxId: string,
    calendarSourceId: string,
    cursor: string | null,
    window: SyncWindow,
  ): AsyncIterable<DeltaPage<CalendarViewEntry>>;
}

/** An HR calendar with the window its delta cursor was made for. */
export interface SyncedCalendar extends HrCalendar {
  windowStart: string | null;
}

/** An event HR holds for a calendar, as a page of the calendar's delta meets it. */
export interface StoredEvent {
  id: string;
  sourceId: string;
  origin: 'outlook' | 'hr';
  changeKey: string | null;
}

/** Where a page of a calendar's delta goes, and the cursor saved with it. */
export interface EventPageTarget {
  hrUserId: string;
  calendarId: string;
  channel: string;
  stream: string;
  next: StreamCursor;
}

/** What one run did, for its record and for the admin's per-user status. */
export interface CalendarRunCounts {
  calendarsAdded: number;
  calendarsRemoved: number;
  eventsStored: number;
  eventsRemoved: number;
  eventsPushed: number;
  conflicts: number;
}

export type CalendarRunStatus = 'succeeded' | 'failed' | 'skipped';

export interface CalendarRunRecord {
  hrUserId: string;
  trigger: string;
  startedAt: Date;
  status: CalendarRunStatus;
  counts: CalendarRunCounts;
  /** Conflicts decided in the run (rule 6.8), each with the side that won. */
  conflicts: Array<{ eventId: string; winner: 'hr' | 'outlook'; reason: string }>;
  error: string | null;
}

/** HR's calendars (gateways/db). */
export interface CalendarStore {
  /** The HR user as a mailbox to sync, or null when it is not one (inactive, not linked to Entra, unknown). */
  mailbox(hrUserId: string): Promise<CalendarMailbox | null>;
  calendars(hrUserId: string): Promise<HrCalendar[]>;
  /**
   * Applies a calendar plan in one transaction. A removed calendar takes the events it synced from
   * Microsoft 365 with it; the events HR created in it stay in HR and go to the default calendar.
   */
  applyCalendarPlan(hrUserId: string, plan: CalendarPlan): Promise<void>;
  recordRun(run: CalendarRunRecord): Promise<void>;
  syncedCalendars(hrUserId: string): Promise<SyncedCalendar[]>;
  /** Records the window a calendar's next full round reads. */
  setWindow(calendarId: string, window: SyncWindow): Promise<void>;
}

/** HR's events, as the calendar sync reads and writes them (gateways/db). */
export interface EventStore {
  /** The events HR holds in a calendar under these Microsoft 365 ids. */
  storedEvents(calendarId: string, sourceIds: readonly string[]): Promise<StoredEvent[]>;
  /** Stores a page's changes and, in the same transaction, the cursor that follows it. */
  applyEventPage(target: EventPageTarget, changes: EventPageChanges): Promise<void>;
  /** After a full round: the calendar's Microsoft 365 events the round did not see are gone. Returns how many. */
  sweepCalendar(calendarId: string, round: number): Promise<number>;
  /** The calendars (by id) holding events synced from Microsoft 365. */
  calendarsWithSyncedEvents(hrUserId: string): Promise<string[]>;
  /** Removes the events synced from Microsoft 365 of a calendar (disabled): HR's own events stay. */
  clearSyncedEvents(calendarId: string): Promise<number>;
}
