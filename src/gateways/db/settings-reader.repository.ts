import type { EntityManager } from '@mikro-orm/postgresql';
import type { FeatureSettings } from '../../application/connection-credential.js';
import type { NeverSyncedPolicy } from '../../domain/deactivation.js';
import type { ScheduleSettings, SettingsReader, SyncScope } from '../../application/ports/settings-reader.port.js';

/** integration_settings (one row, id 1), as far as the schedule and the connection test read it. */
export class PgSettingsReader implements SettingsReader {
  constructor(private readonly em: EntityManager) {}

  async schedule(): Promise<ScheduleSettings> {
    const [row] = await this.em.execute<
      { auto_sync: boolean; sync_interval: string; full_reconciliation_interval: string }[]
    >('select auto_sync, sync_interval, full_reconciliation_interval from integration_settings where id = 1');
    return {
      autoSync: row!.auto_sync,
      syncInterval: row!.sync_interval,
      fullReconciliationInterval: row!.full_reconciliation_interval,
    };
  }

  async features(): Promise<FeatureSettings> {
    const [row] = await this.em.execute<FeatureSettings[]>(
      'select write_back_update, write_back_create, write_back_delete, calendar_sync from integration_settings where id = 1',
    );
    return row!;
  }

  async scope(): Promise<SyncScope> {
    const [row] = await this.em.execute<{ follow_nested_groups: boolean; never_synced_policy: NeverSyncedPolicy }[]>(
      'select follow_nested_groups, never_synced_policy from integration_settings where id = 1',
    );
    const groups = await this.em.execute<{ entra_group_id: string }[]>(
      'select entra_group_id from synced_group order by entra_group_id',
    );
    return {
      syncedGroupIds: groups.map((g) => g.entra_group_id),
      followNestedGroups: row!.follow_nested_groups,
      neverSyncedPolicy: row!.never_synced_policy,
    };
  }
}
