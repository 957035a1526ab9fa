import type { EntityManager } from '@mikro-orm/postgresql';
import type { CustomAttributeMapping } from '../domain/attribute-mapping.js';
import type { NeverSyncedPolicy } from '../domain/deactivation.js';
import { findOwnershipConflicts, type FieldOwner } from '../domain/ownership.js';
import { AppError, type FieldIssue } from './app-error.js';
import { OWNABLE_HR_FIELDS, WRITE_BACK_HR_FIELDS } from '../domain/hr-field.catalogue.js';
import { PgAuditLog } from '../gateways/db/audit-log.repository.js';
import type { AuditEntry } from './ports/audit-log.port.js';
import { isoUtc } from '../gateways/db/sql-time.js';
import { settingsWarnings, type SettingsWarning } from '../domain/settings-effect.js';

/** Fields whose owner the admin chooses (rule 2.4), from the field catalogue. */
export const OWNABLE_FIELDS: readonly string[] = OWNABLE_HR_FIELDS;
/** Fields the admin may permit for write-back (rule 4.1), from the field catalogue; anything else is never written. */
export const WRITE_BACK_FIELDS: readonly string[] = WRITE_BACK_HR_FIELDS;
/** The settings the recurring jobs' plan depends on; a change to any other setting leaves the next run where it is. */
export const SCHEDULE_SETTINGS: readonly string[] = ['autoSync', 'syncInterval', 'fullReconciliationInterval'];

export interface SettingsValues {
  autoSync: boolean;
  syncInterval: string;
  fullReconciliationInterval: string;
  followNestedGroups: boolean;
  neverSyncedPolicy: NeverSyncedPolicy;
  guardThreshold: number;
  roleSync: boolean;
  writeBackUpdate: boolean;
  writeBackCreate: boolean;
  writeBackDelete: boolean;
  writeBackFields: string[];
  calendarSync: boolean;
  invitations: boolean;
  attributeMapping: CustomAttributeMapping[];
  fieldOwners: Record<string, FieldOwner>;
  notifyEmail: string | null;
  notifyWebhookUrl: string | null;
}
/** What the API shows: every setting, and only whether the webhook secret is set, never the secret. */
export type SettingsView = SettingsValues & { notifyWebhookSecretSet: boolean; updatedAt: string };
/** A partial change; `notifyWebhookSecret` is write-only (null clears it). */
export type SettingsPatch = Partial<SettingsValues> & { notifyWebhookSecret?: string | null };

/** What the settings cannot know themselves, to say which of them cannot take effect. */
export interface SettingsEnvironment {
  smtpConfigured: boolean;
  connected: () => boolean;
}

export interface Sealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

const COLUMNS: Readonly<Record<keyof SettingsValues, string>> = {
  autoSync: 'auto_sync',
  syncInterval: 'sync_interval',
  fullReconciliationInterval: 'full_reconciliation_interval',
  followNestedGroups: 'follow_nested_groups',
  neverSyncedPolicy: 'never_synced_policy',
  guardThreshold: 'guard_threshold',
  roleSync: 'role_sync',
  writeBackUpdate: 'write_back_update',
  writeBackCreate: 'write_back_create',
  writeBackDelete: 'write_back_delete',
  writeBackFields: 'write_back_fields',
  calendarSync: 'calendar_sync',
  invitations: 'invitations',
  attributeMapping: 'attribute_mapping',
  fieldOwners: 'field_owners',
  notifyEmail: 'notify_email',
  notifyWebhookUrl: 'notify_webhook_url',
};
const JSON_COLUMNS = new Set<keyof SettingsValues>(['writeBackFields', 'attributeMapping', 'fieldOwners']);
const SECRET = 'notifyWebhookSecret';
const SELECT = `select ${Object.entries(COLUMNS)
  .map(([name, column]) => `${column} as "${name}"`)
  .join(', ')},
  notify_webhook_secret_encrypted as "sealedSecret", ${isoUtc('updated_at')} as "updatedAt" from integration_settings where id = 1`;

type StoredSettings = SettingsValues & { sealedSecret: string | null; updatedAt: string };

/** The integration settings (one row): read, and changed as a whole with an audit row per changed setting. */
export class SettingsService {
  constructor(
    private readonly em: EntityManager,
    private readonly box: Sealer,
  ) {}

  /** The settings that cannot take effect as things stand, and why (an empty list when all can). */
  async warnings(settings: SettingsView, environment: SettingsEnvironment): Promise<SettingsWarning[]> {
    const [counts] = await this.em.execute<{ groups: string; mappings: string }[]>(
      'select (select count(*) from synced_group) as groups, (select count(*) from group_role_mapping) as mappings',
    );
    return settingsWarnings(settings, {
      smtpConfigured: environment.smtpConfigured,
      connected: environment.connected(),
      syncedGroups: Number(counts!.groups),
      roleMappings: Number(counts!.mappings),
    });
  }

