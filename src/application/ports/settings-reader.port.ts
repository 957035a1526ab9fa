import type { NeverSyncedPolicy } from '../../domain/deactivation.js';
import type { FeatureSettings } from '../connection-credential.js';

/** When the recurring jobs run (settings autoSync, syncInterval, fullReconciliationInterval). */
export interface ScheduleSettings {
  autoSync: boolean;
  /** A duration as the settings hold it: '30 minutes'. */
  syncInterval: string;
  fullReconciliationInterval: string;
}

/** Who a run may deactivate: the members of the synced groups (nested ones too when followed) stay. */
export interface SyncScope {
  syncedGroupIds: string[];
  followNestedGroups: boolean;
  neverSyncedPolicy: NeverSyncedPolicy;
}

/**
 * The integration settings that the composition root, the sync status, the connection test,
 * held runs and the reconciliation report read. The settings service owns their changes.
 */
export interface SettingsReader {
  schedule(): Promise<ScheduleSettings>;
  /** The features whose Graph permissions a connection test asks for. */
  features(): Promise<FeatureSettings>;
  scope(): Promise<SyncScope>;
}
