/**
 * Graph's write quota for one app in one tenant: 3,000 write requests per 2 minutes 30 seconds
 * (https://learn.microsoft.com/graph/throttling-limits, identity and access service limits;
 * docs/graph.md §7.2). Every POST, PATCH, PUT and DELETE on an identity path costs one, also inside
 * a `$batch`.
 */
export const DIRECTORY_WRITE_QUOTA = { writes: 3000, windowMs: 150_000 } as const;

export interface DirectoryWritePacerOptions {
  writes: number;
  windowMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Paces directory writes to the write quota, as a token bucket like Graph's own: full at first,
 * refilled continuously at `writes / windowMs`. A caller waits for its share before sending, rather
 * than sending into 429s, which Graph counts against the quota all the same and so pushes every
 * later write further back (https://learn.microsoft.com/graph/throttling). Callers are served in
 * the order they asked.
 */
export class DirectoryWritePacer {
  private tokens: number;
  private updatedAt: number;
  private queue: Promise<void> = Promise.resolve();
  private readonly perMs: number;

  constructor(private readonly options: DirectoryWritePacerOptions) {
    this.tokens = options.writes;
    this.updatedAt = options.now();
    this.perMs = options.writes / options.windowMs;
  }

  /** Resolves once `count` writes may be sent, and counts them as sent. */
  take(count: number): Promise<void> {
    if (count <= 0) return Promise.resolve();
    const turn = this.queue.then(() => this.waitFor(count));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Graph throttled writes all the same (another app's writes, a restart that forgot what was
   * spent): nothing is left until the bucket refills.
   */
  spent(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  private async waitFor(count: number): Promise<void> {
    // A call larger than the bucket waits for a full bucket, never forever.
    const needed = Math.min(count, this.options.writes);
    for (;;) {
      this.refill();
      if (this.tokens >= needed) {
        this.tokens -= count;
        return;
      }
      await this.options.sleep(Math.ceil((needed - this.tokens) / this.perMs));
    }
  }

  private refill(): void {
    const now = this.options.now();
    this.tokens = Math.min(this.options.writes, this.tokens + Math.max(0, now - this.updatedAt) * this.perMs);
    this.updatedAt = now;
  }
}
