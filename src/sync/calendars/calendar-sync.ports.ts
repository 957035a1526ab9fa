/**
 * What the calendar sync (docs/rules.md §6) needs from the outside world: the user's mailbox in
 * Microsoft 365 (CalendarSource, Graph) and HR's calendars and events (CalendarStore, the database).
 * The composition root builds them over gateways/graph and gateways/db.
 */
import type { CalendarPlan, HrCalendar, MailboxCalendar } from '../../domain/calendar-choice.js';

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

/** The mailbox as Graph shows it (gateways/graph). */
export interface CalendarSource {
  /** Every calendar the mailbox lists, own, shared and delegated, with whether the user can edit it. */
  listCalendars(mailboxId: string): Promise<MailboxCalendar[]>;
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
}
