import pg from 'pg';
import { AdvisoryChannelLocks } from '../../../src/gateways/db/channel-locks.js';
import { HR_FIELD_COLUMNS } from '../../../src/gateways/db/hr-columns.js';
import { inboundStores } from '../../../src/gateways/db/inbound-stores.js';
import { openOrm } from '../../../src/gateways/db/orm.js';
import { PgSettingsRepository } from '../../../src/gateways/db/settings.repository.js';
import { SyncRunRepository } from '../../../src/gateways/db/sync-run.repository.js';
import { createTestDatabase, endPool } from '../database.js';
import type { BackendFactory, HrUserView } from './inbound-backend.js';

/**
 * The PostgreSQL repositories (src/gateways/db/inbound-stores.ts) on a database of the case's own,
 * a copy of the migrated template; the scene is set with SQL, as an admin's writes would leave it.
 */
export const postgresBackend: BackendFactory = async () => {
  const db = await createTestDatabase();
  const orm = await openOrm({ clientUrl: db.url, poolSize: 2 });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const sql = <T extends object>(text: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(text, params);
  return {
    stores: () => inboundStores(orm.em.fork()),
    locks: new AdvisoryChannelLocks(pool),
    seed: {
      settings: (values) => new PgSettingsRepository(orm.em.fork()).write(values),
      syncedGroup: async (id) =>
        void (await sql(`insert into synced_group (entra_group_id, display_name) values (?, ?)`, [id, id])),
      role: async (name, isProtected = false) =>
        (
          await sql<{ id: string }>('insert into role (name, protected) values (?, ?) returning id', [
            name,
            isProtected,
          ])
        )[0]!.id,
      mapGroup: async (group, role) =>
        void (await sql(
          'insert into group_role_mapping (entra_group_id, group_display_name, role_id) values (?, ?, ?)',
          [group, group, role],
        )),
      hrUser: async (user) => {
        const fields = Object.entries(user.values ?? {});
        const columns = fields.map(([f]) => `, ${HR_FIELD_COLUMNS[f as keyof typeof HR_FIELD_COLUMNS]}`).join('');
        const [{ id }] = (await sql<{ id: string }>(
          `insert into hr_user (email, entra_id, active, last_changed_at, custom_fields${columns})
           values (?, ?, ?, now() - make_interval(mins => ?::int), ?${fields.map((f) => (f[0] === 'hireDate' ? ', ?::date' : ', ?')).join('')}) returning id`,
          [
            user.email,
            user.entraId ?? null,
            user.active ?? true,
            // null minutes: a null interval, so never changed.
            user.changedMinutesAgo ?? null,
            JSON.stringify(user.custom ?? {}),
            ...fields.map(([, v]) => v),
          ],
        )) as [{ id: string }];
        if (user.profile)
          await sql(
            `insert into employee_profile (hr_user_id, email, first_name, last_name, employment_status) values (?, ?, 'First', 'Last', ?)`,
            [id, user.email, user.profile],
          );
        for (const role of user.roles ?? [])
          await sql('insert into user_role (hr_user_id, role_id) values (?, ?)', [id, role]);
        return id;
      },
      queuedRun: async (trigger, mode) =>
        (await new SyncRunRepository(orm.em.fork()).queue(trigger, mode, null)).run.id,
      requestCancel: async (runId) => void (await new SyncRunRepository(orm.em.fork()).requestCancel(runId, null)),
    },
    hrUser: async (id) => {
      const [row] = await sql<HrUserView>(
        `select active, deactivated_reason as "deactivatedReason", entra_id as "entraId", manager_id as "managerId",
                last_change_origin as "lastChangeOrigin" from hr_user where id = ?`,
        [id],
      );
      return row!;
    },
    close: async () => {
      await endPool(pool);
      await orm.close();
      await db.drop();
    },
  };
};
