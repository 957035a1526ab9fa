import type { EntityManager } from '@mikro-orm/postgresql';
import type { SyncedGroupRepository, SyncedGroupView } from '../../application/ports/synced-group.port.js';

/** The synced groups in PostgreSQL. */
export class PgSyncedGroupRepository implements SyncedGroupRepository {
  constructor(private readonly em: EntityManager) {}

  async list(): Promise<SyncedGroupView[]> {
    return this.em.execute<SyncedGroupView[]>(
      'select entra_group_id as id, display_name as "displayName" from synced_group order by display_name',
    );
  }

  async ids(): Promise<string[]> {
    const rows = await this.em.execute<{ id: string }[]>(
      'select entra_group_id as id from synced_group order by entra_group_id',
    );
    return rows.map((r) => r.id);
  }

  async count(): Promise<number> {
    const [row] = await this.em.execute<{ n: string }[]>('select count(*) as n from synced_group');
    return Number(row!.n);
  }

  async replace(groups: Array<{ id: string; displayName: string }>): Promise<void> {
    await this.em.execute(
      'delete from synced_group where entra_group_id not in (select jsonb_array_elements_text(?::jsonb))',
      [JSON.stringify(groups.map((g) => g.id))],
    );
    await this.em.execute(
      `insert into synced_group (entra_group_id, display_name) select x.id, x.name from jsonb_to_recordset(?::jsonb) as x(id text, name text)
       on conflict (entra_group_id) do update set display_name = excluded.display_name`,
      [JSON.stringify(groups.map((g) => ({ id: g.id, name: g.displayName })))],
    );
  }

  async add(group: { id: string; displayName: string }): Promise<void> {
    await this.em.execute(
      'insert into synced_group (entra_group_id, display_name) values (?, ?) on conflict do nothing',
      [group.id, group.displayName],
    );
  }
}
