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

/** Tests end their pools the way the service does (a drop of the database comes right after). */
export { endPool } from '../../src/gateways/db/pg-pool.js';
