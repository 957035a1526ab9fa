import pg from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from '../../src/gateways/db/orm.js';
import { migrations } from '../../src/gateways/db/migrations/index.js';

/**
 * Run by global-setup.mjs in a process of its own (Jest's globalSetup cannot load our ESM TypeScript).
 * Once per test run: find the PostgreSQL server (TEST_DATABASE_URL, else the local one) and build a
 * migrated template database that each test file copies (CREATE DATABASE ... TEMPLATE), so files run
 * in parallel on databases of their own. Without a server the suite runs on PGlite, and says so once.
 */
async function prepare(): Promise<Record<string, string>> {
  const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  if (!(await reachable(serverUrl))) {
    return { EHC_TEST_DB: 'pglite', EHC_TEST_NOTICE: `PostgreSQL is not reachable at ${redact(serverUrl)}: the suite runs on PGlite (embedded) instead.` };
  }
  const template = `ehc_test_template_${migrations.length}_${migrations.at(-1)!.name.toLowerCase().replace(/\W/g, '').slice(-24)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    // A previous run's template is rebuilt: migrations may have changed without a new name while developing.
    await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [template]);
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
  } finally {
    await admin.end();
  }
  const orm = await MikroORM.init({ ...ormConfig({ clientUrl: withDatabase(serverUrl, template), poolSize: 2 }), logger: () => {} });
  await orm.migrator.up();
  await orm.close();
  return { EHC_TEST_DB: 'postgresql', EHC_TEST_SERVER_URL: serverUrl, EHC_TEST_TEMPLATE: template };
}

process.stdout.write(`${JSON.stringify(await prepare())}\n`);

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
