import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A database of the test file's own: a copy of the migrated template (test/support/prepare-database.ts). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.EHC_TEST_SERVER_URL!;
  const name = `ehc_t_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, `create database ${name} template ${process.env.EHC_TEST_TEMPLATE}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Ends a pool once its connections have closed. pg-pool's end() resolves as soon as it has asked each
 * connection to end; a drop of the database right after terminates the ones still closing, and the pool
 * re-emits that as an unhandled 'error' (a CI failure of shared-job-store.spec.ts, 57P01).
 */
export async function endPool(pool: pg.Pool): Promise<void> {
  const closing = pool.totalCount;
  let removed = 0;
  const closed = new Promise<void>((resolve) => {
    if (closing === 0) resolve();
    pool.on('remove', () => {
      removed += 1;
      if (removed >= closing) resolve();
    });
  });
  await pool.end();
  await closed;
}
