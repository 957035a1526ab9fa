import type { HrCalendar } from '../../domain/calendar-choice.js';

/** An HR user's calendar choices (rule 6.1). */
export interface CalendarOptions {
  syncEnabled: boolean;
  /** Private events show their content in HR; otherwise they are busy blocks. */
  showPrivateDetails: boolean;
}

/** One calendar run of a mailbox, as the admin sees it. */
export interface CalendarRunView {
  id: string;
  trigger: string;
  status: string;
  startedAt: string;
  finishedAt: string;
  counts: Record<string, number>;
  conflicts: Array<Record<string, unknown>>;
  error: string | null;
}

/** HR's calendars of each user, as the employee and admin APIs read and change them (gateways/db). */
export interface CalendarRepository {
  /** The HR user whose calendars these are; null for an unknown id. */
  account(hrUserId: string): Promise<{ id: string; email: string; entraId: string | null; active: boolean } | null>;
  /** The user's calendars, the default one first, then by name. */
  calendarsOf(hrUserId: string): Promise<HrCalendar[]>;
  /** Switches one of the user's calendars; false when the user has no such calendar. */
  setEnabled(hrUserId: string, calendarId: string, enabled: boolean): Promise<boolean>;
  options(hrUserId: string): Promise<CalendarOptions>;
  setOptions(hrUserId: string, patch: Partial<CalendarOptions>): Promise<CalendarOptions>;
  /**
   * Makes the next run read every enabled calendar of the user whole and store each event again
   * (after a choice that changes what HR keeps of an event, such as private details).
   */
  rereadAll(hrUserId: string): Promise<void>;
  /** The latest runs of the user's mailbox, newest first. */
  runs(hrUserId: string, limit: number): Promise<CalendarRunView[]>;
}
