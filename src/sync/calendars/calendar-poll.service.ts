import type { Logger } from 'pino';
import { syncWindow } from '../../domain/sync-window.js';
import { mapWithConcurrency } from '../../gateways/graph/concurrency.limiter.js';
import { calendarChannelId } from '../kernel/channel-id.js';
import type { DeltaPage } from '../kernel/channel-state.ports.js';
import type {
  CalendarPollStore,
  CalendarSource,
  CalendarViewEntry,
  PollCandidate,
  PolledMailbox,
  StoredEvent,
} from './calendar-sync.ports.js';
import {
  LIST_CALENDARS_EVERY_MS,
  zeroCounts,
  type CalendarRunOptions,
  type CalendarRunOutcome,
} from './calendar-sync.service.js';
import { createdByHr } from './event-fetch.stage.js';
import { planEventPage, sourceIdOf } from './event-page.planner.js';

export interface CalendarPollDeps {
  store: () => CalendarPollStore;
  /** Null while no Entra connection exists. */
  source: () => CalendarSource | null;
  /** One mailbox's run (CalendarSyncService.run). */
  run: (hrUserId: string, options: CalendarRunOptions) => Promise<CalendarRunOutcome>;
  /** Whether the mailboxes keep Graph subscriptions, and how long before expiry one is renewed. */
  subscriptions: () => { renewBeforeMs: number } | 'none';
  /** Mailbox runs at once (each sends one request at a time, docs/graph.md §7.1a). */
  concurrency: number;
  logger: Logger;
  now?: () => Date;
}

export interface PollOutcome {
  /** Mailboxes settled by the poll itself: their pages stored and cursors moved on, no run of their own. */
  settled: number;
  /** Of those, the ones whose pages changed HR's events. */
  changed: number;
  /** Mailboxes that had a run of their own. */
  ran: number;
  /** Mailboxes no longer to sync (inactive, unlinked, switched off). */
  skipped: number;
  failed: number;
  busy: number;
  /** Left when the job was stopped (a shutdown): the next poll takes them. */
  stopped: number;
}

/**
 * A scheduled poll of many mailboxes (docs/rules.md §6.10). A mailbox that needs nothing but its
 * enabled calendars' delta cursors is read in sets: every such cursor is read in `$batch` calls of
 * 20 (CalendarSource.readViewPages). A mailbox whose every page is final and speaks only of
 * Microsoft 365's own events is settled with the set: the pages' changes, new cursors and a run
 * record for every such mailbox in one transaction of a few statements, so a poll after a few
 * changes everywhere costs what a quiet one does. Every other mailbox (a first read, calendars to
 * list, HR events to push or to compare, a subscription to renew, more pages to read) has its run,
 * which starts from the pages already read.
 */
export class CalendarPollService {
  constructor(private readonly deps: CalendarPollDeps) {}

