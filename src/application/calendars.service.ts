import { calendarKind, enableRefusal, type HrCalendar } from '../domain/calendar-choice.js';
import { AppError, notFound } from './app-error.js';
import type { CalendarOptions, CalendarRunView } from './ports/calendar.port.js';
import type { Repositories } from './ports/repositories.port.js';

/** A calendar as the employee and admin APIs show it. */
export interface CalendarView {
  id: string;
  name: string;
  isDefault: boolean;
  enabled: boolean;
  /** `own`, or `shared` for a calendar shared with or delegated to the user. */
  kind: 'own' | 'shared';
  owner: { name: string | null; address: string | null };
}

export interface MyCalendars extends CalendarOptions {
  calendars: CalendarView[];
}

export interface CalendarStatus extends MyCalendars {
  hrUserId: string;
  email: string;
  /** Whether the user is a mailbox the sync reads: active and linked to Entra. */
  linked: boolean;
  runs: CalendarRunView[];
}

/**
 * The calendar choices of one HR user (docs/rules.md §6.1, §6.2), for the employee's own API and
 * the admin's. `requestSync` queues a run of the user's mailbox, so a change shows soon.
 */
export class CalendarsService {
  constructor(
    private readonly repos: Repositories,
    private readonly requestSync: (hrUserId: string) => Promise<void> = async () => {},
  ) {}

  async calendars(hrUserId: string): Promise<MyCalendars> {
    const account = await this.account(hrUserId);
    const calendars = await this.repos.calendars.calendarsOf(hrUserId);
    return {
      ...(await this.repos.calendars.options(hrUserId)),
      calendars: calendars.map((c) => view(c, account.email)),
    };
  }

  /** Rule 6.2: the employee enables or disables a calendar; the default one stays enabled (409). */
  async setEnabled(hrUserId: string, calendarId: string, enabled: boolean): Promise<CalendarView> {
    const account = await this.account(hrUserId);
    const calendar = (await this.repos.calendars.calendarsOf(hrUserId)).find((c) => c.id === calendarId);
    if (!calendar) throw notFound('Calendar');
    const refusal = enableRefusal(calendar, enabled);
    if (refusal) throw new AppError('conflict', `This calendar cannot be disabled: ${refusal}`);
    if (calendar.enabled !== enabled) {
      await this.repos.calendars.setEnabled(hrUserId, calendarId, enabled);
      await this.requestSync(hrUserId);
    }
    return view({ ...calendar, enabled }, account.email);
  }

  /** Rule 6.1: the per-user switch, and whether private events show their content. */
  async setOptions(hrUserId: string, patch: Partial<CalendarOptions>): Promise<CalendarOptions> {
    await this.account(hrUserId);
    const before = await this.repos.calendars.options(hrUserId);
    const after = await this.repos.calendars.setOptions(hrUserId, patch);
    // What HR keeps of a private event changes: every event is read again (rule 6.6).
    if (before.showPrivateDetails !== after.showPrivateDetails) await this.repos.calendars.rereadAll(hrUserId);
    if (after.syncEnabled && (!before.syncEnabled || before.showPrivateDetails !== after.showPrivateDetails))
      await this.requestSync(hrUserId);
    return after;
  }

  /**
   * An admin's "sync now" for one mailbox; refused (409) when no run would read it: calendar sync
   * off, switched off for the user, or the user not an active HR user linked to Entra.
   */
  async requestRun(hrUserId: string): Promise<void> {
    const account = await this.account(hrUserId);
    const refusal = !(await this.repos.settings.read()).calendarSync
      ? 'calendar sync is off (rule 6.1)'
      : !(await this.repos.calendars.options(hrUserId)).syncEnabled
        ? 'calendar sync is off for this user (rule 6.1)'
        : !account.active || account.entraId === null
          ? 'the HR user is not active and linked to an Entra user'
          : null;
    if (refusal) throw new AppError('conflict', `No calendar run: ${refusal}`);
    await this.requestSync(hrUserId);
  }

  /** The admin's view of a user's calendar sync: choices, calendars and the latest runs. */
  async status(hrUserId: string): Promise<CalendarStatus> {
    const account = await this.account(hrUserId);
    return {
      hrUserId,
      email: account.email,
      linked: account.active && account.entraId !== null,
      ...(await this.calendars(hrUserId)),
      runs: await this.repos.calendars.runs(hrUserId, 10),
    };
  }

  private async account(hrUserId: string) {
    const account = await this.repos.calendars.account(hrUserId);
    if (!account) throw notFound('HR user');
    return account;
  }
}

function view(calendar: HrCalendar, email: string): CalendarView {
  return {
    id: calendar.id,
    name: calendar.name,
    isDefault: calendar.isDefault,
    enabled: calendar.enabled,
    kind: calendarKind(calendar, [email]),
    owner: { name: calendar.ownerName, address: calendar.ownerAddress },
  };
}
