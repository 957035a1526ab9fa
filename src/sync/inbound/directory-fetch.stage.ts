import type { Logger } from 'pino';
import type { FailurePolicy } from '../kernel/error-policy.js';
import type { DeltaPage, DeltaStream, DirectoryMirror, DirectoryReader, StoredCursor } from './inbound-sync.ports.js';
import { readAhead } from './read-ahead.js';

export interface FetchProgress {
  (stream: DeltaStream, pages: number): Promise<void>;
}

/**
 * Stage 1 of a run: Graph's delta rounds into the mirror. A cursor is stored with the page it
 * follows, so a killed run resumes where it stopped. A cursor Graph no longer accepts starts a
 * full round, which ends by marking whatever it did not see as gone (the error policy says which
 * failures mean that: src/sync/kernel/error-policy.ts).
 */
export class DirectoryFetchStage {
  constructor(
    private readonly directory: DirectoryReader,
    private readonly mirror: DirectoryMirror,
    private readonly failures: FailurePolicy,
    private readonly logger: Logger,
  ) {}

  async fetch(
    stream: DeltaStream,
    options: { full: boolean; properties: readonly string[]; progress: FetchProgress; signal: AbortSignal },
  ): Promise<{ full: boolean; pages: number }> {
    let stored = await this.mirror.cursor(stream);
    if (stored.cursor !== null && !this.directory.accepts(stored.cursor)) {
      this.logger.warn({ stream }, 'the stored delta cursor belongs to another Graph host: starting a full round');
      await this.mirror.forgetCursor(stream);
      stored = { cursor: null, inRound: false, fullRound: null };
    }
    const resumingFull = stored.inRound && stored.fullRound !== null;
    const startFull = stored.cursor === null || (options.full && !resumingFull);
    try {
      return await this.round(stream, startFull ? null : stored, options);
    } catch (error) {
      if (this.failures.decide(error, 'stream').action !== 'restart-full') throw error;
      this.logger.warn({ stream }, 'Graph refused the stored delta cursor: starting a full round');
      await this.mirror.forgetCursor(stream);
      return this.round(stream, null, options);
    }
  }

  private async round(
    stream: DeltaStream,
    from: StoredCursor | null,
    options: { properties: readonly string[]; progress: FetchProgress; signal: AbortSignal },
  ) {
    // A stored cursor continues its round: a full one only when it was saved in the middle of one.
    const fullRound = from ? (from.inRound ? from.fullRound : null) : await this.mirror.startFullRound();
    const cursor = from?.cursor ?? null;
    const pages =
      stream === 'users'
        ? await this.storePages(
            stream,
            this.directory.userChanges(cursor, options.properties),
            (items, next) => this.mirror.storeUsers(items, next),
            fullRound,
            options,
          )
        : await this.storePages(
            stream,
            this.directory.groupChanges(cursor),
            (items, next) => this.mirror.storeGroups(items, next),
            fullRound,
            options,
          );
    if (fullRound !== null) await this.mirror.finishFullRound(stream, fullRound);
    return { full: fullRound !== null, pages };
  }

  /** Stores each page with the cursor that follows it, reading the next page meanwhile. */
  private async storePages<T>(
    stream: DeltaStream,
    source: AsyncIterable<DeltaPage<T>>,
    store: (items: T[], next: StoredCursor) => Promise<void>,
    fullRound: number | null,
    options: { progress: FetchProgress; signal: AbortSignal },
  ): Promise<number> {
    let pages = 0;
    for await (const page of readAhead(source)) {
      if (options.signal.aborted) throw new Error('the sync was stopped before the round ended');
      // The round number goes with every page, the last included: it marks what the round saw.
      await store(page.items, { cursor: page.cursor, inRound: !page.done, fullRound });
      pages += 1;
      await options.progress(stream, pages);
    }
    return pages;
  }
}
