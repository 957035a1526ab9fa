import type pg from 'pg';

/**
 * Guarantees that two service instances never sync at the same time, whatever job backend runs
 * them: Agenda's job lock covers one job document, not two "sync now" jobs queued side by side.
 *
 * A PostgreSQL session advisory lock on a dedicated connection: released when the run ends or,
 * if the process dies, when its connection closes. Inside one process a promise chain keeps the
 * same order (the embedded database shares one session between connections, where an advisory lock
 * would be re-entrant; only one process can open it, so the in-process guard is enough there).
 */
export class SyncLock {
  private held = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly key: number,
  ) {}

  /** Runs `work` while holding the lock, or returns `{ acquired: false }` at once if another holds it. */
  async tryWithLock<T>(work: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
    if (this.held) return { acquired: false };
    this.held = true;
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [this.key]);
      if (!rows[0]?.locked) return { acquired: false };
      try {
        return { acquired: true, value: await work() };
      } finally {
        await client.query('select pg_advisory_unlock($1)', [this.key]).catch(() => undefined);
      }
    } finally {
      client?.release();
      this.held = false;
    }
  }
}

/** The advisory-lock key of the Entra sync: a fixed number, shared by every instance. */
export const ENTRA_SYNC_LOCK_KEY = 0x454e5452; // "ENTR"
