import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { ChannelId } from '../../sync/kernel/channel-id.js';
import type { ChannelLocks, LockOutcome } from '../../sync/kernel/channel-lock.ports.js';

/**
 * The first key of every channel lock: PostgreSQL's two-key advisory locks, (class, object), with
 * a class of ours so other users of advisory locks in the same database cannot collide with ours
 * (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS).
 * The single-key lock of earlier versions (the same number, as one bigint) is another key space:
 * an instance of an older version does not exclude this one, so upgrade every instance together.
 */
export const CHANNEL_LOCK_CLASS = 0x454e5452; // "ENTR"

/**
 * The second key: 32 bits of the channel id's SHA-256. Two ids that share it only make their
 * channels wait for each other; they can never let two runs of one channel overlap.
 */
export function channelLockKey(channel: ChannelId): number {
  return createHash('sha256').update(channel).digest().readInt32BE(0);
}

/**
 * Channel locks as PostgreSQL session advisory locks, each on a dedicated connection: released
 * when the work ends or, if the process dies, when its connection closes. Inside one process a set
 * of held channels answers first (the embedded database shares one session between connections,
 * where an advisory lock would be re-entrant; only one process can open it, so the set is enough
 * there).
 */
export class AdvisoryChannelLocks implements ChannelLocks {
  private readonly held = new Set<ChannelId>();

  constructor(private readonly pool: pg.Pool) {}

  async tryWithLock<T>(channel: ChannelId, work: () => Promise<T>): Promise<LockOutcome<T>> {
    if (this.held.has(channel)) return { acquired: false };
    this.held.add(channel);
    const key = channelLockKey(channel);
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      const { rows } = await client.query<{ locked: boolean }>(
        'select pg_try_advisory_lock($1::int, $2::int) as locked',
        [CHANNEL_LOCK_CLASS, key],
      );
      if (!rows[0]?.locked) return { acquired: false };
      try {
        return { acquired: true, value: await work() };
      } finally {
        await client
          .query('select pg_advisory_unlock($1::int, $2::int)', [CHANNEL_LOCK_CLASS, key])
          .catch(() => undefined);
      }
    } finally {
      client?.release();
      this.held.delete(channel);
    }
  }
}
