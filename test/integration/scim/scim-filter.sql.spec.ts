import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openOrm, type Orm } from '../../../src/gateways/db/orm.js';
import { filterSql, USER_COLUMNS } from '../../../src/gateways/db/scim-filter.sql.js';
import { PgScimUserReader } from '../../../src/gateways/db/scim-user.repository.js';
import { USER_FILTER } from '../../../src/scim/filter-attributes.js';
import { planFilter } from '../../../src/scim/scim-filter.js';
import { rows } from '../../support/each-rows.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

/** Four HR users: two written by SCIM (a userName and attributes of their own), two HR never pushed. */
const USERS = [
  {
    email: 'ada@contoso.com',
    first_name: 'Ada',
    last_name: 'Employee',
    job_title: 'Engineer',
    department: 'R&D',
    city: 'Berlin',
    active: true,
    scim_user_name: 'Ada.Lovelace@contoso.com',
    scim_external_id: 'Ext-Ada',
    scim_attributes: {
      emails: [
        { type: 'work', primary: true },
        { type: 'home', value: 'ada@example.org' },
      ],
    },
    created_at: '2026-01-01T00:00:00Z',
  },
  {
    email: 'bob@fabrikam.com',
    first_name: 'Bob',
    last_name: 'Employee',
    job_title: null,
    department: 'Sales',
    city: null,
    active: false,
    scim_user_name: 'OMalley',
    scim_external_id: 'ext-bob',
    scim_attributes: null,
    created_at: '2026-02-01T00:00:00Z',
  },
  {
    email: 'carol@contoso.com',
    first_name: 'Carol',
    last_name: 'Other',
    job_title: 'Head of 100%_done',
    department: null,
    city: 'Berlin',
    active: true,
    scim_user_name: null,
    scim_external_id: null,
    scim_attributes: null,
    created_at: '2026-03-01T00:00:00Z',
  },
  {
    email: 'dan@example.com',
    first_name: 'Dan',
    last_name: 'Gone',
    job_title: null,
    department: null,
    city: null,
    active: false,
    scim_user_name: 'dan@example.com',
    scim_external_id: null,
    scim_attributes: null,
    created_at: '2026-04-01T00:00:00Z',
    removed: true,
  },
];

/**
 * Filter -> query plan -> parameterised SQL on the real PostgreSQL: which HR users each filter
 * finds (by userName), as Entra, the reference collections and the RFC write them.
 */
