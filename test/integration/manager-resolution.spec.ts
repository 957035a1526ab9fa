import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openOrm, type Orm } from '../../src/gateways/db/orm.js';
import { HrSyncRepository } from '../../src/gateways/db/hr-sync.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * Manager links after a run (rule 2.6) are resolved for the HR users written since the last
 * resolution and their reports, on the real PostgreSQL. The sequences here are the ones a single
 * run's end-to-end test cannot reach: a run that died between writing users and resolving them.
 */
describe('manager resolution scoped to what changed since the last resolution', () => {
  let db: TestDatabase;
  let orm: Orm;
  const repo = () => new HrSyncRepository(orm.em.fork());
  const sql = <T extends object>(text: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(text, params);
  // What a run's page write does to a user: set its fields and stamp it as synced now.
  const written = (email: string, entraId: string, managerEntraId: string | null) =>
    sql(
      `insert into hr_user (email, entra_id, manager_entra_id, origin, last_synced_at) values (?, ?, ?, 'entra', now())
       on conflict (entra_id) do update set manager_entra_id = excluded.manager_entra_id, last_synced_at = now()`,
      [email, entraId, managerEntraId],
    );
  const managerOf = async (entraId: string) => {
    const [row] = await sql<{ manager: string | null }>(
      `select m.entra_id as manager from hr_user u left join hr_user m on m.id = u.manager_id where u.entra_id = ?`,
      [entraId],
    );
    return row!.manager;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openOrm({ clientUrl: db.url, poolSize: 2 });
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  it('links users written by a run that died before resolving, at the next resolution', async () => {
    await written('lead@example.test', 'lead', null);
    await written('rex@example.test', 'rex', 'lead');
    expect(await repo().resolveManagers(false)).toBe(1);
    expect(await managerOf('rex')).toBe('lead');

    // A run writes Rex's new manager and a new boss, then dies: nothing resolves them.
    await written('boss@example.test', 'boss', null);
    await written('rex@example.test', 'rex', 'boss');
    expect(await managerOf('rex')).toBe('lead');

    // The next run writes nobody, yet its resolution covers what the dead run wrote.
    expect(await repo().resolveManagers(false)).toBe(1);
    expect(await managerOf('rex')).toBe('boss');
  });

  it('links an earlier report to a manager written since, and leaves users untouched since alone', async () => {
    await written('ida@example.test', 'ida', 'mona');
    await repo().resolveManagers(false);
    expect(await managerOf('ida')).toBeNull();

    await written('mona@example.test', 'mona', null);
    expect(await repo().resolveManagers(false)).toBe(1);
    expect(await managerOf('ida')).toBe('mona');

    // A link broken behind the engine's back (not by a run) is outside the scope of an incremental
    // resolution, and repaired by the full one that every full apply runs.
    await sql(`update hr_user set manager_id = null where entra_id = 'ida'`);
    expect(await repo().resolveManagers(false)).toBe(0);
    expect(await managerOf('ida')).toBeNull();
    expect(await repo().resolveManagers(true)).toBe(1);
    expect(await managerOf('ida')).toBe('mona');
  });
});
