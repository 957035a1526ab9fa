import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  collect,
  gatewayOptions,
  recordingSleep,
  startTrustedEmulator,
  type RunningEmulator,
  openGateways,
} from './graph-emulator.harness.js';

const USERS = 60;
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTrustedEmulator({ seed: { users: USERS, seed: 11 }, quota: false });
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(async () => {
  await emulator.control.clearFaults();
  await emulator.control.resetStats();
});

function gatewayWithRecordedSleep(limits: { maxRetries?: number; maxTotalRetryWaitMs?: number } = {}) {
  const { sleep, slept } = recordingSleep();
  return { gateway: openGateways(gatewayOptions(emulator, { sleep, ...limits })), slept };
}

describe('throttling', () => {
  it('rides out a 429 storm honouring Retry-After within the total wait bound', async () => {
    const { gateway, slept } = gatewayWithRecordedSleep({ maxRetries: 5, maxTotalRetryWaitMs: 120_000 });
    await emulator.control.addFault({ kind: 'throttle', path: '/users', count: 4, retryAfterSeconds: 25 });
    const users = (await collect(gateway.users.listUsers(['displayName'], { top: 999 }))).flat();
    expect(users).toHaveLength(USERS);
    expect(slept).toEqual([25_000, 25_000, 25_000, 25_000]);
    expect((await emulator.control.stats()).byStatus['429']).toBe(4);
  });

  it('fails cleanly with a retryable error when the storm outlasts the bound, without sleeping past it', async () => {
    const { gateway, slept } = gatewayWithRecordedSleep({ maxRetries: 10, maxTotalRetryWaitMs: 60_000 });
    await emulator.control.addFault({ kind: 'throttle', path: '/users', count: 10, retryAfterSeconds: 25 });
    const error = await collect(gateway.users.listUsers(['displayName'])).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'retryable', status: 429, code: 'TooManyRequests', retryAfterMs: 25_000 });
    expect(slept).toEqual([25_000, 25_000]);
    expect(slept.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(60_000);
  });

  it('retries 503 from a delta page', async () => {
    const { gateway, slept } = gatewayWithRecordedSleep();
    await emulator.control.addFault({ kind: 'unavailable', path: '/users/delta', count: 1, retryAfterSeconds: 0.5 });
    let users = 0;
    for await (const page of gateway.directory.readUsersDelta(null, ['displayName'])) users += page.users.length;
    expect(users).toBe(USERS);
    expect(slept).toEqual([500]);
  });
});

describe('dropped connections', () => {
  it('retries a page whose connection dropped mid-body, losing and duplicating nothing', async () => {
    const { gateway } = gatewayWithRecordedSleep();
    const pages = gateway.users.listUsers(['displayName'], { top: 10 });
    const ids: string[] = [];
    const first = await pages.next();
    if (first.done) throw new Error('expected a first page');
    ids.push(...first.value.map((user) => user.id));
    // The next request for a page is answered with headers and half its body, then the socket dies.
    await emulator.control.addFault({ kind: 'drop', path: '/users', count: 1 });
    for await (const page of pages) ids.push(...page.map((user) => user.id));
    expect(ids).toHaveLength(USERS);
    expect(new Set(ids).size).toBe(USERS);
    expect(await emulator.control.listFaults()).toEqual([]);
    expect((await emulator.control.stats()).byRoute['GET /users']).toBe(USERS / 10 + 1);
  });
});

describe('$batch', () => {
  it('retries a throttled item alone after its Retry-After and correlates every answer', async () => {
    const { gateway, slept } = gatewayWithRecordedSleep();
    const users = (await collect(gateway.users.listUsers([], { top: 30 })))[0]!;
    const target = users[7]!.id;
    await emulator.control.addFault({ kind: 'throttle', path: `/users/${target}`, count: 1, retryAfterSeconds: 3 });
    await emulator.control.resetStats();
    const results = await gateway.writes.batch(
      users.map((user) => ({
        id: `get-${user.id}`,
        method: 'GET' as const,
        url: `/users/${user.id}?$select=id,displayName`,
      })),
    );
    expect(results.map((result) => result.id)).toEqual(users.map((user) => `get-${user.id}`));
    expect(
      results.every((result) => result.status === 200 && (result.body as { id: string }).id === result.id.slice(4)),
    ).toBe(true);
    expect(slept).toEqual([3000]);
    const stats = await emulator.control.stats();
    // 30 items in 2 calls, then the one throttled item alone in a third call.
    expect(stats.byRoute['POST /$batch']).toBe(3);
    expect(stats.byStatus['429']).toBe(1);
  });

  it('returns per-item classified errors', async () => {
    const { gateway } = gatewayWithRecordedSleep();
    const [user] = (await collect(gateway.users.listUsers([], { top: 1 })))[0]!;
    const results = await gateway.writes.batch([
      { id: 'ok', method: 'GET', url: `/users/${user!.id}?$select=id` },
      { id: 'missing', method: 'GET', url: '/users/00000000-0000-4000-8000-0000000000aa' },
      { id: 'patch', method: 'PATCH', url: `/users/${user!.id}`, body: { jobTitle: 'Batch Tester' } },
    ]);
    expect(results.map((result) => [result.id, result.status, result.error?.kind])).toEqual([
      ['ok', 200, undefined],
      ['missing', 404, 'not-found'],
      ['patch', 204, undefined],
    ]);
    expect((await gateway.users.getUser(user!.id, ['jobTitle'])).properties.jobTitle).toBe('Batch Tester');
  });
});