describe('SCIM filters in SQL', () => {
  let db: TestDatabase;
  let orm: Orm;
  let ids: Record<string, string>;
  const find = async (filter: string) => {
    const page = await new PgScimUserReader(orm.em.fork()).list(planFilter(filter, USER_FILTER), {
      startIndex: 1,
      count: 200,
    });
    return page.items.map((u) => u.userName);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openOrm({ clientUrl: db.url, poolSize: 2 });
    ids = {};
    for (const u of USERS) {
      const [row] = await orm.em.fork().execute<{ id: string }[]>(
        `insert into hr_user (email, first_name, last_name, job_title, department, city, active, scim_user_name, scim_external_id,
                              scim_attributes, created_at, updated_at, scim_removed_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::timestamptz, ?::timestamptz, ${u.removed ? 'now()' : 'null'}) returning id`,
        [
          u.email,
          u.first_name,
          u.last_name,
          u.job_title,
          u.department,
          u.city,
          u.active,
          u.scim_user_name,
          u.scim_external_id,
          u.scim_attributes === null ? null : JSON.stringify(u.scim_attributes),
          u.created_at,
          u.created_at,
        ],
      );
      ids[u.email] = row!.id;
    }
    await orm.em
      .fork()
      .execute('update hr_user set manager_id = ? where email = ?', [ids['ada@contoso.com'], 'bob@fabrikam.com']);
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  it.each(
    rows([
      ['userName eq "ada.lovelace@CONTOSO.com"', ['Ada.Lovelace@contoso.com']],
      ['userName eq "carol@contoso.com"', ['carol@contoso.com']],
      ['userName eq "0f6b5e92-6c4b-4a8b-9e1a-2d7a1c0b4f11"', []],
      ['userName eq "dan@example.com"', []],
      ['externalId eq "ext-ada"', []],
      ['externalId eq Ext-Ada', ['Ada.Lovelace@contoso.com']],
      ['emails[type eq "work"].value eq "BOB@fabrikam.com"', ['OMalley']],
      ['emails.value eq "ada@example.org"', ['Ada.Lovelace@contoso.com']],
      [
        'name.FamilyName eq Employee and (emails.Value co contoso.com or emails.Value co example.org)',
        ['Ada.Lovelace@contoso.com'],
      ],
      ['userName sw O', ['OMalley']],
      ['userName ew "@contoso.com"', ['Ada.Lovelace@contoso.com', 'carol@contoso.com']],
      ['title co "100%_"', ['carol@contoso.com']],
      ['title co "%"', ['carol@contoso.com']],
      ['title pr', ['Ada.Lovelace@contoso.com', 'carol@contoso.com']],
      ['not (title pr)', ['OMalley']],
      ['title eq null', ['OMalley']],
      ['title ne "Engineer"', ['OMalley', 'carol@contoso.com']],
      ['active eq false', ['OMalley']],
      ['active eq "True"', ['Ada.Lovelace@contoso.com', 'carol@contoso.com']],
      ['active ne true', ['OMalley']],
      ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "r&d"', ['Ada.Lovelace@contoso.com']],
      [
        'addresses[type eq "work"].locality eq "berlin" and active eq true',
        ['Ada.Lovelace@contoso.com', 'carol@contoso.com'],
      ],
      ['meta.created gt 2026-01-15T00:00:00Z', ['OMalley', 'carol@contoso.com']],
      ['meta.lastModified le "2026-02-01T00:00:00.0000000Z"', ['Ada.Lovelace@contoso.com', 'OMalley']],
      ['userName gt "c"', ['OMalley', 'carol@contoso.com']],
      ['id eq "not-a-uuid"', []],
      ['id ne "not-a-uuid" and department pr', ['Ada.Lovelace@contoso.com', 'OMalley']],
      [
        'department eq "Sales" or addresses[type eq "work"].locality eq "Berlin"',
        ['Ada.Lovelace@contoso.com', 'OMalley', 'carol@contoso.com'],
      ],
    ]),
  )('%s', async (filter, expected) => {
    expect((await find(filter)).sort()).toEqual([...expected].sort());
  });

  it('finds a user by its id and by its manager, compared exactly', async () => {
    expect(await find(`id eq "${ids['carol@contoso.com']}"`)).toEqual(['carol@contoso.com']);
    expect(await find(`manager eq "${ids['ada@contoso.com']}"`)).toEqual(['OMalley']);
    expect(await find(`id eq "${ids['dan@example.com']}"`)).toEqual([]);
  });

  it('passes every value as a parameter, never in the SQL text', () => {
    const { sql, params } = filterSql(
      planFilter(`userName eq "x'; drop table hr_user; --" or title co "a\\"b"`, USER_FILTER),
      USER_COLUMNS,
    );
    expect(sql).not.toContain('drop table');
    expect(params).toEqual([`x'; drop table hr_user; --`, '%a"b%']);
  });

  it('pages from startIndex in creation order, with the total beside each page', async () => {
    const reader = new PgScimUserReader(orm.em.fork());
    const first = await reader.list(null, { startIndex: 1, count: 2 });
    expect([first.total, first.items.map((u) => u.userName)]).toEqual([3, ['Ada.Lovelace@contoso.com', 'OMalley']]);
    const last = await reader.list(null, { startIndex: 3, count: 2 });
    expect([last.total, last.items.map((u) => u.userName)]).toEqual([3, ['carol@contoso.com']]);
    expect(await reader.list(null, { startIndex: 9, count: 2 })).toEqual({ total: 3, items: [] });
    expect(await reader.list(null, { startIndex: 1, count: 0 })).toEqual({ total: 3, items: [] });
  });

  it("answers Entra's userName look-up through the expression index", async () => {
    const condition = filterSql(planFilter('userName eq "carol@contoso.com"', USER_FILTER), USER_COLUMNS);
    const em = orm.em.fork();
    await em.execute('set enable_seqscan = off');
    const plan = await em.execute<Array<{ 'QUERY PLAN': string }>>(
      `explain select u.id from hr_user u where u.scim_removed_at is null and ${condition.sql}`,
      condition.params,
    );
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('hr_user_scim_user_name_unique');
  });
});
