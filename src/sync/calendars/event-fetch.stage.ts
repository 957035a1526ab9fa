import type { Logger } from 'pino';
import type { MailboxEvent } from '../../domain/calendar-event.js';
import { TRANSACTION_PREFIX } from '../../domain/hr-event.js';
import { syncWindow, type SyncWindow } from '../../domain/sync-window.js';
import type { StreamCursor } from '../kernel/channel-state.ports.js';
import { DeltaFetchStage, type DeltaStream } from '../kernel/delta-fetch.stage.js';
import type { FailurePolicy } from '../kernel/error-policy.js';
import type { CalendarViewEntry, StoredEvent, SyncedCalendar } from './calendar-sync.ports.js';
import type { MailboxRun } from './calendar-sync.service.js';
import { planEventPage } from './event-page.planner.js';

/** What becomes of HR's own events a page speaks of (rule 6.7): the HR events stage decides. */
export type HrEntriesHandler = (
  run: MailboxRun,
  calendar: SyncedCalendar,
  entries: Array<{ stored: StoredEvent; entry: CalendarViewEntry }>,
) => Promise<void>;

/**
 * Events Microsoft 365 -> HR (rule 6.3): each enabled calendar is a delta stream of the mailbox's
 * channel, read with Graph's calendar view delta over the sync window; every page is stored with
 * the cursor that follows it. A calendar whose cursor was made for another window starts a full
 * round, which ends by removing the calendar's events the round did not see. A disabled calendar
 * keeps none of the events it synced, and no cursor.
 */
export function eventFetchStage(deps: {
  failures: FailurePolicy;
  logger: Logger;
  now: () => Date;
  onHrEntries?: HrEntriesHandler;
}): (run: MailboxRun) => Promise<void> {
  return async (run) => {
    const window = syncWindow(deps.now());
    const calendars = await run.store.syncedCalendars(run.mailbox.hrUserId);
    await clearDisabled(run, calendars);
    const fetch = new DeltaFetchStage(run.cursors, run.source, deps.failures, deps.logger);
    for (const calendar of calendars.filter((c) => c.enabled)) {
      if (run.signal.aborted) throw new Error('the calendar run was stopped');
      const stream = new CalendarViewStream(run, calendar, window, deps.onHrEntries);
      if (calendar.windowStart !== window.start) {
        await run.cursors.forget(stream.name);
        await run.store.setWindow(calendar.id, window);
      }
      await fetch.fetch(stream, { full: false, progress: async () => {}, signal: run.signal });
    }
  };
}

/**
 * An event HR created, by the transactionId HR gave it: one whose creation's answer was lost comes
 * back under an id HR does not know yet, and is adopted rather than stored as Outlook's (rule 6.7).
 */
export function createdByHr(entry: CalendarViewEntry): entry is { kind: 'event'; event: MailboxEvent } {
  return (
    entry.kind === 'event' &&
    entry.event.type === 'singleInstance' &&
    (entry.event.transactionId?.startsWith(TRANSACTION_PREFIX) ?? false)
  );
}

/** The stream name of a calendar's events in its mailbox's channel. */
export function eventStreamName(calendarId: string): string {
  return `events:${calendarId}`;
}

async function clearDisabled(run: MailboxRun, calendars: readonly SyncedCalendar[]): Promise<void> {
  const holding = new Set(await run.events.calendarsWithSyncedEvents(run.mailbox.hrUserId));
  for (const calendar of calendars.filter((c) => !c.enabled)) {
    if (holding.has(calendar.id)) run.counts.eventsRemoved += await run.events.clearSyncedEvents(calendar.id);
    const name = eventStreamName(calendar.id);
    if ((await run.cursors.cursor(name)).cursor !== null) await run.cursors.forget(name);
  }
}

class CalendarViewStream implements DeltaStream<CalendarViewEntry> {
  readonly name: string;

  constructor(
    private readonly run: MailboxRun,
    private readonly calendar: SyncedCalendar,
    private readonly window: SyncWindow,
    private readonly onHrEntries?: HrEntriesHandler,
  ) {
    this.name = eventStreamName(calendar.id);
  }

  read(cursor: string | null): AsyncIterable<{ items: CalendarViewEntry[]; cursor: string; done: boolean }> {
    return this.run.source.readCalendarView(this.run.mailbox.entraId, this.calendar.sourceId, cursor, this.window);
  }

  async store(items: CalendarViewEntry[], next: StreamCursor): Promise<void> {
    const ours = items.flatMap((i) => (createdByHr(i) ? [i.event] : []));
    if (ours.length > 0) await this.run.events.adoptCreated(this.calendar.id, ours);
    const ids = [...new Set(items.map((i) => (i.kind === 'removed' ? i.sourceId : i.event.sourceId)))];
    const stored = await this.run.events.storedEvents(this.calendar.id, ids);
    const changes = planEventPage(items, stored, { showPrivateDetails: this.run.mailbox.showPrivateDetails });
    if (changes.hrEntries.length > 0) await this.onHrEntries?.(this.run, this.calendar, changes.hrEntries);
    await this.run.events.applyEventPage(
      {
        hrUserId: this.run.mailbox.hrUserId,
        calendarId: this.calendar.id,
        channel: this.run.channel,
        stream: this.name,
        next,
      },
      changes,
    );
    this.run.counts.eventsStored += changes.upserts.length;
    this.run.counts.eventsRemoved += changes.removed.length;
  }

  async sweep(round: number): Promise<void> {
    this.run.counts.eventsRemoved += await this.run.events.sweepCalendar(this.calendar.id, round);
  }
}
