import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import {
  NO_CURSOR,
  type DeltaPage,
  type StreamCursor,
  type StreamCursorStore,
} from '../../../../src/sync/kernel/channel-state.ports.js';
import { DeltaFetchStage, type DeltaStream } from '../../../../src/sync/kernel/delta-fetch.stage.js';
import { FailurePolicy } from '../../../../src/sync/kernel/error-policy.js';

const logger = pino({ level: 'silent' });

class CursorInvalid extends Error {}

/**
 * A source of delta rounds over a list of items, two per page. Its cursors name the host and the
 * position: `https://graph/next/4` continues a round at the 4th item, `https://graph/delta/6`
 * follows a round that ended with 6 items. Cursors it has revoked fail as Graph's stale tokens do.
 */
class FakeSource {
  items: string[] = ['a', 'b', 'c', 'd', 'e'];
  revoked = new Set<string>();
  reads: Array<string | null> = [];
  /** Pages read after this many fail (a lost connection in the middle of a round). */
  failAfterPages = Infinity;

  accepts(cursor: string): boolean {
    return cursor.startsWith('https://graph/');
  }
  async *read(cursor: string | null): AsyncIterable<DeltaPage<string>> {
    this.reads.push(cursor);
    if (cursor && this.revoked.has(cursor)) throw new CursorInvalid('resync required');
    let at = cursor ? Number(cursor.split('/').at(-1)) : 0;
    // A deltaLink: only what came after the round it follows.
    if (cursor?.includes('/delta/') && at >= this.items.length) {
      yield { items: [], cursor: `https://graph/delta/${at}`, done: true };
      return;
    }
    let pages = 0;
    while (at < this.items.length) {
      if (pages >= this.failAfterPages) throw new Error('connection reset');
      const items = this.items.slice(at, at + 2);
      at += items.length;
      pages += 1;
      const done = at >= this.items.length;
      yield { items, cursor: done ? `https://graph/delta/${at}` : `https://graph/next/${at}`, done };
    }
  }
}

/**
 * Storage as a database keeps it: each `store` is one transaction that writes the page's items and
 * its cursor together, or nothing when it fails.
 */
class FakeStorage implements StreamCursorStore {
  stored: string[] = [];
  cursors = new Map<string, StreamCursor>();
  round = 0;
  swept: number[] = [];
  /** Makes the store of a page holding this item fail. */
  failOn: string | null = null;

  stream(source: FakeSource): DeltaStream<string> {
    return {
      name: 'things',
      read: (cursor) => source.read(cursor),
      store: async (items, next) => {
        if (this.failOn && items.includes(this.failOn)) throw new Error(`cannot store ${this.failOn}`);
        this.stored.push(...items);
        this.cursors.set('things', next);
      },
      sweep: async (round) => {
        this.swept.push(round);
      },
    };
  }
  async cursor(stream: string): Promise<StreamCursor> {
    return this.cursors.get(stream) ?? NO_CURSOR;
  }
  async forget(stream: string): Promise<void> {
    this.cursors.delete(stream);
  }
  async startFullRound(): Promise<number> {
    this.round += 1;
    return this.round;
  }
}

function setup() {
  const source = new FakeSource();
  const storage = new FakeStorage();
  // The error policy decides what a refused cursor means; this classifier plays the Graph gateway's part.
  const failures = new FailurePolicy((error) => (error instanceof CursorInvalid ? 'cursor-invalid' : null));
  const stage = new DeltaFetchStage(storage, source, failures, logger);
  const fetch = (options: { full?: boolean; signal?: AbortSignal } = {}) =>
    stage.fetch(storage.stream(source), {
      full: options.full ?? false,
      progress: async () => {},
      signal: options.signal ?? new AbortController().signal,
    });
  return { source, storage, fetch };
}

