// Writes a new migration from the difference between the entities and the database at DATABASE_URL
// (or a fresh embedded database), then reminds you to list it in migrations/index.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from '../src/gateways/db/orm.js';
import { startEmbeddedPostgres } from '../src/gateways/db/embedded-postgres.js';

const scratch = process.env.DATABASE_URL ? null : mkdtempSync(join(tmpdir(), 'ehc-migration-'));
const embedded = scratch ? await startEmbeddedPostgres({ dataDir: scratch }) : null;
const clientUrl = process.env.DATABASE_URL ?? embedded!.url;
const path = new URL('../src/gateways/db/migrations', import.meta.url).pathname;
// Bring the database up to date with the committed migrations first, so only the difference is written.
const current = await MikroORM.init(ormConfig({ clientUrl, poolSize: 2 }));
await current.migrator.up();
await current.close();
const orm = await MikroORM.init(ormConfig({ clientUrl, poolSize: 2, migrationsPath: path }));
const result = await orm.migrator.create(path, false, false, process.argv[2]);
console.log(result.fileName ? `wrote ${result.fileName}: add it to migrations/index.ts` : 'no changes');
await orm.close();
await embedded?.close();
if (scratch) rmSync(scratch, { recursive: true, force: true });
