import type { ChangeEntry } from './store-types.js';

/**
 * Append-only change log with a monotonic sequence. Entries are stored densely, so finding the changes after
 * a token's sequence is an index computation and an incremental delta round costs O(changes), not O(tenant)
 * (a delta token stands for a point in the change stream,
 * https://learn.microsoft.com/graph/delta-query-overview).
 */
export class ChangeLog {
  private entries: ChangeEntry[] = [];
  private firstSeq: number;

  constructor(startAfterSeq = 0) {
    this.firstSeq = startAfterSeq + 1;
  }

  /** Sequence of the newest entry; a token holding it has seen everything so far. */
  get lastSeq(): number {
    return this.firstSeq + this.entries.length - 1;
  }

  append(entry: Omit<ChangeEntry, 'seq'>): number {
    const seq = this.lastSeq + 1;
    this.entries.push({ ...entry, seq });
    return seq;
  }

  /** Entries with fromExclusive < seq <= toInclusive, oldest first. */
  range(fromExclusive: number, toInclusive: number): ChangeEntry[] {
    const start = Math.max(0, fromExclusive + 1 - this.firstSeq);
    const end = Math.max(start, toInclusive + 1 - this.firstSeq);
    return this.entries.slice(start, end);
  }

  /** Whether entries after `seq` are still kept (older ones may have been dropped by a reset). */
  covers(seq: number): boolean {
    return seq + 1 >= this.firstSeq;
  }

  get length(): number {
    return this.entries.length;
  }
}
