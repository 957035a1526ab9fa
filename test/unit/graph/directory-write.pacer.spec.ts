import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { DIRECTORY_WRITE_QUOTA, DirectoryWritePacer } from '../../../src/gateways/graph/directory-write.pacer.js';
import { GraphBatchWriter } from '../../../src/gateways/graph/graph-batch.writer.js';
import type { GraphRequestExecutor } from '../../../src/gateways/graph/graph-request.executor.js';

/** A clock that only moves when the pacer sleeps, so each wait is exact. */
function clock() {
  const state = { now: 0, slept: [] as number[] };
  return {
    state,
    now: () => state.now,
    sleep: async (ms: number) => {
      state.slept.push(ms);
      state.now += ms;
    },
  };
}

describe('directory write pacer (Graph’s write quota, docs/graph.md §7.2)', () => {
  it('is Graph’s documented quota: 3,000 writes per 2 minutes 30 seconds', () => {
    expect(DIRECTORY_WRITE_QUOTA).toEqual({ writes: 3000, windowMs: 150_000 });
  });

  it('lets a full bucket go at once, then paces at writes per window (20 a second)', async () => {
    const c = clock();
    const pacer = new DirectoryWritePacer({ ...DIRECTORY_WRITE_QUOTA, now: c.now, sleep: c.sleep });
    for (let i = 0; i < 150; i++) await pacer.take(20);
    expect(c.state.now).toBe(0);
    await pacer.take(20);
    expect(c.state.now).toBe(1000);
    for (let i = 0; i < 9; i++) await pacer.take(20);
    // 10 more calls of 20 past the burst: 200 writes at 20 per second.
    expect(c.state.now).toBe(10_000);
  });

  it('serves callers in the order they asked and never lets more through than the rate', async () => {
    const c = clock();
    const pacer = new DirectoryWritePacer({ writes: 10, windowMs: 1000, now: c.now, sleep: c.sleep });
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((n) => pacer.take(5).then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3, 4]);
    // 20 writes with a bucket of 10 refilled at 10 per second: the last 10 wait one second.
    expect(c.state.now).toBe(1000);
  });

  it('after Graph throttled writes anyway, waits for the bucket to refill', async () => {
    const c = clock();
    const pacer = new DirectoryWritePacer({ writes: 10, windowMs: 1000, now: c.now, sleep: c.sleep });
    pacer.spent();
    await pacer.take(5);
    expect(c.state.now).toBe(500);
  });

  it('a call larger than the bucket waits for a full bucket, not forever', async () => {
    const c = clock();
    const pacer = new DirectoryWritePacer({ writes: 10, windowMs: 1000, now: c.now, sleep: c.sleep });
    await pacer.take(10);
    await pacer.take(25);
    expect(c.state.now).toBe(1000);
  });

  it('the $batch writer takes one share per write item of each call, reads free', async () => {
    const c = clock();
    const taken: number[] = [];
    const pacer = new DirectoryWritePacer({ writes: 1000, windowMs: 1000, now: c.now, sleep: c.sleep });
    const take = pacer.take.bind(pacer);
    pacer.take = (count: number) => {
      taken.push(count);
      return take(count);
    };
    const executor = {
      async send(_method: string, _url: string, body: { requests: Array<{ id: string }> }) {
        return { responses: body.requests.map((item) => ({ id: item.id, status: 204, headers: {} })) };
      },
    } as unknown as GraphRequestExecutor;
    const writer = new GraphBatchWriter(executor, {
      concurrency: 1,
      maxRetries: 3,
      maxTotalRetryWaitMs: 60_000,
      random: () => 0,
      sleep: c.sleep,
      now: c.now,
      logger: pino({ level: 'silent' }),
      writePacer: pacer,
    });
    const requests = [
      ...Array.from({ length: 25 }, (_, i) => ({
        id: `w${i}`,
        method: 'PATCH' as const,
        url: `/users/${i}`,
        body: {},
      })),
      ...Array.from({ length: 10 }, (_, i) => ({ id: `r${i}`, method: 'GET' as const, url: `/users/${i}` })),
    ];
    await writer.batch(requests);
    expect(taken).toEqual([20, 5]);
  });
});
