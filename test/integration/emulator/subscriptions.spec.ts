import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GraphCaller, startTrusted, type RunningEmulator } from './emulator-harness.js';

/** A webhook receiver: answers validation as told, records every notification batch. */
class Receiver {
  readonly batches: Array<Array<Record<string, unknown>>> = [];
  readonly validations: string[] = [];
  answer: 'echo' | 'wrong' | 'silent' = 'echo';
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const token = new URL(req.url!, 'http://x').searchParams.get('validationToken');
    if (token !== null) {
      this.validations.push(token);
      if (this.answer === 'silent') return;
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(this.answer === 'echo' ? token : 'nope');
      return;
    }
    this.batches.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { value: [] }).value);
    res.writeHead(202).end();
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Subscriptions and change notifications as Graph documents them (docs/graph.md §13). */
describe('subscriptions to events in the emulator', () => {
  let emulator: RunningEmulator;
  let graph: GraphCaller;
  let ada: string;
  const receiver = new Receiver();
  const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
  const subscribe = (extra: Record<string, unknown> = {}) =>
    graph.send('POST', '/subscriptions', {
      changeType: 'created,updated,deleted',
      notificationUrl: receiver.url,
      lifecycleNotificationUrl: receiver.url,
      resource: `users/${ada}/events`,
      expirationDateTime: inHours(48),
      clientState: 'secret-state',
      ...extra,
    });
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  };

  beforeAll(async () => {
    emulator = await startTrusted({ seed: false });
    graph = await GraphCaller.create(emulator);
    await receiver.start();
    ada = (
      await emulator.control.createUser({
        displayName: 'Ada',
        mail: 'ada@contoso.com',
        userPrincipalName: 'ada@contoso.com',
      })
    ).id;
  });
  afterAll(async () => {
    await emulator.close();
    await receiver.close();
  });

  it('creates a subscription only after the URL echoes the validation token (both URLs), 400 otherwise', async () => {
    receiver.answer = 'wrong';
    const refused = await subscribe();
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/validation request failed/);
    receiver.answer = 'echo';
    receiver.validations.length = 0;
    const made = await subscribe();
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ resource: `users/${ada}/events`, clientState: 'secret-state' });
    expect(receiver.validations).toHaveLength(2);
    expect(receiver.validations[0]).toMatch(/^Validation: /);
    await graph.send('DELETE', `/subscriptions/${made.body.id}`);
  });

  it('refuses an expiry beyond 10,080 minutes, a plain-http URL off loopback, and an unknown changeType', async () => {
    expect((await subscribe({ expirationDateTime: inHours(24 * 7 + 1) })).status).toBe(400);
    expect((await subscribe({ notificationUrl: 'http://example.com/hook' })).status).toBe(400);
    expect((await subscribe({ changeType: 'created,moved' })).status).toBe(400);
  });

  it("POSTs each change of the mailbox's events with the clientState, one batch per turn; renews, deletes", async () => {
    const made = (await subscribe()).body as { id: string };
    receiver.batches.length = 0;
    const event = await emulator.control.calendars.createEvent(ada, null, {
      subject: 'Plan',
      start: { dateTime: '2026-05-01T09:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-05-01T10:00:00', timeZone: 'UTC' },
    });
    await emulator.control.calendars.updateEvent(ada, event.id, { subject: 'Plan B' });
    await until(() => receiver.batches.length > 0);
    expect(receiver.batches[0]!.map((n) => [n['changeType'], n['clientState'], n['subscriptionId']])).toEqual([
      ['created', 'secret-state', made.id],
      ['updated', 'secret-state', made.id],
    ]);
    expect(receiver.batches[0]![0]).toMatchObject({ resourceData: { id: event.id } });

    const renewed = await graph.send('PATCH', `/subscriptions/${made.id}`, { expirationDateTime: inHours(72) });
    expect(renewed.status).toBe(200);
    expect(Date.parse(renewed.body.expirationDateTime)).toBeGreaterThan(Date.now() + 71 * 3_600_000);
    expect((await graph.send('DELETE', `/subscriptions/${made.id}`)).status).toBe(204);
    expect((await graph.get(`/subscriptions/${made.id}`)).status).toBe(404);
    receiver.batches.length = 0;
    await emulator.control.calendars.deleteEvent(ada, event.id);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.batches).toEqual([]);
  });

  it('sends lifecycle notifications to the lifecycle URL; subscriptionRemoved removes the subscription', async () => {
    const made = (await subscribe()).body as { id: string };
    receiver.batches.length = 0;
    await emulator.control.calendars.sendLifecycleNotification(made.id, 'missed');
    await emulator.control.calendars.sendLifecycleNotification(made.id, 'subscriptionRemoved');
    await until(() => receiver.batches.flat().length >= 2);
    expect(receiver.batches.flat().map((n) => [n['lifecycleEvent'], n['clientState']])).toEqual([
      ['missed', 'secret-state'],
      ['subscriptionRemoved', 'secret-state'],
    ]);
    expect((await graph.get(`/subscriptions/${made.id}`)).status).toBe(404);
  });
});
