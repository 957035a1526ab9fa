import type { Logger } from 'pino';
import { planCalendars } from '../../domain/calendar-choice.js';
import { calendarChannelId } from '../kernel/channel-id.js';
import type { ChannelLocks } from '../kernel/channel-lock.ports.js';
import { ChannelStageKeeper } from '../kernel/channel-stage.keeper.js';
import type { DeltaPage, ChannelStore, StreamCursorStore } from '../kernel/channel-state.ports.js';
import type { FailurePolicy, UpstreamFailureKind } from '../kernel/error-policy.js';
import type { SyncWindow } from '../../domain/sync-window.js';
import type {
  CalendarMailbox,
  CalendarRunCounts,
  CalendarRunRecord,
  CalendarSource,
  CalendarStore,
  CalendarViewEntry,
  EventStore,
} from './calendar-sync.ports.js';
import { eventStreamName } from './event-fetch.stage.js';

export interface CalendarSyncDeps {
  store: () => CalendarStore;
  events: () => EventStore;
  channels: () => ChannelStore;
  /** Null while no Entra connection exists. */
  source: () => CalendarSource | null;
  /** The integration's calendar switch (rule 6.1). */
  calendarSync: () => Promise<boolean>;
  locks: ChannelLocks;
  failures: FailurePolicy;
  logger: Logger;
  now?: () => Date;
}

export interface CalendarRunOutcome {
  status: 'succeeded' | 'failed' | 'skipped' | 'busy';
  detail: string;
  counts?: CalendarRunCounts;
  /** Set on a failure: what the error policy calls it. */
  kind?: UpstreamFailureKind | null;
}

/** One mailbox's stages inside a run that holds its channel. */
export interface MailboxRun {
  mailbox: CalendarMailbox;
  /** The mailbox's channel, `calendar:<entra id>`. */
  channel: string;
  source: CalendarSource;
  store: CalendarStore;
  events: EventStore;
  /** The channel's delta cursors: one stream per calendar. */
  cursors: StreamCursorStore;
  counts: CalendarRunCounts;
  conflicts: CalendarRunRecord['conflicts'];
  signal: AbortSignal;
}

export const CALENDAR_CHANNEL_KIND = 'calendar';

/** How old a mailbox's listing of its calendars may be before a scheduled run lists them again. */
export const LIST_CALENDARS_EVERY_MS = 60 * 60_000;

export interface CalendarRunOptions {
  trigger: string;
  signal: AbortSignal;
  /** Pages a poll read already (calendar-poll.service.ts), by the cursor they follow. */
  prefetched?: ReadonlyMap<string, DeltaPage<CalendarViewEntry>>;
}

/** A run's counts before it has done anything (and a quiet poll's, which does nothing). */
export const zeroCounts = (): CalendarRunCounts => ({
  calendarsAdded: 0,
  calendarsRemoved: 0,
  eventsStored: 0,
  eventsRemoved: 0,
  eventsPushed: 0,
  conflicts: 0,
});

/**
 * The calendar sync of one mailbox (docs/rules.md §6): a channel of its own (`calendar:<entra id>`),
 * so mailboxes run side by side, on any instance, and never twice at once. A run lists the
 * mailbox's calendars into HR (rule 6.2), then runs the event stages it is given.
 */
export class CalendarSyncService {
  constructor(
    private readonly deps: CalendarSyncDeps,
    private readonly eventStages: Array<(run: MailboxRun) => Promise<void>> = [],
  ) {}

  async run(hrUserId: string, options: CalendarRunOptions): Promise<CalendarRunOutcome> {
    const connected = this.deps.source();
    const source = connected && options.prefetched ? withPrefetchedPages(connected, options.prefetched) : connected;
    if (!source) return { status: 'skipped', detail: 'no Entra connection is configured' };
    if (!(await this.deps.calendarSync())) return { status: 'skipped', detail: 'calendar sync is off' };
    const store = this.deps.store();
    const mailbox = await store.mailbox(hrUserId);
    if (!mailbox) return { status: 'skipped', detail: 'not an active HR user linked to Entra' };
    if (!mailbox.syncEnabled) return { status: 'skipped', detail: 'calendar sync is off for this user' };
    const channel = calendarChannelId(mailbox.entraId);
    const run: MailboxRun = {
      mailbox,
      channel,
      source,
      store,
      events: this.deps.events(),
      cursors: this.deps.channels().cursors(channel),
      counts: zeroCounts(),
      conflicts: [],
      signal: options.signal,
    };
    const outcome = await this.deps.locks.tryWithLock(channel, () => this.runLocked(run, options.trigger));
    return outcome.acquired ? outcome.value : { status: 'busy', detail: `${channel} is being synced` };
  }

