import { OWNABLE_HR_FIELDS, WRITE_BACK_HR_FIELDS } from '../domain/hr-field.catalogue.js';
import { SETTING_NAMES, type IntegrationSettings, type SettingName } from '../domain/integration-settings.js';
import type { ChangeAction } from '../domain/write-back-changes.js';
import { findOwnershipConflicts } from '../domain/ownership.js';
import { settingsWarnings, type SettingsWarning } from '../domain/settings-effect.js';
import { AppError, type FieldIssue } from './app-error.js';
import type { AuditEntry } from './ports/audit-log.port.js';
import type { Repositories } from './ports/repositories.port.js';
import type { StoredSettings } from './ports/settings.port.js';
import { WRITE_BACK_TOGGLES } from './write-back-outbox.service.js';

export { SCHEDULE_SETTINGS } from '../domain/integration-settings.js';

/** Fields whose owner the admin chooses (rule 2.4), from the field catalogue. */
export const OWNABLE_FIELDS: readonly string[] = OWNABLE_HR_FIELDS;
/** Fields the admin may permit for write-back (rule 4.1), from the field catalogue; anything else is never written. */
export const WRITE_BACK_FIELDS: readonly string[] = WRITE_BACK_HR_FIELDS;

export type SettingsValues = IntegrationSettings;
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

const SECRET = 'notifyWebhookSecret';

/** The integration settings (one row): read, and changed as a whole with an audit row per changed setting. */
export class SettingsService {
  constructor(
    private readonly repos: Repositories,
    private readonly box: Sealer,
  ) {}

  /** The settings that cannot take effect as things stand, and why (an empty list when all can). */
  async warnings(settings: SettingsView, environment: SettingsEnvironment): Promise<SettingsWarning[]> {
    return settingsWarnings(settings, {
      smtpConfigured: environment.smtpConfigured,
      connected: environment.connected(),
      syncedGroups: await this.repos.syncedGroups.count(),
      roleMappings: await this.repos.roleMappings.count(),
    });
  }

  async get(): Promise<SettingsView> {
    return view(await this.repos.settings.read());
  }

  /** Validates the result as a whole, applies it in one transaction, and names the settings that changed. */
  async update(patch: SettingsPatch, actorId: string | null): Promise<{ settings: SettingsView; changed: string[] }> {
    return this.repos.transaction(async (tx) => {
      const current = await tx.settings.readForUpdate();
      const { [SECRET]: secret, ...values } = patch;
      const next: SettingsValues = { ...current, ...normalise(values) };
      assertNoOwnershipConflicts(next, patch);
      const changed = SETTING_NAMES.filter((name) => name in values && stable(current[name]) !== stable(next[name]));
      const audit: AuditEntry[] = changed.map((name) => ({
        actorId,
        action: 'settings.update',
        target: name,
        oldValue: current[name],
        newValue: next[name],
      }));
      let sealed: string | null | undefined;
      if (secret !== undefined && this.secretChanges(current.sealedWebhookSecret, secret)) {
        sealed = secret === null ? null : this.box.seal(secret);
        // The audit log says only that the secret was set or cleared, never a value.
        audit.push({
          actorId,
          action: 'settings.update',
          target: SECRET,
          oldValue: current.sealedWebhookSecret ? '[set]' : null,
          newValue: secret === null ? '[cleared]' : '[set]',
        });
      }
      if (audit.length) {
        await tx.settings.write(Object.fromEntries(changed.map((name) => [name, next[name]])), sealed);
        await tx.audit.record(audit);
      }
      // Rule 4.6: switching a write-back toggle off stops its changes at once, shown as cancelled.
      for (const [action, toggle] of Object.entries(WRITE_BACK_TOGGLES) as Array<[ChangeAction, SettingName]>) {
        if (current[toggle] && !next[toggle])
          await tx.writeBack.cancelPending(
            action,
            `${toggle} was switched off before this change was sent (rule 4.6).`,
          );
      }
      return { settings: view(await tx.settings.read()), changed: audit.map((entry) => entry.target!) };
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

function view({ sealedWebhookSecret, ...settings }: StoredSettings): SettingsView {
  return { ...settings, notifyWebhookSecretSet: sealedWebhookSecret !== null };
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