  async poll(hrUserIds: readonly string[], options: { signal: AbortSignal }): Promise<PollOutcome> {
    const now = this.deps.now?.() ?? new Date();
    const startedAt = now;
    const store = this.deps.store();
    const source = this.deps.source();
    const subscriptions = this.deps.subscriptions();
    const candidates =
      source === null
        ? []
        : await store.pollCandidates(hrUserIds, {
            windowStart: syncWindow(now).start,
            listedSince: new Date(now.getTime() - LIST_CALENDARS_EVERY_MS).toISOString(),
            subscriptions:
              subscriptions === 'none'
                ? 'none'
                : { renewBefore: `${Math.round(subscriptions.renewBeforeMs / 1000)} seconds` },
          });
    const cursors = candidates.flatMap((c) => c.streams.map((s) => s.cursor));
    const pages = source === null || cursors.length === 0 ? [] : await source.readViewPages(cursors);
    const pageOf = new Map<string, DeltaPage<CalendarViewEntry> | null>(cursors.map((c, i) => [c, pages[i] ?? null]));
    const read = candidates.map((candidate) => {
      const streams = candidate.streams.map((s) => ({ ...s, page: pageOf.get(s.cursor) ?? null }));
      return { candidate, streams, final: streams.every((s) => s.page !== null && s.page.done) };
    });
    const stored = await store.storedEventsIn(
      read.flatMap((r) =>
        r.final
          ? r.streams.flatMap((s) =>
              s.page!.items.map((item) => ({ calendarId: s.calendarId, sourceId: sourceIdOf(item) })),
            )
          : [],
      ),
    );
    const storedIn = new Map<string, StoredEvent[]>();
    for (const event of stored) {
      const held = storedIn.get(event.calendarId);
      if (held) held.push(event);
      else storedIn.set(event.calendarId, [event]);
    }

    const settle: PolledMailbox[] = [];
    const prefetched = new Map<string, Map<string, DeltaPage<CalendarViewEntry>>>();
    for (const mailbox of read) {
      const polled = mailbox.final ? settleable(mailbox.candidate, mailbox.streams, storedIn) : null;
      if (polled) settle.push(polled);
      else
        prefetched.set(
          mailbox.candidate.hrUserId,
          new Map(mailbox.streams.flatMap((s) => (s.page === null ? [] : [[s.cursor, s.page] as const]))),
        );
    }
    const settled = new Set(await store.settlePolled(settle, { trigger: 'schedule', startedAt }));
    // Settled ones are done: saved, or (their cursors moved since the read) read by a run of their own meanwhile.
    const checked = new Set(settle.map((q) => q.hrUserId));
    const toRun = hrUserIds.filter((id) => !checked.has(id));
    const outcomes = await mapWithConcurrency(toRun, this.deps.concurrency, async (hrUserId) => {
      if (options.signal.aborted) return 'stopped';
      try {
        const page = prefetched.get(hrUserId);
        return (
          await this.deps.run(hrUserId, {
            trigger: 'schedule',
            signal: options.signal,
            ...(page && page.size > 0 ? { prefetched: page } : {}),
          })
        ).status;
      } catch (error) {
        this.deps.logger.warn({ err: error, hrUserId }, 'a mailbox of the calendar poll could not be run');
        return 'failed';
      }
    });
    return {
      settled: settled.size,
      changed: settle.filter((m) => settled.has(m.hrUserId) && m.counts.eventsStored + m.counts.eventsRemoved > 0)
        .length,
      ran: outcomes.filter((o) => o === 'succeeded').length,
      skipped: outcomes.filter((o) => o === 'skipped').length,
      failed: outcomes.filter((o) => o === 'failed').length,
      busy: outcomes.filter((o) => o === 'busy').length,
      stopped: outcomes.filter((o) => o === 'stopped').length,
    };
  }
}

/**
 * What the poll stores for a mailbox whose pages are all final, or null when one of them speaks of
 * an HR event (rule 6.7: the run's conflict rule, history and adoption decide those).
 */
function settleable(
  candidate: PollCandidate,
  streams: ReadonlyArray<{
    stream: string;
    calendarId: string;
    cursor: string;
    page: DeltaPage<CalendarViewEntry> | null;
  }>,
  storedIn: ReadonlyMap<string, StoredEvent[]>,
): PolledMailbox | null {
  if (streams.some((s) => s.page!.items.some(createdByHr))) return null;
  const plans = streams.map((s) =>
    planEventPage(s.page!.items, storedIn.get(s.calendarId) ?? [], {
      showPrivateDetails: candidate.showPrivateDetails,
    }),
  );
  if (plans.some((p) => p.hrEntries.length > 0)) return null;
  return {
    hrUserId: candidate.hrUserId,
    counts: {
      ...zeroCounts(),
      eventsStored: plans.reduce((n, p) => n + p.upserts.length, 0),
      eventsRemoved: plans.reduce((n, p) => n + p.removed.length, 0),
    },
    streams: streams.map((s, i) => ({
      channel: calendarChannelId(candidate.entraId),
      stream: s.stream,
      calendarId: s.calendarId,
      from: s.cursor,
      to: s.page!.cursor,
      upserts: plans[i]!.upserts,
      removed: plans[i]!.removed,
    })),
  };
}