  private async runLocked(run: MailboxRun, trigger: string): Promise<CalendarRunOutcome> {
    const startedAt = this.now();
    const keeper = new ChannelStageKeeper(
      this.deps.channels(),
      calendarChannelId(run.mailbox.entraId),
      CALENDAR_CHANNEL_KIND,
    );
    let error: unknown = null;
    try {
      await keeper.start();
      if (this.listsCalendars(run.mailbox, trigger)) await this.syncCalendars(run);
      for (const stage of this.eventStages) await stage(run);
      await keeper.change('fetched');
      await keeper.change('succeed');
    } catch (caught) {
      error = caught;
      if (keeper.started) await keeper.change(run.signal.aborted ? 'stop' : 'fail').catch(() => undefined);
    }
    const decision = error === null ? null : this.deps.failures.decide(error, 'stream');
    const status = error === null ? 'succeeded' : 'failed';
    const detail = error === null ? summary(run.counts) : describe(error);
    if (error !== null)
      this.deps.logger.warn(
        { err: error, hrUserId: run.mailbox.hrUserId, kind: decision?.kind },
        'calendar sync failed',
      );
    await run.store.recordRun({
      hrUserId: run.mailbox.hrUserId,
      trigger,
      startedAt,
      status,
      counts: { ...run.counts, conflicts: run.conflicts.length },
      conflicts: run.conflicts,
      error: error === null ? null : detail,
    });
    return { status, detail, counts: run.counts, ...(decision ? { kind: decision.kind } : {}) };
  }

  /**
   * Events change often, calendars seldom: a run for a schedule or a change notification lists the
   * mailbox's calendars only when the last listing is older than LIST_CALENDARS_EVERY_MS, so a quiet
   * poll reads nothing but delta cursors (docs/rules.md §6.10). A run for a change in HR or an
   * admin's request lists them always.
   */
  private listsCalendars(mailbox: CalendarMailbox, trigger: string): boolean {
    if (trigger !== 'schedule' && trigger !== 'notification') return true;
    if (mailbox.calendarsListedAt === null) return true;
    return this.now().getTime() - Date.parse(mailbox.calendarsListedAt) >= LIST_CALENDARS_EVERY_MS;
  }

  /** Rule 6.2: the editable calendars of the mailbox, the default one enabled, the others as the employee chose. */
  private async syncCalendars(run: MailboxRun): Promise<void> {
    const listed = await run.source.listCalendars(run.mailbox.entraId);
    const plan = planCalendars(await run.store.calendars(run.mailbox.hrUserId), listed);
    if (plan.add.length + plan.change.length + plan.remove.length > 0)
      await run.store.applyCalendarPlan(run.mailbox.hrUserId, plan);
    // Only once the listing is in HR: a plan that failed is listed again at the next run.
    await run.store.markListed(run.mailbox.hrUserId);
    for (const calendarId of plan.remove) await run.cursors.forget(eventStreamName(calendarId));
    run.counts.calendarsAdded += plan.add.length;
    run.counts.calendarsRemoved += plan.remove.length;
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

function summary(counts: CalendarRunCounts): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 1000);
}

/**
 * The source with the pages a poll read already: a calendar view read from one of their cursors
 * starts with that page and reads on from the cursor it gave, so the page is not asked for twice.
 */
function withPrefetchedPages(
  source: CalendarSource,
  prefetched: ReadonlyMap<string, DeltaPage<CalendarViewEntry>>,
): CalendarSource {
  const pending = new Map(prefetched);
  return Object.assign(Object.create(source) as CalendarSource, {
    readCalendarView(mailboxId: string, calendarSourceId: string, cursor: string | null, window: SyncWindow) {
      const page = cursor === null ? undefined : pending.get(cursor);
      if (page === undefined) return source.readCalendarView(mailboxId, calendarSourceId, cursor, window);
      pending.delete(cursor!);
      return (async function* () {
        yield page;
        if (!page.done) yield* source.readCalendarView(mailboxId, calendarSourceId, page.cursor, window);
      })();
    },
  });
}
