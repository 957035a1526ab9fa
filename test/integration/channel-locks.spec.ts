import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { AdvisoryChannelLocks, channelLockKey } from '../../src/gateways/db/channel-locks.js';
import { calendarChannelId, INBOUND_CHANNEL_ID } from '../../src/sync/kernel/channel-id.js';
import { createTestDatabase, endPool, type TestDatabase } from '../support/database.js';

/** A promise and the function that settles it: a run that holds its lock until the test lets it go. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('channel locks (PostgreSQL advisory locks, one per channel)', () => {
  let db: TestDatabase;
  // Two pools and two lock objects: two service instances on one database.
  const pools: pg.Pool[] = [];
  let a: AdvisoryChannelLocks;
  let b: AdvisoryChannelLocks;

  beforeAll(async () => {
    db = await createTestDatabase();
    for (let i = 0; i < 2; i += 1) pools.push(new pg.Pool({ connectionString: db.url, max: 4 }));
    a = new AdvisoryChannelLocks(pools[0]!);
    b = new AdvisoryChannelLocks(pools[1]!);
  });
  afterAll(async () => {
    for (const pool of pools) await endPool(pool);
    await db.drop();
  });

  it('two runs of the same channel never overlap, on one instance or two', async () => {
    let inside = 0;
    let most = 0;
    let runs = 0;
    // Twelve runs asked for at once on both instances, each trying again until it gets the lock.
    const run = async (locks: AdvisoryChannelLocks) => {
      for (;;) {
        const outcome = await locks.tryWithLock(INBOUND_CHANNEL_ID, async () => {
          inside += 1;
          most = Math.max(most, inside);
          await new Promise((resolve) => setTimeout(resolve, 20));
          inside -= 1;
          runs += 1;
        });
        if (outcome.acquired) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    await Promise.all(Array.from({ length: 12 }, (_, i) => run(i % 2 ? a : b)));
    expect(runs).toBe(12);
    expect(most).toBe(1);
  });

  it('a run finds its channel held by another instance and gets it once the holder is done', async () => {
    const holding = gate();
    const release = gate();
    const first = a.tryWithLock(INBOUND_CHANNEL_ID, async () => {
      holding.open();
      await release.opened;
      return 'first';
    });
    await holding.opened;
    await expect(b.tryWithLock(INBOUND_CHANNEL_ID, async () => 'second')).resolves.toEqual({ acquired: false });
    await expect(a.tryWithLock(INBOUND_CHANNEL_ID, async () => 'again')).resolves.toEqual({ acquired: false });
    release.open();
    await expect(first).resolves.toEqual({ acquired: true, value: 'first' });
    await expect(b.tryWithLock(INBOUND_CHANNEL_ID, async () => 'second')).resolves.toEqual({
      acquired: true,
      value: 'second',
    });
  });

  it('two different channels hold their locks at once', async () => {
    const calendar = calendarChannelId('5f1c2d3e-0000-4000-8000-123456789abc');
    expect(channelLockKey(calendar)).not.toBe(channelLockKey(INBOUND_CHANNEL_ID));
    const bothInside = gate();
    let entered = 0;
    const enter = async (name: string) => {
      entered += 1;
      if (entered === 2) bothInside.open();
      // Each run waits for the other to be inside: this only ends if both hold their lock together.
      await bothInside.opened;
      return name;
    };
    const [inbound, mailbox, sameProcess] = await Promise.all([
      a.tryWithLock(INBOUND_CHANNEL_ID, () => enter('inbound')),
      b.tryWithLock(calendar, () => enter('calendar')),
      // The same instance too: its in-process guard is per channel.
      a.tryWithLock(calendarChannelId('another-mailbox'), async () => 'other'),
    ]);
    expect(inbound).toEqual({ acquired: true, value: 'inbound' });
    expect(mailbox).toEqual({ acquired: true, value: 'calendar' });
    expect(sameProcess).toEqual({ acquired: true, value: 'other' });
  });

  it('a lock is released when its work fails', async () => {
    await expect(
      a.tryWithLock(INBOUND_CHANNEL_ID, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(b.tryWithLock(INBOUND_CHANNEL_ID, async () => 1)).resolves.toEqual({ acquired: true, value: 1 });
  });
});
