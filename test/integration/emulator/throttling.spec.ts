import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { GraphCaller, startTrusted } from './emulator-harness.js';
import type { RunningEmulator } from './emulator-harness.js';

describe('throttling, faults and stats (docs/graph.md §7)', () => {
  let emulator: RunningEmulator;
  let graph: GraphCaller;
  let clock = Date.UTC(2025, 3, 1);

  beforeAll(async () => {
    emulator = await startTrusted({ seed: { users: 20 }, now: () => clock });
    graph = await GraphCaller.create(emulator);
  });
  afterAll(() => emulator.close());

  it('charges resource units per request in x-ms-resource-unit', async () => {
    const group = (await emulator.control.findGroup('All Staff'))?.id as string;
    const cost = async (path: string): Promise<number> =>
      Number((await graph.get(path)).headers.get('x-ms-resource-unit'));
    expect(await cost('/users?$select=id,mail&$top=999')).toBe(1);
    expect(await cost(`/groups/${group}/members?$top=999`)).toBe(3);
    expect(await cost(`/groups/${group}/transitiveMembers?$top=999`)).toBe(5);
  });

  it('answers 429 with fractional Retry-After and the throttle headers once the RU bucket is empty', async () => {
    await emulator.control.setQuota(true);
    const group = (await emulator.control.findGroup('All Staff'))?.id as string;
    const items = Array.from({ length: 20 }, (_, i) => ({
      id: String(i),
      method: 'GET',
      url: `/groups/${group}/transitiveMembers?$top=999`,
    }));
    let throttledItems = 0;
    for (let i = 0; i < 36 && throttledItems === 0; i++) {
      const reply = await graph.send('POST', '/$batch', { requests: items });
      throttledItems = (reply.body.responses as { status: number }[]).filter((r) => r.status === 429).length;
    }
    expect(throttledItems).toBeGreaterThan(0);
    const reply = await graph.get('/users?$top=1');
    expect(reply.status).toBe(429);
    expect(reply.body.error.code).toBe('TooManyRequests');
    const retryAfter = Number(reply.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(reply.headers.get('x-ms-throttle-scope')).toMatch(
      /^Tenant_Application\/(ReadWrite|Read|Write)\/demo-client-id\//,
    );
    expect(reply.headers.get('x-ms-throttle-information')).toBeTruthy();
    clock += Math.ceil(retryAfter * 1000) + 10_000;
    expect((await graph.get('/users?$top=1')).status).toBe(200);
    await emulator.control.setQuota(false);
  });

  it('throttles the next N matching requests with the chosen Retry-After, then recovers', async () => {
    await emulator.control.addFault({
      kind: 'throttle',
      method: 'GET',
      path: '/users',
      count: 2,
      retryAfterSeconds: 0.25,
    });
    const first = await graph.get('/users?$top=1');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('0.25');
    expect((await graph.get('/groups?$top=1')).status).toBe(200);
    expect((await graph.get('/users/$count', { ConsistencyLevel: 'eventual' })).status).toBe(429);
    expect((await graph.get('/users?$top=1')).status).toBe(200);
  });

  it('answers 503 for an unavailable fault', async () => {
    await emulator.control.addFault({ kind: 'unavailable', path: '/groups', count: 1, retryAfterSeconds: 1 });
    const reply = await graph.get('/groups');
    expect(reply.status).toBe(503);
    expect(reply.headers.get('retry-after')).toBe('1');
    expect((await graph.get('/groups')).status).toBe(200);
  });

  it('drops the connection mid-response for a drop fault', async () => {
    await emulator.control.addFault({ kind: 'drop', path: '/users', count: 1 });
    await expect(graph.get('/users?$top=5')).rejects.toThrow();
    expect((await graph.get('/users?$top=5')).status).toBe(200);
  });

  it('adds latency to matching requests', async () => {
    // A latency far above any answer time on a busy machine, so the unmatched path cannot reach it.
    await emulator.control.setLatency([{ ms: 1500, path: '/groups' }]);
    let started = performance.now();
    await graph.get('/groups?$top=1');
    expect(performance.now() - started).toBeGreaterThanOrEqual(1490);
    started = performance.now();
    await graph.get('/users?$top=1');
    expect(performance.now() - started).toBeLessThan(1490);
    await emulator.control.setLatency(0);
  });

  it('counts requests per route', async () => {
    await emulator.control.resetStats();
    await graph.get('/users?$top=1');
    await graph.get('/users?$top=2');
    const stats = await emulator.control.stats();
    expect(stats.total).toBe(2);
    expect(stats.byRoute['GET /users']).toBe(2);
    expect(stats.byStatus['200']).toBe(2);
  });
});