describe('the delta fetch stage', () => {
  it('a delta cursor advances only after the changes it covers are stored', async () => {
    const { source, storage, fetch } = setup();
    storage.failOn = 'c';
    await expect(fetch()).rejects.toThrow('cannot store c');
    // The page of c and d was not stored, so the cursor still points at it, not past it.
    expect(storage.stored).toEqual(['a', 'b']);
    expect(storage.cursors.get('things')).toEqual({ cursor: 'https://graph/next/2', inRound: true, fullRound: 1 });

    storage.failOn = null;
    const again = await fetch();
    expect(source.reads.at(-1)).toBe('https://graph/next/2');
    expect(storage.stored).toEqual(['a', 'b', 'c', 'd', 'e']);
    // The resumed round is still the full round it was: it ends by sweeping what it did not see.
    expect(again).toEqual({ full: true, pages: 2 });
    expect(storage.swept).toEqual([1]);
    expect(storage.cursors.get('things')).toEqual({ cursor: 'https://graph/delta/5', inRound: false, fullRound: 1 });
  });

  it('a round that breaks off keeps the cursor of the last page stored, and the next run resumes there', async () => {
    const { source, storage, fetch } = setup();
    source.failAfterPages = 2;
    await expect(fetch()).rejects.toThrow('connection reset');
    expect(storage.stored).toEqual(['a', 'b', 'c', 'd']);
    expect(storage.cursors.get('things')?.cursor).toBe('https://graph/next/4');
    source.failAfterPages = Infinity;
    await fetch();
    expect(source.reads.at(-1)).toBe('https://graph/next/4');
    expect(storage.stored).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('a stopped run stores no page after the stop, and its cursor stays with what is stored', async () => {
    const { storage, fetch } = setup();
    const stop = new AbortController();
    stop.abort();
    await expect(fetch({ signal: stop.signal })).rejects.toThrow('stopped');
    expect(storage.stored).toEqual([]);
    expect(storage.cursors.has('things')).toBe(false);
  });

  it('continues from a stored deltaLink with an incremental round', async () => {
    const { source, storage, fetch } = setup();
    await fetch();
    source.items.push('f');
    const result = await fetch();
    expect(source.reads.at(-1)).toBe('https://graph/delta/5');
    expect(result).toEqual({ full: false, pages: 1 });
    expect(storage.stored.at(-1)).toBe('f');
    expect(storage.swept).toEqual([1]);
    expect(storage.cursors.get('things')).toEqual({ cursor: 'https://graph/delta/6', inRound: false, fullRound: null });
  });

  it('on an invalid cursor, a full resync: the cursor is forgotten, every item read again, the unseen swept', async () => {
    const { source, storage, fetch } = setup();
    await fetch();
    source.revoked.add('https://graph/delta/5');
    const result = await fetch();
    expect(source.reads.slice(-2)).toEqual(['https://graph/delta/5', null]);
    expect(result).toEqual({ full: true, pages: 3 });
    expect(storage.swept).toEqual([1, 2]);
    expect(storage.cursors.get('things')).toEqual({ cursor: 'https://graph/delta/5', inRound: false, fullRound: 2 });
  });

  it('a cursor the source did not make (another host) starts a full round without being sent', async () => {
    const { source, storage, fetch } = setup();
    storage.cursors.set('things', { cursor: 'https://other-cloud/delta/5', inRound: false, fullRound: null });
    const result = await fetch();
    expect(source.reads).toEqual([null]);
    expect(result.full).toBe(true);
  });

  it('a full run starts a full round from a deltaLink, but continues a full round already under way', async () => {
    const { source, storage, fetch } = setup();
    await fetch();
    await fetch({ full: true });
    expect(source.reads.at(-1)).toBeNull();
    expect(storage.round).toBe(2);

    source.failAfterPages = 1;
    await expect(fetch({ full: true })).rejects.toThrow('connection reset');
    source.failAfterPages = Infinity;
    const resumed = await fetch({ full: true });
    // The round numbered 3 goes on from its nextLink rather than starting a 4th.
    expect(source.reads.at(-1)).toBe('https://graph/next/2');
    expect(storage.round).toBe(3);
    expect(resumed.full).toBe(true);
    expect(storage.swept.at(-1)).toBe(3);
  });
});
