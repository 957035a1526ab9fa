import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import {
  chunk,
  correlateResponses,
  largestRetryAfterMs,
  toWireRequests,
  type GraphBatchRequest,
} from '../../../src/gateways/graph/graph-batch.plan.js';
import { GraphBatchWriter } from '../../../src/gateways/graph/graph-batch.writer.js';
import type { GraphRequestExecutor } from '../../../src/gateways/graph/graph-request.executor.js';

const get = (id: string): GraphBatchRequest => ({ id, method: 'GET', url: `/users/${id}` });

interface WireItem {
  id: string;
  method: string;
  url: string;
}

/** A fake Graph `$batch` endpoint: answers each call with `answer`, in reverse order. */
function fakeExecutor(
  answer: (item: WireItem, call: number) => { status: number; headers?: Record<string, string>; body?: unknown },
) {
  const calls: WireItem[][] = [];
  const executor = {
    async send(method: string, url: string, body: { requests: WireItem[] }) {
      expect([method, url]).toEqual(['POST', '/$batch']);
      expect(body.requests.length).toBeLessThanOrEqual(20);
      calls.push(body.requests);
      const call = calls.length;
      return {
        responses: body.requests.map((item) => ({ id: item.id, headers: {}, ...answer(item, call) })).reverse(),
      };
    },
  } as unknown as GraphRequestExecutor;
  return { executor, calls };
}

function writer(
  executor: GraphRequestExecutor,
  slept: number[],
  limits: { maxRetries?: number; maxTotalRetryWaitMs?: number } = {},
) {
  return new GraphBatchWriter(executor, {
    concurrency: 4,
    maxRetries: limits.maxRetries ?? 3,
    maxTotalRetryWaitMs: limits.maxTotalRetryWaitMs ?? 60_000,
    random: () => 0,
    sleep: async (ms) => void slept.push(ms),
    now: () => 0,
    logger: pino({ level: 'silent' }),
  });
}

describe('batch planning', () => {
  it('splits into chunks of 20', () => {
    const sizes = chunk(Array.from({ length: 45 }, (_, i) => i)).map((part) => part.length);
    expect(sizes).toEqual([20, 20, 5]);
    expect(chunk([])).toEqual([]);
  });

  it('numbers wire ids per call and adds a JSON content type to bodies', () => {
    const wire = toWireRequests([
      get('Alpha'),
      { id: 'b', method: 'PATCH', url: 'users/b', body: { jobTitle: 'CFO' } },
    ]);
    expect(wire).toEqual([
      { id: '1', method: 'GET', url: '/users/Alpha' },
      {
        id: '2',
        method: 'PATCH',
        url: '/users/b',
        headers: { 'Content-Type': 'application/json' },
        body: { jobTitle: 'CFO' },
      },
    ]);
  });

  it('correlates answers by id whatever their order, and maps item errors', () => {
    const sent = [get('a'), get('b'), get('c')];
    const results = correlateResponses(
      sent,
      {
        responses: [
          { id: '3', status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'gone' } } },
          { id: '1', status: 200, body: { id: 'a' } },
        ],
      },
      0,
    );
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['a', 200],
      ['b', 504],
      ['c', 404],
    ]);
    expect(results[0]?.error).toBeUndefined();
    expect(results[1]?.error?.kind).toBe('retryable');
    expect(results[2]?.error).toMatchObject({ kind: 'not-found', route: { method: 'GET', path: '/users/{id}' } });
  });

  it('finds the largest Retry-After among throttled items', () => {
    const results = correlateResponses(
      [get('a'), get('b'), get('c')],
      {
        responses: [
          { id: '1', status: 429, headers: { 'Retry-After': '7' } },
          { id: '2', status: 429, headers: { 'retry-after': '2.5' } },
          { id: '3', status: 503 },
        ],
      },
      0,
    );
    expect(largestRetryAfterMs(results, 0)).toBe(7000);
    expect(largestRetryAfterMs([], 0)).toBeUndefined();
  });
});

describe('GraphBatchWriter', () => {
  it('sends 45 requests as 3 calls and returns results in request order', async () => {
    const { executor, calls } = fakeExecutor(() => ({ status: 200, body: { ok: true } }));
    const requests = Array.from({ length: 45 }, (_, i) => get(`u${i}`));
    const results = await writer(executor, []).batch(requests);
    expect(calls.map((c) => c.length)).toEqual([20, 20, 5]);
    expect(results.map((r) => r.id)).toEqual(requests.map((r) => r.id));
    expect(results.every((r) => r.status === 200)).toBe(true);
  });

  it('retries only the throttled items, alone, after the largest Retry-After', async () => {
    const { executor, calls } = fakeExecutor((item, call) =>
      call === 1 && (item.url === '/users/b' || item.url === '/users/d')
        ? { status: 429, headers: { 'Retry-After': item.url === '/users/b' ? '3' : '1' } }
        : { status: 204 },
    );
    const slept: number[] = [];
    const results = await writer(executor, slept).batch(['a', 'b', 'c', 'd'].map(get));
    expect(calls).toHaveLength(2);
    expect(calls[1]?.map((item) => item.url)).toEqual(['/users/b', '/users/d']);
    expect(slept).toEqual([3000]);
    expect(results.map((r) => r.status)).toEqual([204, 204, 204, 204]);
  });

  it('gives up on items still throttled after maxRetries and reports them retryable', async () => {
    const { executor, calls } = fakeExecutor((item) =>
      item.url === '/users/b' ? { status: 429, headers: { 'Retry-After': '1' } } : { status: 200 },
    );
    const slept: number[] = [];
    const results = await writer(executor, slept, { maxRetries: 2 }).batch([get('a'), get('b')]);
    expect(calls).toHaveLength(3);
    expect(slept).toEqual([1000, 1000]);
    expect(results[0]?.status).toBe(200);
    expect(results[1]?.error).toMatchObject({ kind: 'retryable', status: 429 });
  });

  it('refuses duplicate ids', async () => {
    const { executor } = fakeExecutor(() => ({ status: 200 }));
    await expect(writer(executor, []).batch([get('a'), get('a')])).rejects.toMatchObject({
      kind: 'bad-request',
      code: 'DuplicateBatchId',
    });
  });
});
