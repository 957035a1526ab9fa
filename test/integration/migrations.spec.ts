import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/gateways/db/embedded-postgres.js';
import { openOrm, type Orm } from '../../src/gateways/db/orm.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const tables = [
  'hr_user',
  'employee_profile',
  'role',
  'user_role',
  'integration_settings',
  'entra_connection',
  'synced_group',
  'group_role_mapping',
  'sync_run',
  'sync_run_outcome',
  'sync_channel',
  'api_token',
  'audit_log',
];

async function schemaOf(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    return rows.map((r) => r.table_name);
  } finally {
    await client.end();
  }
}

async function expectConstraints(orm: Orm): Promise<void> {
  const em = orm.em.fork();
  await em.execute(`insert into hr_user (email, entra_id) values ('Ada@Contoso.com', 'e-1')`);
  // One HR user per e-mail, compared case-insensitively, and one per Entra object id (rule 2.2).
  await expect(em.execute(`insert into hr_user (email) values ('ada@contoso.COM')`)).rejects.toThrow(
    /hr_user_email_lower_unique/,
  );
  await expect(em.execute(`insert into hr_user (email, entra_id) values ('other@contoso.com', 'e-1')`)).rejects.toThrow(
    /hr_user_entra_id_unique/,
  );
  const settings = await em.execute<{ auto_sync: boolean; sync_interval: string }[]>(
    'select auto_sync, sync_interval from integration_settings',
  );
  expect(settings).toEqual([{ auto_sync: true, sync_interval: '30 minutes' }]);
}

describe('migrations', () => {
  let db: TestDatabase;
  let embedded: EmbeddedPostgres;
  const dataDir = mkdtempSync(join(tmpdir(), 'ehc-migrations-'));
  beforeAll(async () => {
    db = await createTestDatabase();
    embedded = await startEmbeddedPostgres({ dataDir });
  });
  afterAll(async () => {
    await db.drop();
    await embedded.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('build the schema on an empty PostgreSQL database, with constraints that make duplicates impossible', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    // Start from truly empty: drop what the template made, then migrate from scratch.
    await client.query('drop schema public cascade; create schema public;');
    await client.end();
    expect(await schemaOf(db.url)).toEqual([]);
    const orm = await openOrm({ clientUrl: db.url, poolSize: 2 });
    try {
      expect(await schemaOf(db.url)).toEqual(expect.arrayContaining(tables));
      await expectConstraints(orm);
      expect(await orm.migrator.getPending()).toEqual([]);
      // The entities declare what the migrations built (indexes, checks, triggers, defaults), so
      // `npm run migration:create` proposes only a real change.
      expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
    } finally {
      await orm.close();
    }
  });

  it('build the same schema on the embedded default database', async () => {
    const orm = await openOrm({ clientUrl: embedded.url, poolSize: 2 });
    try {
      expect(await schemaOf(embedded.url)).toEqual(expect.arrayContaining(tables));
      await expectConstraints(orm);
    } finally {
      await orm.close();
    }
  });
});
