import { ConcurrencyLimiter } from './concurrency.limiter.js';

export interface MergeOptions {
  /** At most this many `next()` calls (Graph requests) in flight across all sources. */
  concurrency: number;
  /** At most this many pages read and not yet taken by the caller; a source waits for room. */
  buffer: number;
}

/**
 * Reads several paged sources at once and yields their pages one at a time, in the order they
 * arrive, so that one consumer stores them one after another. Memory stays bounded: the pages
 * waiting (`buffer`) plus those being read (`concurrency`). The first failure of any source ends
 * the iteration with that failure; stopping early stops the sources.
 */
export async function* mergePages<T>(
  sources: ReadonlyArray<() => AsyncIterable<T>>,
  options: MergeOptions,
): AsyncGenerator<T> {
  const limiter = new ConcurrencyLimiter(options.concurrency);
  const ready: T[] = [];
  const roomWaiters: Array<() => void> = [];
  let wakeConsumer: (() => void) | null = null;
  let running = sources.length;
  let stopped = false;
  let failure: { error: unknown } | null = null;
  const wake = () => {
    wakeConsumer?.();
    wakeConsumer = null;
  };
  // Every waiting source looks again (one may have ended instead of filling the room it was given).
  const freeRoom = () => {
    for (const resolve of roomWaiters.splice(0)) resolve();
  };
  const room = async () => {
    while (ready.length >= options.buffer && !stopped) await new Promise<void>((resolve) => roomWaiters.push(resolve));
  };
  const pump = async (source: () => AsyncIterable<T>) => {
    const iterator = source()[Symbol.asyncIterator]();
    try {
      for (;;) {
        await room();
        if (stopped) return;
        const next = await limiter.run(() => iterator.next());
        if (next.done || stopped) return;
        ready.push(next.value);
        wake();
      }
    } finally {
      if (stopped) await iterator.return?.().catch(() => undefined);
    }
  };
  for (const source of sources)
    void pump(source)
      .catch((error: unknown) => {
        failure ??= { error };
        stopped = true;
      })
      .finally(() => {
        running -= 1;
        wake();
      });
  try {
    for (;;) {
      if (failure) throw (failure as { error: unknown }).error;
      if (ready.length) {
        yield ready.shift()!;
        freeRoom();
        continue;
      }
      if (running === 0) return;
      await new Promise<void>((resolve) => (wakeConsumer = resolve));
    }
  } finally {
    stopped = true;
    freeRoom();
  }
}
