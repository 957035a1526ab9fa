import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChangeOrigin } from '../../../src/domain/change-origin.js';
import { openOrm, type Orm } from '../../../src/gateways/db/orm.js';
import { repositoriesFor } from '../../../src/gateways/db/repositories.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

interface Row {
  origin: ChangeOrigin;
  /** Seconds since the epoch; null until a change is recorded. */
  changedAt: number | null;
  updatedAt: number;
}

/**
 * The HR user aggregate's repository on the real PostgreSQL: every write method records the origin
 * it is given and the time of the change, whichever origin that is.
 */
describe('the HR user repository records the origin of every change', () => {
  let db: TestDatabase;
  let orm: Orm;
  const repos = () => repositoriesFor(orm.em.fork());
  const rowOf = async (id: string): Promise<Row> => {
    const [row] = await orm.em.fork().execute<Row[]>(
      `select last_change_origin as origin, extract(epoch from last_changed_at)::float8 as "changedAt",
              extract(epoch from updated_at)::float8 as "updatedAt" from hr_user where id = ?`,
      [id],
    );
    return row!;
  };
  const newUser = (email: string) => ({ email, firstName: 'Ada', lastName: 'Lovelace', displayName: 'Ada Lovelace' });

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openOrm({ clientUrl: db.url, poolSize: 2 });
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  it('creates with the origin, and refuses a taken e-mail compared case-insensitively', async () => {
    const id = (await repos().hrUsers.create(newUser('ada@contoso.com'), 'scim'))!;
    expect(await rowOf(id)).toMatchObject({ origin: 'scim', changedAt: expect.any(Number) });
    expect(await repos().hrUsers.create(newUser('ADA@contoso.com'), 'hr')).toBeNull();
  });

  it('field edits, status and roles each record their origin; the fields name it as their source', async () => {
    const id = (await repos().hrUsers.create(newUser('grace@contoso.com'), 'hr'))!;
    const created = await rowOf(id);

    await repos().transaction((tx) => tx.hrUsers.updateFields(id, { fields: { jobTitle: 'Admiral' } }, 'scim'));
    const edited = await rowOf(id);
    expect(edited.origin).toBe('scim');
    expect(edited.changedAt!).toBeGreaterThan(created.changedAt!);
    const detail = await repos().hrUserViews.detail(id);
    expect(detail!.fields['jobTitle']).toBe('Admiral');
    expect(detail!.sources['jobTitle']).toMatchObject({ source: 'scim', changedAt: expect.any(String) });

    await repos().hrUsers.setActive(id, false, 'deactivated-in-hr', 'hr');
    const deactivated = await rowOf(id);
    expect(deactivated.origin).toBe('hr');
    expect(deactivated.changedAt!).toBeGreaterThan(edited.changedAt!);

    // A change of roles is a change of the user, but not of its own columns (the export's updatedAt).
    const [admin] = await repos().roles.findByNames(['Administrator']);
    await repos().hrUsers.changeRoles(id, { grant: [admin!.id], revoke: [] }, 'scim');
    const granted = await rowOf(id);
    expect(granted).toMatchObject({ origin: 'scim', updatedAt: deactivated.updatedAt });
    expect(granted.changedAt!).toBeGreaterThan(deactivated.changedAt!);
    expect((await repos().hrUsers.roles(id)).map((r) => r.name)).toEqual(['Administrator']);
  });

  it('a taken e-mail is answered, not thrown, and changes nothing', async () => {
    const id = (await repos().hrUsers.create(newUser('alan@contoso.com'), 'hr'))!;
    const before = await rowOf(id);
    const result = await repos().transaction((tx) =>
      tx.hrUsers.updateFields(id, { fields: {}, email: 'GRACE@contoso.com' }, 'scim'),
    );
    expect(result).toBe('email-taken');
    expect(await rowOf(id)).toEqual(before);
  });

  it('the bootstrap administrator is created once and given the Administrator role once', async () => {
    const admin = { email: 'admin@localhost', firstName: 'B', lastName: 'A', displayName: 'B A' };
    const first = await repos().hrUsers.ensureAdministrator(admin, 'hr');
    expect(first.granted).toEqual([{ name: 'Administrator' }]);
    const again = await repos().hrUsers.ensureAdministrator(admin, 'hr');
    expect(again).toEqual({ id: first.id, granted: [] });
    expect((await rowOf(first.id)).origin).toBe('hr');
  });

  it("an employee's lifecycle deactivates and reactivates with its origin, and only what it deactivated (rule 3.5)", async () => {
    const id = (await repos().hrUsers.create(newUser('katherine@contoso.com'), 'hr'))!;
    const other = (await repos().hrUsers.create(newUser('dorothy@contoso.com'), 'hr'))!;
    await repos().hrUsers.setActive(other, false, 'deactivated-in-hr', 'hr');
    expect(await repos().hrUsers.deactivateArchivedEmployees('scim', [id, other])).toBe(1);
    expect(await rowOf(id)).toMatchObject({ origin: 'scim' });
    expect(await repos().hrUsers.lockStatus(id)).toMatchObject({
      active: false,
      deactivatedReason: 'employee-archived',
    });

    await repos().hrUsers.reactivateUnarchivedEmployee(other, 'scim');
    expect(await repos().hrUsers.lockStatus(other)).toMatchObject({
      active: false,
      deactivatedReason: 'deactivated-in-hr',
    });
    expect((await rowOf(other)).origin).toBe('hr');
    await repos().hrUsers.reactivateUnarchivedEmployee(id, 'hr');
    expect(await repos().hrUsers.lockStatus(id)).toMatchObject({ active: true, deactivatedReason: null });
    expect((await rowOf(id)).origin).toBe('hr');
  });

  it('without ids, deactivates the active HR users of every archived employee profile', async () => {
    const id = (await repos().hrUsers.create(newUser('mary@contoso.com'), 'hr'))!;
    await orm.em
      .fork()
      .execute(
        `insert into employee_profile (email, first_name, last_name, hr_user_id, employment_status) values ('mary@contoso.com', 'Mary', 'Jackson', ?, 'archived')`,
        [id],
      );
    expect(await repos().hrUsers.deactivateArchivedEmployees('hr')).toBe(1);
    expect(await repos().hrUsers.deactivateArchivedEmployees('hr')).toBe(0);
    expect(await repos().hrUsers.lockStatus(id)).toMatchObject({
      active: false,
      deactivatedReason: 'employee-archived',
    });
  });
});
