import type { NeverSyncedPolicy } from '../domain/deactivation.js';
import type { Repositories } from './ports/repositories.port.js';

/**
 * Who a run may deactivate (docs/rules.md#31-leavers-are-deactivated-never-deleted, 3.3): the
 * members of the synced groups stay, through nested groups when they are followed.
 */
export interface SyncScope {
  /** Ordered by id. */
  syncedGroupIds: string[];
  followNestedGroups: boolean;
  neverSyncedPolicy: NeverSyncedPolicy;
}

/** The scope as the settings and the synced groups say now. */
export async function readSyncScope(repos: Pick<Repositories, 'settings' | 'syncedGroups'>): Promise<SyncScope> {
  const { followNestedGroups, neverSyncedPolicy } = await repos.settings.read();
  return { syncedGroupIds: await repos.syncedGroups.ids(), followNestedGroups, neverSyncedPolicy };
}
