import type { Logger } from 'pino';
import { NO_CURSOR, type DeltaPage, type StreamCursor, type StreamCursorStore } from './channel-state.ports.js';
import type { FailurePolicy } from './error-policy.js';
import { readAhead } from './read-ahead.js';

/**
 * One delta stream of a channel: how to read its pages from a cursor, how to store a page (with
 * the cursor that follows it, in one transaction), and what a full round does at its end. Users
 * and groups of the directory are two; a mailbox's calendars and its events will be two more.
 */
export interface DeltaStream<T> {
  readonly name: string;
  /** Pages of changes from `cursor`; from the start (a full round) when null. */
  read(cursor: string | null): AsyncIterable<DeltaPage<T>>;
  /** Stores a page and, in the same transaction, `next`: the cursor is never ahead of what is stored. */
  store(items: T[], next: StreamCursor): Promise<void>;
  /** After a full round: whatever the round did not see is gone (a fresh round reports no deletions). */
  sweep(round: number): Promise<void>;
}

/** What the source of the streams says about its cursors (Microsoft Graph's delta query). */
export interface DeltaSource {
  /** Whether a stored cursor was made by this source (the connection may have moved since). */
  accepts(cursor: string): boolean;
}

export interface FetchOptions {
  /** Start a full round even from a stored deltaLink (a full round already in progress continues). */
  full: boolean;
  /** Called after each stored page. */
  progress: (stream: string, pages: number) => Promise<void>;
  signal: AbortSignal;
}

/**
 * The fetch stage of any channel: a stream's delta rounds into storage. A cursor is stored with the
 * page it follows, so a killed run resumes where it stopped; a cursor the source no longer accepts
 * (or did not make) starts a full round, which ends by sweeping whatever it did not see
 * (https://learn.microsoft.com/graph/delta-query-overview#synchronization-reset). Which failures
 * mean that the cursor is refused, the error policy says (error-policy.ts).
 */
export class DeltaFetchStage {
  constructor(
    private readonly cursors: StreamCursorStore,
    private readonly source: DeltaSource,
    private readonly failures: FailurePolicy,
    private readonly logger: Logger,
  ) {}

  async fetch<T>(stream: DeltaStream<T>, options: FetchOptions): Promise<{ full: boolean; pages: number }> {
    let stored = await this.cursors.cursor(stream.name);
    if (stored.cursor !== null && !this.source.accepts(stored.cursor)) {
      this.logger.warn(
        { stream: stream.name },
        'the stored delta cursor belongs to another host: starting a full round',
      );
      await this.cursors.forget(stream.name);
      stored = NO_CURSOR;
    }
    const resumingFull = stored.inRound && stored.fullRound !== null;
    const startFull = stored.cursor === null || (options.full && !resumingFull);
    try {
      return await this.round(stream, startFull ? null : stored, options);
    } catch (error) {
      if (this.failures.decide(error, 'stream').action !== 'restart-full') throw error;
      this.logger.warn({ stream: stream.name }, 'the source refused the stored delta cursor: starting a full round');
      await this.cursors.forget(stream.name);
      return this.round(stream, null, options);
    }
  }

  private async round<T>(stream: DeltaStream<T>, from: StreamCursor | null, options: FetchOptions) {
    // A stored cursor continues its round: a full one only when it was saved in the middle of one.
    const fullRound = from ? (from.inRound ? from.fullRound : null) : await this.cursors.startFullRound();
    let pages = 0;
    // The next page is read while this one is stored.
    for await (const page of readAhead(stream.read(from?.cursor ?? null))) {
      if (options.signal.aborted) throw new Error('the sync was stopped before the round ended');
      // The round number goes with every page, the last included: it marks what the round saw.
      await stream.store(page.items, { cursor: page.cursor, inRound: !page.done, fullRound });
      pages += 1;
      await options.progress(stream.name, pages);
    }
    if (fullRound !== null) await stream.sweep(fullRound);
    return { full: fullRound !== null, pages };
  }
}
