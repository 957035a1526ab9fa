import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { PreparingClient } from './prepared-statements.js';

export type Orm = MikroORM;

export interface OrmOptions {
  clientUrl: string;
  poolSize: number;
  /** Set when the migrator should write new migration files (scripts/migration-create.ts). */
  migrationsPath?: string;
  /** Where MikroORM's own messages (the migrator's) go; silent by default. */
  log?: (message: string) => void;
}

export function ormConfig(options: OrmOptions): Options {
  return {
    clientUrl: options.clientUrl,
    entities,
    extensions: [Migrator],
    pool: { min: 0, max: options.poolSize },
    // No JIT compilation: the service's statements are short and index-driven, and compiling one
    // costs more (100+ ms at 100,000 users) than running it. A connection parameter of `pg`. The
    // client prepares the statements marked hot (prepared-statements.ts).
    driverOptions: { options: '-c jit=off', Client: PreparingClient },
    // Each request and job forks its own EntityManager; the global one must never be used directly.
    allowGlobalContext: false,
    debug: false,
    logger: options.log ?? (() => {}),
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: options.migrationsPath,
      migrationsList: options.migrationsPath ? undefined : migrations,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      fileName: (timestamp: string, name?: string) => `migration-${timestamp}${name ? `-${name}` : ''}`,
    },
  };
}

/** Connects and applies every pending migration (they are committed, versioned, and run at start). */
export async function openOrm(options: OrmOptions): Promise<Orm> {
  const orm = await MikroORM.init(ormConfig(options));
  await orm.migrator.up();
  return orm;
}

/** Throws when the database does not answer (the readiness probe). */
export async function pingDatabase(orm: Orm): Promise<void> {
  await orm.em.execute('select 1');
}