  async get(): Promise<SettingsView> {
    return view(await read(this.em, false));
  }

  /** Validates the result as a whole, applies it in one transaction, and names the settings that changed. */
  async update(patch: SettingsPatch, actorId: string | null): Promise<{ settings: SettingsView; changed: string[] }> {
    return this.em.transactional(async (em) => {
      const current = await read(em, true);
      const { [SECRET]: secret, ...values } = patch;
      const next: SettingsValues = { ...current, ...normalise(values) };
      assertNoOwnershipConflicts(next, patch);
      const changed = (Object.keys(COLUMNS) as Array<keyof SettingsValues>).filter(
        (name) => name in values && stable(current[name]) !== stable(next[name]),
      );
      const sets = changed.map((name) => `${COLUMNS[name]} = ?${JSON_COLUMNS.has(name) ? '::jsonb' : ''}`);
      const params: unknown[] = changed.map((name) =>
        JSON_COLUMNS.has(name) ? JSON.stringify(next[name]) : next[name],
      );
      const audit: AuditEntry[] = changed.map((name) => ({
        actorId,
        action: 'settings.update',
        target: name,
        oldValue: current[name],
        newValue: next[name],
      }));
      if (secret !== undefined && this.secretChanges(current.sealedSecret, secret)) {
        sets.push('notify_webhook_secret_encrypted = ?');
        params.push(secret === null ? null : this.box.seal(secret));
        // The audit log says only that the secret was set or cleared, never a value.
        audit.push({
          actorId,
          action: 'settings.update',
          target: SECRET,
          oldValue: current.sealedSecret ? '[set]' : null,
          newValue: secret === null ? '[cleared]' : '[set]',
        });
      }
      if (sets.length) {
        await em.execute(`update integration_settings set ${sets.join(', ')}, updated_at = now() where id = 1`, params);
        await new PgAuditLog(em).record(audit);
      }
      return { settings: view(await read(em, false)), changed: audit.map((entry) => entry.target!) };
    });
  }

  private secretChanges(sealed: string | null, secret: string | null): boolean {
    if (secret === null || sealed === null) return secret !== sealed;
    try {
      return this.box.open(sealed) !== secret;
    } catch {
      return true; // sealed with a key no longer in use: the new value replaces it
    }
  }
}

async function read(em: EntityManager, forUpdate: boolean): Promise<StoredSettings> {
  const rows = await em.execute<StoredSettings[]>(`${SELECT}${forUpdate ? ' for update' : ''}`);
  return rows[0]!;
}

function view({ sealedSecret, ...settings }: StoredSettings): SettingsView {
  return {
    ...settings,
    guardThreshold: Number(settings.guardThreshold),
    notifyWebhookSecretSet: sealedSecret !== null,
  };
}

/** One spelling per value, so that re-sending the same choice in another order is no change. */
function normalise(values: Partial<SettingsValues>): Partial<SettingsValues> {
  const out = { ...values };
  if (out.writeBackFields)
    out.writeBackFields = WRITE_BACK_FIELDS.filter((field) => out.writeBackFields!.includes(field));
  if (out.fieldOwners)
    out.fieldOwners = Object.fromEntries(Object.entries(out.fieldOwners).sort(([a], [b]) => a.localeCompare(b)));
  return out;
}

/** Rule 4.5: a field Entra owns for every user cannot also be written back to Entra, or it would ping-pong. */
function assertNoOwnershipConflicts(next: SettingsValues, patch: SettingsPatch): void {
  const conflicts = findOwnershipConflicts(next.fieldOwners, next.writeBackFields);
  if (conflicts.length === 0) return;
  const where = [
    ...(patch.fieldOwners ? ['fieldOwners'] : []),
    ...(patch.writeBackFields || !patch.fieldOwners ? ['writeBackFields'] : []),
  ];
  const errors: FieldIssue[] = conflicts.flatMap((field) =>
    where.map((setting) => ({
      path: setting === 'fieldOwners' ? `body.fieldOwners.${field}` : 'body.writeBackFields',
      message: `${field} is owned by Entra for every user, so it cannot also be written back to Entra (rule 4.5): choose another owner or stop writing it back`,
    })),
  );
  throw new AppError('validation_failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
}

/** JSON with sorted keys: jsonb does not keep key order, so plain JSON.stringify could see a change where none is. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
