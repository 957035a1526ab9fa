import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MailboxLimits } from '../../../src/emulator/throttle/mailbox-limits.js';
import { GraphCaller, startTrusted, type RunningEmulator } from './emulator-harness.js';

/** Outlook's per-mailbox limits (https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits). */
describe("Outlook's limits per mailbox in the emulator", () => {
  let emulator: RunningEmulator;
  let graph: GraphCaller;
  let ada: string;
  let bob: string;

  beforeAll(async () => {
    emulator = await startTrusted({ seed: false, quota: true });
    graph = await GraphCaller.create(emulator);
    const person = async (name: string) =>
      (
        await emulator.control.createUser({
          displayName: name,
          mail: `${name}@contoso.com`,
          userPrincipalName: `${name}@contoso.com`,
        })
      ).id;
    ada = await person('ada');
    bob = await person('bob');
  });
  afterAll(() => emulator.close());

  it('answers a fifth concurrent request to one mailbox 429 ApplicationThrottled with Retry-After; another mailbox is not held back', async () => {
    await emulator.control.setLatency([{ ms: 300, pathRegex: '/calendars$' }]);
    const replies = await Promise.all([
      ...Array.from({ length: 6 }, () => graph.get(`/users/${ada}/calendars`)),
      graph.get(`/users/${bob}/calendars`),
    ]);
    const statuses = replies.map((r) => r.status);
    expect(statuses.slice(0, 6).filter((s) => s === 200)).toHaveLength(4);
    const throttled = replies.find((r) => r.status === 429)!;
    expect(throttled.body.error).toEqual({
      code: 'ApplicationThrottled',
      message: 'Application is over its MailboxConcurrency limit.',
    });
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(statuses[6]).toBe(200);
    await emulator.control.clearFaults();
    expect((await graph.get(`/users/${ada}/calendars`)).status).toBe(200);
  });

  it('allows 10,000 requests per mailbox in 10 minutes, then says when the next one may go', () => {
    let clock = 0;
    const limits = new MailboxLimits(
      () => true,
      () => clock,
    );
    for (let i = 0; i < 10_000; i++) {
      const gate = limits.enter('ada');
      expect(gate.ok).toBe(true);
      if (gate.ok) gate.release();
      clock += 10;
    }
    const refused = limits.enter('ada');
    expect(refused).toMatchObject({ ok: false, retryAfterSeconds: 500 });
    expect(limits.enter('bob').ok).toBe(true);
    clock = 600_001;
    expect(limits.enter('ada').ok).toBe(true);
  });
});
