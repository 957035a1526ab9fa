import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SETTING_NAMES } from '../../../src/domain/integration-settings.js';
import { openOrm, type Orm } from '../../../src/gateways/db/orm.js';
import { PgSettingsRepository, SETTING_COLUMNS } from '../../../src/gateways/db/settings.repository.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

describe('PgSettingsRepository: the one typed reader and writer of integration_settings', () => {
  let db: TestDatabase;
  let orm: Orm;
  const repository = () => new PgSettingsRepository(orm.em.fork());
  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openOrm({ clientUrl: db.url, poolSize: 2 });
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  it('has a column for every setting, named after it in snake_case', async () => {
    const rows = await orm.em
      .fork()
      .execute<{ column_name: string }[]>(
        `select column_name from information_schema.columns where table_name = 'integration_settings'`,
      );
    const columns = rows.map((r) => r.column_name);
    for (const name of SETTING_NAMES) expect(columns).toContain(SETTING_COLUMNS[name]);
    expect(SETTING_COLUMNS.fullReconciliationInterval).toBe('full_reconciliation_interval');
  });

  it('reads the defaults the migration stores, typed', async () => {
    const settings = await repository().read();
    expect(settings).toMatchObject({
      autoSync: true,
      syncInterval: '30 minutes',
      fullReconciliationInterval: '7 days',
      followNestedGroups: true,
      neverSyncedPolicy: 'leave-alone',
      guardThreshold: 0.1,
      roleSync: false,
      writeBackFields: [],
      attributeMapping: [],
      fieldOwners: {},
      notifyEmail: null,
      sealedWebhookSecret: null,
    });
    expect(settings.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('writes only the settings given, JSON ones as JSON, and the sealed secret when given', async () => {
    const before = await repository().read();
    await repository().write({
      guardThreshold: 0.25,
      writeBackFields: ['city'],
      fieldOwners: { city: 'hr' },
      notifyEmail: 'ops@contoso.com',
    });
    let after = await repository().read();
    expect(after).toMatchObject({
      guardThreshold: 0.25,
      writeBackFields: ['city'],
      fieldOwners: { city: 'hr' },
      notifyEmail: 'ops@contoso.com',
      autoSync: before.autoSync,
      sealedWebhookSecret: null,
    });
    await repository().write({}, 'sealed-value');
    expect((await repository().read()).sealedWebhookSecret).toBe('sealed-value');
    await repository().write({ notifyEmail: null }, null);
    after = await repository().read();
    expect(after).toMatchObject({ notifyEmail: null, sealedWebhookSecret: null, guardThreshold: 0.25 });
  });
});
