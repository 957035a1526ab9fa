import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/gateways/db/embedded-postgres.js';

export interface TestDatabase {
  url: string;
  /** Whether a real PostgreSQL server (not PGlite) backs it. */
  real: boolean;
  drop(): Promise<void>;
}

/** A database of the test file's own: a copy of the migrated template, or a fresh in-memory PGlite. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (process.env.EHC_TEST_DB !== 'postgresql') {
    // The service applies migrations at start; tests that use the database alone call openOrm.
    const embedded = await startEmbeddedPostgres(null);
    return { url: embedded.url, real: false, drop: () => embedded.close() };
  }
  const serverUrl = process.env.EHC_TEST_SERVER_URL!;
  const name = `ehc_t_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, `create database ${name} template ${process.env.EHC_TEST_TEMPLATE}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    real: true,
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
