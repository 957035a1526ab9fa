import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { startEmbeddedPostgres } from '../../src/gateways/db/embedded-postgres.js';
import { ormConfig } from '../../src/gateways/db/orm.js';

/**
 * Run by global-setup.mjs in a process of its own (Jest's globalSetup cannot load our ESM TypeScript).
 * Once per test run: find the PostgreSQL server (TEST_DATABASE_URL, else the local one) and build a
 * migrated template database that each test file copies (CREATE DATABASE ... TEMPLATE), so files run
 * in parallel on databases of their own. Without a server the suite starts the service's own embedded
 * PostgreSQL in a temporary directory (stopped by global-teardown.mjs), and says so once.
 */
async function prepare(): Promise<Record<string, string>> {
  const configured = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const fallback: Record<string, string> = {};
  let serverUrl = configured;
  if (!(await reachable(configured))) {
    const dataDir = mkdtempSync(join(tmpdir(), 'ehc-test-pg-'));
    serverUrl = (await startEmbeddedPostgres({ dataDir, outliveProcess: true })).url;
    fallback.EHC_TEST_EMBEDDED_DIR = dataDir;
    fallback.EHC_TEST_NOTICE = `PostgreSQL is not reachable at ${redact(configured)}: the suite runs on the embedded PostgreSQL in ${dataDir} instead.`;
  }
  // The template is named after the migrations' content, so concurrent runs of the same code share
  // it, a changed migration gets a new one, and nobody drops a template another run is copying.
  const template = `ehc_test_template_${migrationsHash()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock(4711)');
    const exists = await admin.query('select 1 from pg_database where datname = $1', [template]);
    if (exists.rowCount === 0) {
      const building = `${template}_building`;
      await admin.query(`drop database if exists ${building}`);
      await admin.query(`create database ${building}`);
      const orm = await MikroORM.init({
        ...ormConfig({ clientUrl: withDatabase(serverUrl, building), poolSize: 2 }),
        logger: () => {},
      });
      await orm.migrator.up();
      await orm.close();
      await admin.query(`alter database ${building} rename to ${template}`);
    }
  } finally {
    await admin.query('select pg_advisory_unlock(4711)').catch(() => undefined);
    await admin.end();
  }
  return { ...fallback, EHC_TEST_SERVER_URL: serverUrl, EHC_TEST_TEMPLATE: template };
}

process.stdout.write(`${JSON.stringify(await prepare())}\n`);
// The embedded server (if one was started) is a detached process that outlives this one.
process.exit(0);

function migrationsHash(): string {
  const dir = new URL('../../src/gateways/db/migrations/', import.meta.url);
  const hash = createHash('sha256');
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(new URL(file, dir)));
  return hash.digest('hex').slice(0, 16);
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
