import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { hashToken } from '../../../src/domain/bearer-token.js';
import type {
  CalendarStore,
  MailboxSubscription,
  SubscriptionSource,
} from '../../../src/sync/calendars/calendar-sync.ports.js';
import type { MailboxRun } from '../../../src/sync/calendars/calendar-sync.service.js';
import { RENEW_BEFORE_MS, subscriptionStage } from '../../../src/sync/calendars/subscription.stage.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const URL = 'https://hr.contoso.com/api/notifications/graph';
const DAY = 86_400_000;

/** A mailbox's subscription kept in memory, and Graph's subscriptions as calls recorded. */
function world(current: MailboxSubscription | null, graph: Partial<SubscriptionSource> = {}) {
  const calls: string[] = [];
  const state: {
    kept: (MailboxSubscription & { clientStateHash?: string }) | null;
    taken: number;
    lastClientState?: string;
  } = {
    kept: current,
    taken: 0,
  };
  const store = {
    subscription: async () => state.kept,
    saveSubscription: async (
      _id: string,
      s: { subscriptionId: string; clientStateHash: string; expiresAt: string },
    ) => {
      state.kept = { ...s, renewDue: false };
    },
    renewedSubscription: async (_id: string, expiresAt: string) => {
      state.kept = { ...state.kept!, expiresAt, renewDue: false };
    },
    forgetSubscription: async () => {
      state.kept = null;
    },
    takeNotifications: async () => {
      state.taken += 1;
    },
  } as unknown as CalendarStore;
  const source: SubscriptionSource = {
    subscribe: async (mailbox, input) => {
      calls.push(`subscribe ${mailbox} ${input.notificationUrl} ${input.expiresAt.toISOString()}`);
      state.lastClientState = input.clientState;
      return { subscriptionId: 'new', expiresAt: input.expiresAt.toISOString() };
    },
    renew: async (id, expiresAt) => {
      calls.push(`renew ${id}`);
      return { expiresAt: expiresAt.toISOString() };
    },
    unsubscribe: async (id) => {
      calls.push(`unsubscribe ${id}`);
    },
    ...graph,
  };
  const run = { mailbox: { hrUserId: 'u1', entraId: 'e1' }, store } as unknown as MailboxRun;
  return { calls, state, source, run };
}

const stage = (source: SubscriptionSource, url: string | null = URL) =>
  subscriptionStage({
    notificationUrl: () => url,
    source: () => source,
    logger: pino({ level: 'silent' }),
    now: () => NOW,
  });

const expiring = (inMs: number, renewDue = false): MailboxSubscription => ({
  subscriptionId: 'old',
  expiresAt: new Date(NOW.getTime() + inMs).toISOString(),
  renewDue,
});

describe('the subscription stage (rule 6.9)', () => {
  it('subscribes a mailbox without one for three days, keeping the clientState as SHA-256 only, after taking its notifications', async () => {
    const w = world(null);
    await stage(w.source)(w.run);
    expect(w.calls).toEqual([`subscribe e1 ${URL} 2026-06-04T12:00:00.000Z`]);
    expect(w.state.taken).toBe(1);
    expect(w.state.lastClientState).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(w.state.kept).toMatchObject({ subscriptionId: 'new', clientStateHash: hashToken(w.state.lastClientState!) });
  });

  it('leaves a subscription far from expiry alone, and renews one that expires within a day or that Graph asked to renew', async () => {
    const far = world(expiring(RENEW_BEFORE_MS + 60_000));
    await stage(far.source)(far.run);
    expect(far.calls).toEqual([]);
    const soon = world(expiring(RENEW_BEFORE_MS - 60_000));
    await stage(soon.source)(soon.run);
    expect(soon.calls).toEqual(['renew old']);
    expect(soon.state.kept?.expiresAt).toBe(new Date(NOW.getTime() + 3 * DAY).toISOString());
    const asked = world(expiring(2 * DAY, true));
    await stage(asked.source)(asked.run);
    expect(asked.calls).toEqual(['renew old']);
    expect(asked.state.kept?.renewDue).toBe(false);
  });

  it('subscribes anew when Graph no longer has the subscription', async () => {
    const w = world(expiring(60_000), { renew: async () => 'gone' });
    await stage(w.source)(w.run);
    expect(w.calls).toEqual([`subscribe e1 ${URL} 2026-06-04T12:00:00.000Z`]);
    expect(w.state.kept?.subscriptionId).toBe('new');
  });

  it('removes its subscription when notifications are switched off, and does nothing without one', async () => {
    const w = world(expiring(2 * DAY));
    await stage(w.source, null)(w.run);
    expect(w.calls).toEqual(['unsubscribe old']);
    expect(w.state.kept).toBeNull();
    const none = world(null);
    await stage(none.source, null)(none.run);
    expect(none.calls).toEqual([]);
  });

  it("never fails the mailbox's run: a refused subscription leaves the mailbox on polling", async () => {
    const w = world(null, {
      subscribe: async () => {
        throw new Error('Subscription validation request failed');
      },
    });
    await expect(stage(w.source)(w.run)).resolves.toBeUndefined();
    expect(w.state.kept).toBeNull();
  });
});
