import type { FeatureSettings } from '../connection-credential.js';

/** When the recurring jobs run (settings autoSync, syncInterval, fullReconciliationInterval). */
export interface ScheduleSettings {
  autoSync: boolean;
  /** A duration as the settings hold it: '30 minutes'. */
  syncInterval: string;
  fullReconciliationInterval: string;
}

/**
 * The integration settings that the composition root, the sync status and the connection test
 * read. The settings service owns their changes.
 */
export interface SettingsReader {
  schedule(): Promise<ScheduleSettings>;
  /** The features whose Graph permissions a connection test asks for. */
  features(): Promise<FeatureSettings>;
}
