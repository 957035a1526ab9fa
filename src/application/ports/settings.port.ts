import type { IntegrationSettings } from '../../domain/integration-settings.js';

/** The settings as stored: with the webhook secret sealed (never shown) and when they last changed. */
export interface StoredSettings extends IntegrationSettings {
  sealedWebhookSecret: string | null;
  /** ISO 8601 UTC. */
  updatedAt: string;
}

/**
 * The integration settings, one typed row: the only way the application, the sync, the schedule
 * and the notifier read them, and the settings service changes them.
 */
export interface SettingsRepository {
  read(): Promise<StoredSettings>;
  /** Read and locked until the caller's transaction ends, so two changes apply one after the other. */
  readForUpdate(): Promise<StoredSettings>;
  /**
   * Stores the settings given (absent ones keep their value) and, when given, the sealed webhook
   * secret (null clears it); marks the row changed now.
   */
  write(values: Partial<IntegrationSettings>, sealedWebhookSecret?: string | null): Promise<void>;
}
