import type { Logger } from 'pino';
import { syncWindow } from '../../domain/sync-window.js';
import { mapWithConcurrency } from '../../gateways/graph/concurrency.limiter.js';
import { calendarChannelId } from '../kernel/channel-id.js';
import type { DeltaPage } from '../kernel/channel-state.ports.js';
import type { CalendarPollStore, CalendarSource, CalendarViewEntry, QuietStream } from './calendar-sync.ports.js';
import {
  LIST_CALENDARS_EVERY_MS,
  zeroCounts,
  type CalendarRunOptions,
  type CalendarRunOutcome,
} from './calendar-sync.service.js';

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
  /** Mailboxes whose every enabled calendar Graph said was unchanged: their cursors moved on, no run. */
  quiet: number;
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
 * enabled calendars' delta cursors is checked in sets: every such cursor is read in `$batch` calls
 * of 20 (CalendarSource.readViewPages), and a mailbox whose every page is empty and final has its
 * new cursors saved and a run recorded, in a few statements for the whole set. Every other mailbox
 * (a first read, calendars to list, HR events to push, a subscription to renew, a change in any of
 * its pages) has its run, which starts from the pages already read.
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
        : await store.quietCandidates(hrUserIds, {
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

    const quiet: Array<{ hrUserId: string; streams: QuietStream[] }> = [];
    const prefetched = new Map<string, Map<string, DeltaPage<CalendarViewEntry>>>();
    for (const candidate of candidates) {
      const read = candidate.streams.map((s) => ({ ...s, page: pageOf.get(s.cursor) ?? null }));
      if (read.every((r) => r.page !== null && r.page.done && r.page.items.length === 0))
        quiet.push({
          hrUserId: candidate.hrUserId,
          streams: read.map((r) => ({
            channel: calendarChannelId(candidate.entraId),
            stream: r.stream,
            from: r.cursor,
            to: r.page!.cursor,
          })),
        });
      else
        prefetched.set(
          candidate.hrUserId,
          new Map(read.flatMap((r) => (r.page === null ? [] : [[r.cursor, r.page] as const]))),
        );
    }
    const settled = new Set(await store.settleQuiet(quiet, { trigger: 'schedule', startedAt, counts: zeroCounts() }));
    // Quiet ones are done: saved, or (their cursors moved since the read) read by a run of their own meanwhile.
    const checked = new Set(quiet.map((q) => q.hrUserId));
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
      quiet: settled.size,
      ran: outcomes.filter((o) => o === 'succeeded').length,
      skipped: outcomes.filter((o) => o === 'skipped').length,
      failed: outcomes.filter((o) => o === 'failed').length,
      busy: outcomes.filter((o) => o === 'busy').length,
      stopped: outcomes.filter((o) => o === 'stopped').length,
    };
  }
}
