import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * The integration's settings: one row (id 1). Every toggle of docs/rules.md, sections 2-8 and the
 * interval live here, so the admin API and the jobs read one place.
 */
export const IntegrationSettings = defineEntity({
  name: 'IntegrationSettings',
  tableName: 'integration_settings',
  properties: {
    id: p.integer().primary().autoincrement(false),
    autoSync: p.boolean().default(true),
    syncInterval: p.string().length(32).default('30 minutes'),
    fullReconciliationInterval: p.string().length(32).default('7 days'),
    followNestedGroups: p.boolean().default(true),
    /** 'leave-alone' (default, rule 3.3) or 'deactivate' (Entra is the only source of truth). */
    neverSyncedPolicy: p.string().length(16).default('leave-alone'),
    /** Share of synced users one run may deactivate before it is held (rule 3.6). */
    guardThreshold: p.double().default(0.1),
    roleSync: p.boolean().default(false),
    writeBackUpdate: p.boolean().default(false),
    writeBackCreate: p.boolean().default(false),
    writeBackDelete: p.boolean().default(false),
    writeBackFields: p.json<string[]>().default('[]'),
    /** The verified domain of the user principal names of users write-back creates (rule 4.2). */
    writeBackCreateDomain: p.string().length(255).nullable(),
    /** The synced group users write-back creates are added to (rule 4.2); none when null. */
    writeBackCreateGroupId: p.string().length(64).nullable(),
    calendarSync: p.boolean().default(false),
    invitations: p.boolean().default(false),
    /** When invitations were last switched on: HR users created since then are invited (rule 8.4). */
    invitationsSince: p.datetime().nullable(),
    attributeMapping: p.json<Array<{ source: string; target: string }>>().default('[]'),
    fieldOwners: p.json<Record<string, string>>().default('{}'),
    notifyEmail: p.string().length(320).nullable(),
    notifyWebhookUrl: p.string().length(2048).nullable(),
    notifyWebhookSecretEncrypted: p.text().nullable().hidden(),
    /** Which source owns HR users: 'pull' (the Graph sync), 'push' (SCIM), or 'both' (docs/rules.md section 7). */
    userSource: p.string().length(8).default('pull'),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
  checks: [{ name: 'integration_settings_user_source_check', expression: "user_source in ('pull', 'push', 'both')" }],
});
export type IntegrationSettingsEntity = InferEntity<typeof IntegrationSettings>;

/** The one Entra tenant connection (rule 1.1). The credential is stored encrypted (AES-256-GCM). */
export const EntraConnection = defineEntity({
  name: 'EntraConnection',
  tableName: 'entra_connection',
  properties: {
    id: p.integer().primary().autoincrement(false),
    tenantId: p.string().length(128),
    clientId: p.string().length(128),
    /** 'secret' or 'certificate'. */
    credentialKind: p.string().length(16),
    credentialEncrypted: p.text().hidden(),
    certificateThumbprint: p.string().length(128).nullable(),
    clientSecretExpiresAt: p.string().columnType('date').nullable(),
    connected: p.boolean().default(true),
    lastTestedAt: p.datetime().nullable(),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type EntraConnectionEntity = InferEntity<typeof EntraConnection>;
