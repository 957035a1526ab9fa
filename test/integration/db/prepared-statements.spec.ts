import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { executeBound } from '../../../src/gateways/db/bound-sql.js';
import { openOrm, type Orm } from '../../../src/gateways/db/orm.js';
import { prepared, preparedName } from '../../../src/gateways/db/prepared-statements.js';
import { repositoriesFor } from '../../../src/gateways/db/repositories.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

describe('named prepared statements for the hot statements (src/gateways/db/prepared-statements.ts)', () => {
  let db: TestDatabase;
  let orm: Orm;
  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openOrm({ clientUrl: db.url, poolSize: 2 });
  });
  afterAll(async () => {
    await orm?.close();
    await db?.drop();
  });

  /** The statements this connection holds prepared, as PostgreSQL lists them. */
  const preparedOn = (run: (em: Orm['em']) => Promise<unknown>) =>
    orm.em.fork().transactional(async (em) => {
      await run(em);
      const rows = await executeBound<{ name: string }>(em, 'select name from pg_prepared_statements', []);
      return rows.map((r) => r.name);
    });

  it('runs a marked text as a statement prepared once per connection, and an unmarked one unnamed', async () => {
    const marked = prepared('select $1::int + 1 as n');
    const names = await preparedOn(async (em) => {
      for (const n of [1, 2, 3]) expect(await executeBound<{ n: number }>(em, marked, [n])).toEqual([{ n: n + 1 }]);
      await executeBound(em, 'select $1::int + 2 as n', [1]);
    });
    expect(names).toEqual([preparedName(marked)]);
  });

  it('prepares the SCIM look-up and read of a user', async () => {
    let before: string[] = [];
    const names = await preparedOn(async (em) => {
      before = (await executeBound<{ name: string }>(em, 'select name from pg_prepared_statements', [])).map(
        (r) => r.name,
      );
      const scim = repositoriesFor(em).scimUsers;
      await scim.read('00000000-0000-4000-8000-000000000000');
      await scim.list(null, { startIndex: 1, count: 1 });
    });
    expect(names.filter((name) => !before.includes(name))).toEqual([
      expect.stringMatching(/^ehc_/),
      expect.stringMatching(/^ehc_/),
    ]);
  });
});
