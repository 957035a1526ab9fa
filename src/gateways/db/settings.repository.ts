import type { EntityManager } from '@mikro-orm/postgresql';
import type { SettingsRepository, StoredSettings } from '../../application/ports/settings.port.js';
import { SETTING_NAMES, type IntegrationSettings, type SettingName } from '../../domain/integration-settings.js';
import { snakeCase } from './hr-columns.js';
import { isoUtc } from './sql-time.js';

/** A setting's column is its name in snake_case (autoSync -> auto_sync), as for the HR fields. */
export const SETTING_COLUMNS = Object.fromEntries(SETTING_NAMES.map((name) => [name, snakeCase(name)])) as Readonly<
  Record<SettingName, string>
>;
const JSON_SETTINGS: ReadonlySet<SettingName> = new Set(['writeBackFields', 'attributeMapping', 'fieldOwners']);

const SELECT = `select ${SETTING_NAMES.map((name) => `${SETTING_COLUMNS[name]} as "${name}"`).join(', ')},
  notify_webhook_secret_encrypted as "sealedWebhookSecret", ${isoUtc('updated_at')} as "updatedAt"
  from integration_settings where id = 1`;

/**
 * integration_settings, one row (id 1) made by the first migration: the one place that reads or
 * writes it. Every reader gets the whole typed row; the settings are few and read once per
 * request or run.
 */
export class PgSettingsRepository implements SettingsRepository {
  constructor(private readonly em: EntityManager) {}

  read(): Promise<StoredSettings> {
    return this.select('');
  }

  readForUpdate(): Promise<StoredSettings> {
    return this.select(' for update');
  }

  async write(values: Partial<IntegrationSettings>, sealedWebhookSecret?: string | null): Promise<void> {
    const names = SETTING_NAMES.filter((name) => values[name] !== undefined);
    const sets = names.map((name) => `${SETTING_COLUMNS[name]} = ?${JSON_SETTINGS.has(name) ? '::jsonb' : ''}`);
    const params: unknown[] = names.map((name) =>
      JSON_SETTINGS.has(name) ? JSON.stringify(values[name]) : values[name],
    );
    // Invitations go to users created from the moment the switch goes on (docs/rules.md §8.4); the
    // right-hand sides read the row as it was before this update.
    if (values.invitations !== undefined) {
      sets.push('invitations_since = case when ?::boolean and not invitations then now() else invitations_since end');
      params.push(values.invitations);
    }
    if (sealedWebhookSecret !== undefined) {
      sets.push('notify_webhook_secret_encrypted = ?');
      params.push(sealedWebhookSecret);
    }
    if (sets.length === 0) return;
    await this.em.execute(
      `update integration_settings set ${sets.join(', ')}, updated_at = now() where id = 1`,
      params,
    );
  }

  private async select(lock: string): Promise<StoredSettings> {
    const [row] = await this.em.execute<StoredSettings[]>(`${SELECT}${lock}`);
    // double precision comes back as a number from pg, but a numeric string must not slip through.
    return { ...row!, guardThreshold: Number(row!.guardThreshold) };
  }
}
