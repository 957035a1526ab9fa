import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CalendarWorld, dayAt, type Employee } from './calendar-support.js';

const utc = (dateTime: string) => ({ dateTime, timeZone: 'UTC' });

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Rule 6.9: with CALENDAR_NOTIFICATIONS on, each mailbox's run subscribes to its events; Graph (the
 * emulator, which validates the URL and POSTs notifications as Graph does) then says when the
 * mailbox changed, and the change reaches HR without waiting for the poll (5 minutes here).
 */
describe('6.9: change notifications', () => {
  let w: CalendarWorld;
  let ada: Employee;
  const notificationRuns = async (e: Employee) =>
    (await w.status(e)).runs.filter((r) => r.trigger === 'notification').length;

  beforeAll(async () => {
    w = await CalendarWorld.start({ env: { CALENDAR_NOTIFICATIONS: 'true' } });
    [ada] = (await w.employees('Ada')) as [Employee];
    await w.sync(ada);
  });
  afterAll(async () => w?.close());

  const subscriptions = async () =>
    (await w.outlook.listSubscriptions()).filter((s) => String(s['resource']).includes(ada.entraId));

  it("subscribes to the mailbox's events at its run, after Graph's validation request reached the public endpoint", async () => {
    const [subscription, ...others] = await subscriptions();
    expect(others).toEqual([]);
    expect(subscription).toMatchObject({
      resource: `users/${ada.entraId}/events`,
      changeType: 'created,updated,deleted',
      notificationUrl: `${w.world.h.service.url}/api/notifications/graph`,
      lifecycleNotificationUrl: `${w.world.h.service.url}/api/notifications/graph`,
    });
    const days = (Date.parse(String(subscription!['expirationDateTime'])) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(2.9);
    expect(days).toBeLessThan(3.1);
    // A second run keeps the subscription, which is far from expiring.
    await w.sync(ada);
    expect((await subscriptions()).map((s) => s['id'])).toEqual([subscription!['id']]);
  });

  it('brings an Outlook change to HR through a notification, without the poll; a burst of changes asks for one run', async () => {
    const before = await notificationRuns(ada);
    await w.outlook.createEvent(ada.entraId, null, {
      subject: 'Told by Graph',
      start: utc(dayAt(4, '10:00')),
      end: utc(dayAt(4, '11:00')),
    });
    await until('the event in HR', async () => (await w.events(ada)).some((e) => e.subject === 'Told by Graph'));
    expect(await notificationRuns(ada)).toBe(before + 1);

    // Ten changes at once: one batch of ten notifications, one run.
    const stats = await w.outlook.notificationStats(true);
    expect(stats.failed).toBe(0);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        w.outlook.createEvent(ada.entraId, null, {
          subject: `Burst ${i}`,
          start: utc(dayAt(5, `1${i}:00`)),
          end: utc(dayAt(5, `1${i}:30`)),
        }),
      ),
    );
    await until('the burst in HR', async () =>
      (await w.events(ada)).filter((e) => e.subject.startsWith('Burst ')).length === 10 ? true : null,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // One run for the batch; at most one more, when the run had already taken the mailbox's
    // notifications before the last of the batch was recorded (a notification during a run asks for another).
    expect(await notificationRuns(ada)).toBeGreaterThanOrEqual(before + 2);
    expect(await notificationRuns(ada)).toBeLessThanOrEqual(before + 3);
    const burst = await w.outlook.notificationStats();
    expect(burst).toMatchObject({ notifications: 10, failed: 0, slow: 0 });
  });

  it('ignores a notification whose clientState does not match, or of a subscription HR never made (202, no run)', async () => {
    const [subscription] = await subscriptions();
    // Whatever the earlier tests asked for has run by now.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const since = new Date().toISOString();
    for (const item of [
      { subscriptionId: subscription!['id'], clientState: 'guessed', changeType: 'created', resource: 'x' },
      { subscriptionId: 'not-ours', clientState: 'guessed', changeType: 'updated', resource: 'x' },
      { subscriptionId: subscription!['id'], changeType: 'updated', resource: 'x' },
      { subscriptionId: subscription!['id'], clientState: 'guessed', lifecycleEvent: 'subscriptionRemoved' },
    ]) {
      const res = await fetch(`${w.world.h.service.url}/api/notifications/graph`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ value: [item] }),
      });
      expect(res.status).toBe(202);
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await w.status(ada)).runs.filter((r) => r.startedAt >= since)).toEqual([]);
    expect((await subscriptions()).map((s) => s['id'])).toEqual([subscription!['id']]);
  });

  it('renews the subscription when Graph asks (reauthorizationRequired) and subscribes anew when Graph removed it', async () => {
    const [first] = await subscriptions();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await w.outlook.sendLifecycleNotification(String(first!['id']), 'reauthorizationRequired');
    const renewed = await until('the renewal', async () => {
      const [s] = await subscriptions();
      return s && s['expirationDateTime'] !== first!['expirationDateTime'] ? s : null;
    });
    expect(renewed['id']).toBe(first!['id']);
    expect(Date.parse(String(renewed['expirationDateTime']))).toBeGreaterThan(
      Date.parse(String(first!['expirationDateTime'])),
    );

    await w.outlook.sendLifecycleNotification(String(first!['id']), 'subscriptionRemoved');
    const again = await until('a new subscription', async () => {
      const [s] = await subscriptions();
      return s && s['id'] !== first!['id'] ? s : null;
    });
    expect(await subscriptions()).toEqual([again]);
  });

  it('reads the mailbox again after missed notifications, so what changed meanwhile reaches HR', async () => {
    // The runs the lifecycle notifications above asked for are over.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await w.outlook.setNotificationDelivery({ paused: true });
    await w.outlook.createEvent(ada.entraId, null, {
      subject: 'Changed while Graph was silent',
      start: utc(dayAt(6, '10:00')),
      end: utc(dayAt(6, '11:00')),
    });
    await w.outlook.setNotificationDelivery({ paused: false });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await w.events(ada)).some((e) => e.subject === 'Changed while Graph was silent')).toBe(false);
    const [subscription] = await subscriptions();
    await w.outlook.sendLifecycleNotification(String(subscription!['id']), 'missed');
    await until('the missed change in HR', async () =>
      (await w.events(ada)).some((e) => e.subject === 'Changed while Graph was silent'),
    );
  });
});

