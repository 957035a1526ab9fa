import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ProvisionedUser } from '../../../src/application/ports/scim.port.js';
import { openOrm, type Orm } from '../../../src/gateways/db/orm.js';
import { repositoriesFor } from '../../../src/gateways/db/repositories.js';
import type { UserOutcome } from '../../../src/sync/inbound/apply.ports.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

/**
 * A SCIM push's writes of the HR user (docs/rules.md section 7): each is one statement that also
 * records what it changed in the day's SCIM run and answers the user as SCIM reads it, so Entra's
 * initial cycle costs one round trip per created user.
 */
describe('the HR user repository writes a push and its history in one statement', () => {
  let db: TestDatabase;
  let orm: Orm;
  const repos = () => repositoriesFor(orm.em.fork());
  const pushed = (userName: string): ProvisionedUser => ({
    userName,
    externalId: `ext-${userName}`,
    attributes: { nickName: 'Ada' },
    email: userName,
    fields: { firstName: 'Ada', lastName: 'Lovelace', displayName: 'Ada Lovelace', jobTitle: 'Engineer' },
    managerId: null,
    active: true,
    deactivatedReason: null,
  });
  const created = (email: string): UserOutcome => ({
    hrUserId: null,
    entraId: null,
    email,
    outcome: 'created',
    changes: [{ field: 'userName', old: null, new: email }],
    reason: null,
  });
  const outcomesOf = (email: string) =>
    orm.em
      .fork()
      .execute<Array<{ hrUserId: string; outcome: string; trigger: string }>>(
        `select o.hr_user_id as "hrUserId", o.outcome, r.trigger from sync_run_outcome o join sync_run r on r.id = o.run_id where o.email = ?`,
        [email],
      );
  const setUserSource = (source: string) =>
    orm.em.fork().execute('update integration_settings set user_source = ? where id = 1', [source]);

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openOrm({ clientUrl: db.url, poolSize: 2 });
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  it('creates the user with its record in the SCIM run and answers it as SCIM reads it', async () => {
    await setUserSource('push');
    const record = await repos().hrUsers.createProvisioned(
      pushed('ada@contoso.com'),
      'scim',
      ['push', 'both'],
      created('ada@contoso.com'),
    );
    expect(record).toMatchObject({
      userName: 'ada@contoso.com',
      externalId: 'ext-ada@contoso.com',
      active: true,
      fields: { firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'Engineer', email: 'ada@contoso.com' },
      attributes: { nickName: 'Ada' },
      created: expect.stringMatching(/Z$/),
    });
    expect(await repos().scimUsers.get(record!.id)).toEqual(record);
    expect(await outcomesOf('ada@contoso.com')).toEqual([
      { hrUserId: record!.id, outcome: 'created', trigger: 'scim' },
    ]);
  });

  it('creates nothing and records nothing when the userName or e-mail is taken, or the setting refuses', async () => {
    await setUserSource('push');
    const taken = await repos().hrUsers.createProvisioned(
      { ...pushed('ADA@contoso.com'), email: 'other@contoso.com' },
      'scim',
      ['push', 'both'],
      created('other@contoso.com'),
    );
    expect(taken).toBeNull();
    expect(await outcomesOf('other@contoso.com')).toEqual([]);
    await setUserSource('pull');
    const refused = await repos().hrUsers.createProvisioned(
      pushed('grace@contoso.com'),
      'scim',
      ['push', 'both'],
      created('grace@contoso.com'),
    );
    expect(refused).toBeNull();
    const [{ n }] = await orm.em
      .fork()
      .execute<[{ n: string }]>(`select count(*) as n from hr_user where email = 'grace@contoso.com'`);
    expect(Number(n)).toBe(0);
    expect(await outcomesOf('grace@contoso.com')).toEqual([]);
  });

  it('changes a user with its record and answers it; a taken userName is "taken" and changes nothing', async () => {
    await setUserSource('push');
    const grace = (await repos().hrUsers.createProvisioned(
      pushed('grace@contoso.com'),
      'scim',
      ['push'],
      created('grace@contoso.com'),
    ))!;
    const changed = await repos().transaction((tx) =>
      tx.hrUsers.writeProvisioned(
        grace.id,
        { fields: { jobTitle: 'Admiral' }, status: { active: false, reason: 'inactive-in-provisioning' } },
        'scim',
        [{ ...created('grace@contoso.com'), hrUserId: grace.id, outcome: 'deactivated' }],
      ),
    );
    expect(changed).toMatchObject({ id: grace.id, active: false, fields: { jobTitle: 'Admiral' } });
    expect(await repos().scimUsers.get(grace.id)).toEqual(changed);
    expect((await outcomesOf('grace@contoso.com')).map((o) => o.outcome)).toEqual(['created', 'deactivated']);

    const identity = { userName: 'Ada@Contoso.com', externalId: null, attributes: null };
    await expect(
      repos().transaction((tx) => tx.hrUsers.writeProvisioned(grace.id, { identity }, 'scim', [])),
    ).resolves.toBe('taken');
    expect(await repos().scimUsers.get(grace.id)).toEqual(changed);
  });

  it('writes with a stamp only while the user, the settings and its employee profile are as read; "stale" otherwise', async () => {
    await setUserSource('push');
    const { id } = (await repos().hrUsers.createProvisioned(
      pushed('alan@contoso.com'),
      'scim',
      ['push'],
      created('alan@contoso.com'),
    ))!;
    const write = (stamp: string, jobTitle: string) =>
      repos().hrUsers.writeProvisioned(
        id,
        { fields: { jobTitle } },
        'scim',
        [{ ...created('alan@contoso.com'), hrUserId: id, outcome: 'updated' }],
        stamp,
      );
    const read = await repos().scimUsers.read(id);
    expect(await write(read!.stamp, 'Mathematician')).toMatchObject({ fields: { jobTitle: 'Mathematician' } });
    // The user changed since the read (by that very write), then the settings.
    expect(await write(read!.stamp, 'Codebreaker')).toBe('stale');
    const again = await repos().scimUsers.read(id);
    await orm.em
      .fork()
      .execute("update integration_settings set updated_at = now() + interval '1 second' where id = 1");
    expect(await write(again!.stamp, 'Codebreaker')).toBe('stale');
    expect((await repos().scimUsers.get(id))!.fields.jobTitle).toBe('Mathematician');
    expect((await outcomesOf('alan@contoso.com')).map((o) => o.outcome)).toEqual(['created', 'updated']);
    const fresh = await repos().scimUsers.read(id);
    expect(await write(fresh!.stamp, 'Codebreaker')).toMatchObject({ fields: { jobTitle: 'Codebreaker' } });
  });
});
