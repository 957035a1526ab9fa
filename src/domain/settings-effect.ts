/**
 * Settings an admin can store but that cannot take effect as things stand: the API answers them
 * as warnings beside the settings, so a choice that does nothing is never silent (issue: "a first
 * day that explains itself"). Pure: the caller gathers the facts.
 */
import { pullRuns, type UserSource } from './user-source.js';

export interface SettingsInEffect {
  autoSync: boolean;
  roleSync: boolean;
  writeBackUpdate: boolean;
  writeBackCreate: boolean;
  writeBackDelete: boolean;
  writeBackFields: readonly string[];
  writeBackCreateDomain: string | null;
  calendarSync: boolean;
  invitations: boolean;
  notifyEmail: string | null;
  notifyWebhookUrl: string | null;
  notifyWebhookSecretSet: boolean;
  userSource: UserSource;
}

/** What the service knows beyond the settings row. */
export interface SettingsFacts {
  /** SMTP_URL is configured, so e-mail can be sent at all. */
  smtpConfigured: boolean;
  /** An Entra connection is in use (configuration, stored, or the demo emulator). */
  connected: boolean;
  syncedGroups: number;
  roleMappings: number;
}

export type SettingsWarningCode =
  | 'smtp-not-configured'
  | 'role-sync-off'
  | 'no-role-mappings'
  | 'write-back-update-off'
  | 'no-create-domain'
  | 'webhook-secret-without-url'
  | 'no-synced-groups'
  | 'not-connected'
  | 'pull-off';

export interface SettingsWarning {
  /** The setting that cannot take effect. */
  setting: string;
  code: SettingsWarningCode;
  message: string;
}

export function settingsWarnings(settings: SettingsInEffect, facts: SettingsFacts): SettingsWarning[] {
  const warnings: SettingsWarning[] = [];
  const warn = (setting: string, code: SettingsWarningCode, message: string) =>
    warnings.push({ setting, code, message });
  if (settings.notifyEmail && !facts.smtpConfigured) {
    warn(
      'notifyEmail',
      'smtp-not-configured',
      'No e-mail is sent: SMTP_URL is not configured on the service, so notifications go only to the webhook, if one is set.',
    );
  }
  if (settings.invitations && !facts.smtpConfigured) {
    warn(
      'invitations',
      'smtp-not-configured',
      'No invitation is sent: SMTP_URL is not configured on the service. Invitations wait until it is, and the admin sees them as pending.',
    );
  }
  if (settings.notifyWebhookSecretSet && !settings.notifyWebhookUrl) {
    warn(
      'notifyWebhookSecret',
      'webhook-secret-without-url',
      'The webhook secret is set but no webhook URL is, so nothing is signed or sent.',
    );
  }
  if (!settings.roleSync && facts.roleMappings > 0) {
    warn(
      'roleSync',
      'role-sync-off',
      `${facts.roleMappings} Entra ${plural(facts.roleMappings, 'group is', 'groups are')} mapped to HR roles, but role sync is off: the sync changes no roles until roleSync is true.`,
    );
  }
  if (settings.roleSync && facts.roleMappings === 0) {
    warn(
      'roleSync',
      'no-role-mappings',
      'Role sync is on, but no Entra group is mapped to an HR role (POST /api/admin/role-mappings), so no role changes.',
    );
  }
  if (settings.writeBackFields.length > 0 && !settings.writeBackUpdate) {
    warn(
      'writeBackFields',
      'write-back-update-off',
      'Fields are permitted for write-back, but writeBackUpdate is off, so none is written to Entra.',
    );
  }
  if (settings.writeBackCreate && !settings.writeBackCreateDomain) {
    warn(
      'writeBackCreateDomain',
      'no-create-domain',
      'writeBackCreate is on, but no verified domain is chosen for the new users (GET /api/admin/write-back/domains), so none is created in Entra.',
    );
  }
  if (!pullRuns(settings.userSource)) {
    // The Graph sync's own warnings (connection, synced groups) would speak of a sync that does not run.
    warn(
      'userSource',
      'pull-off',
      "The Graph user sync is off: userSource is push, so HR users come only from the SCIM pushes of Entra's provisioning service. No sync is scheduled, and sync now, a preview and a one-user sync are refused. Set userSource to both (or pull) to run it again (docs/rules.md section 7.5).",
    );
  } else if (!facts.connected) {
    warn(
      'autoSync',
      'not-connected',
      'No Entra connection is configured (PUT /api/admin/connection), so no sync runs, scheduled or not.',
    );
  } else if (facts.syncedGroups === 0) {
    warn(
      'autoSync',
      'no-synced-groups',
      'No synced group is chosen (PUT /api/admin/synced-groups), so a sync finds nobody to create or update.',
    );
  }
  return warnings;
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