/**
 * Rule 6.9: a subscription no run will end (the employee switched calendar sync off, the user left,
 * calendar sync switched off for everyone) is deleted in Graph by the next schedule, so Graph stops
 * telling HR about a mailbox it no longer reads.
 */
describe('6.9: subscriptions of mailboxes no longer synced', () => {
  let w: CalendarWorld;
  let ada: Employee;
  let bo: Employee;
  const subscribed = async () => {
    const all = await w.outlook.listSubscriptions();
    return [ada, bo].filter((e) => all.some((s) => String(s['resource']).includes(e.entraId))).map((e) => e.mail);
  };

  beforeAll(async () => {
    w = await CalendarWorld.start({ env: { CALENDAR_NOTIFICATIONS: 'true', CALENDAR_POLL_INTERVAL: '2 seconds' } });
    [ada, bo] = (await w.employees('Ada', 'Bo')) as [Employee, Employee];
    await w.sync(ada);
    await w.sync(bo);
  });
  afterAll(async () => w?.close());

  it("ends Bo's when he switches his calendar sync off, keeps Ada's, and ends hers once calendar sync is off", async () => {
    expect(await subscribed()).toEqual([ada.mail, bo.mail]);
    await w.asOk(bo, '/api/me/calendar-settings', 'PATCH', { syncEnabled: false });
    await until('the end of Bo’s subscription', async () => (await subscribed()).length === 1);
    expect(await subscribed()).toEqual([ada.mail]);
    const rows = await w.world.h.service.orm.em
      .fork()
      .execute<{ hr_user_id: string }[]>(`select hr_user_id from calendar_subscription`);
    expect(rows.map((r) => r.hr_user_id)).toEqual([ada.hrUserId]);
    await w.world.settings({ calendarSync: false });
    await until('the end of Ada’s subscription', async () => (await subscribed()).length === 0);
  });
});
