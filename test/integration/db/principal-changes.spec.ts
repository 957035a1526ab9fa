import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { listenTo, PRINCIPAL_CHANNEL, type KeptConnection } from '../../../src/gateways/db/kept-connection.js';
import { openOrm, type Orm } from '../../../src/gateways/db/orm.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

/**
 * The notifications that make every instance forget the token holders it remembers
 * (src/application/principal-cache.ts): each change of a token, a user's e-mail or status, or a
 * role notifies once it commits; the once-a-minute write of a token's last use does not.
 */
describe('changes of who a token is notify ehc_principals', () => {
  let db: TestDatabase;
  let orm: Orm;
  let listener: KeptConnection;
  let heard = 0;
  let marked = false;
  const sql = (text: string) => orm.em.fork().execute(text);
  /**
   * How many notifications a statement caused: a marked notification follows it, and
   * notifications arrive in commit order, so the count is complete when the mark arrives.
   */
  const notifies = async (text: string) => {
    heard = 0;
    marked = false;
    await sql(text);
    await sql(`select pg_notify('${PRINCIPAL_CHANNEL}', 'mark')`);
    for (let waited = 0; !marked && waited < 10_000; waited += 20)
      await new Promise((resolve) => setTimeout(resolve, 20));
    return heard;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openOrm({ clientUrl: db.url, poolSize: 2 });
    listener = await listenTo(
      db.url,
      PRINCIPAL_CHANNEL,
      { notified: (payload) => (payload === 'mark' ? (marked = true) : heard++) },
      pino({ level: 'silent' }),
    );
    await sql(`insert into hr_user (id, email) values ('00000000-0000-4000-8000-000000000001', 'ada@contoso.com')`);
    await sql(`insert into api_token (id, token_hash, hr_user_id, name, scope)
      values ('00000000-0000-4000-8000-000000000002', 'h', '00000000-0000-4000-8000-000000000001', 't', 'scim')`);
  });
  afterAll(async () => {
    await listener?.close();
    await orm.close();
    await db.drop();
  });

  it.each([
    [`update api_token set revoked_at = now()`],
    [`update api_token set expires_at = now() + interval '1 day'`],
    [`update hr_user set active = false`],
    [`update hr_user set email = 'ada.l@contoso.com'`],
    [`insert into user_role (hr_user_id, role_id) select '00000000-0000-4000-8000-000000000001', id from role limit 1`],
    [`delete from user_role`],
    [`update role set name = name`],
  ])('%s notifies', async (statement) => {
    expect(await notifies(statement)).toBe(1);
  });

  it('the last use of a token, or another column of a user, notifies nothing', async () => {
    expect(await notifies(`update api_token set last_used_at = now()`)).toBe(0);
    expect(await notifies(`update hr_user set job_title = 'Engineer'`)).toBe(0);
  });
});
