import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { catalogueProperties } from './hr-field.properties.js';

/**
 * A login account of the HR system (docs/rules.md vocabulary). `entraId` keeps the link to the Entra
 * user once matched (rule 2.2), so an e-mail change in Entra does not break it.
 */
export const HrUser = defineEntity({
  name: 'HrUser',
  tableName: 'hr_user',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    // The catalogued fields (src/domain/hr-field.catalogue.ts), then what the rules constrain further.
    ...catalogueProperties('hrUser'),
    entraId: p.string().length(64).nullable().unique(),
    managerId: p.uuid().nullable(),
    customFields: p.json<Record<string, unknown>>().default('{}'),
    /** Per field: which side last wrote it and when (field ownership made visible). */
    fieldSources: p.json<Record<string, { source: string; changedAt: string }>>().default('{}'),
    /** Rule 2.8: by field, the Entra value HR kept its own value over at the match, until Entra changes it. */
    keptFields: p.json<Record<string, string | boolean | null>>().default('{}'),
    pictureEtag: p.string().length(128).nullable(),
    active: p.boolean().default(true),
    /** 'hr' (created in HR), 'entra' (created or matched by the sync), 'scim' (pushed by provisioning). */
    origin: p.string().length(16).default('hr'),
    deactivatedReason: p.string().length(64).nullable(),
    /** Per group, the roles the previous run mapped for this user: input of the role-sync policy (rule 5.5). */
    roleSyncState: p.json<Record<string, string[]>>().nullable(),
    lastSyncedAt: p.datetime().nullable(),
    /** Who made the last change (ChangeOrigin: 'entra', 'hr', 'scim'), so write-back can skip its own echoes. */
    lastChangeOrigin: p.string().columnType('text').default('hr'),
    lastChangedAt: p.datetime().nullable(),
    /** SCIM (rule 7): the userName the provisioning client gave; a user it never wrote reads as its e-mail. */
    scimUserName: p.string().length(320).nullable(),
    /** SCIM: the client's externalId, verbatim. */
    scimExternalId: p.string().length(256).nullable(),
    /** SCIM: what the client wrote that is no HR field (a nickname, a street address...), kept to read back as written. */
    scimAttributes: p.json<Record<string, unknown>>().nullable(),
    /** SCIM: a DELETE took the user out of SCIM (deactivated, never deleted); SCIM no longer shows it. */
    scimRemovedAt: p.datetime().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
  indexes: [
    // One HR user per e-mail compared case-insensitively (rule 2.2).
    {
      name: 'hr_user_email_lower_unique',
      expression: 'create unique index "hr_user_email_lower_unique" on "hr_user" (lower("email"))',
    },
    // SCIM's userName is unique case-insensitively, and a user the client never wrote answers to its e-mail (rule 7.4).
    {
      name: 'hr_user_scim_user_name_unique',
      expression:
        'create unique index "hr_user_scim_user_name_unique" on "hr_user" (lower(coalesce("scim_user_name", "email")))',
    },
    {
      name: 'hr_user_scim_external_id_index',
      expression:
        'create index "hr_user_scim_external_id_index" on "hr_user" ("scim_external_id") where "scim_external_id" is not null',
    },
    // Inactive users linked to Entra by when they last changed: each run looks at those changed since the last look (rule 3.2).
    {
      name: 'hr_user_inactive_changed_index',
      expression:
        'create index "hr_user_inactive_changed_index" on "hr_user" ("last_changed_at") where not "active" and "entra_id" is not null',
    },
    // The users a run wrote, and their reports: the manager links a run resolves (rule 2.6).
    { name: 'hr_user_last_synced_at_index', properties: ['lastSyncedAt'] },
    {
      name: 'hr_user_manager_entra_id_index',
      expression: 'create index "hr_user_manager_entra_id_index" on "hr_user" ("manager_entra_id")',
    },
  ],
  // A change of the user's e-mail or status notifies ehc_principals (src/application/principal-cache.ts;
  // migration 20270106090000-principal-changes). A deactivated user's API tokens stop working at once,
  // whoever deactivated the user; the function is created by migration 20261130092500-credential-lifecycle.
  triggers: [
    {
      name: 'hr_user_principal_change',
      timing: 'after',
      events: ['update', 'delete', 'truncate'],
      forEach: 'statement',
      expression:
        'create trigger "hr_user_principal_change" after update of email, active or delete or truncate on "hr_user" for each statement execute function "principal_change_notify"()',
    },
    {
      name: 'hr_user_deactivation_revokes_tokens',
      timing: 'after',
      events: ['update'],
      expression:
        'create trigger "hr_user_deactivation_revokes_tokens" after update of "active" on "hr_user" for each row when (old.active and not new.active) execute function "revoke_tokens_of_deactivated_user"()',
    },
  ],
});
export type HrUserEntity = InferEntity<typeof HrUser>;

/**
 * An HR user's profile picture, copied from Entra for users not connected to an employee profile
 * (rule 2.5). Graph's delta never reports photo changes, so pictures are re-checked on a schedule;
 * `bytes` null records "Entra has no photo" as of `checkedAt`.
 */
export const HrUserPicture = defineEntity({
  name: 'HrUserPicture',
  tableName: 'hr_user_picture',
  properties: {
    hrUser: () => p.oneToOne(HrUser).mapToPk().primary().deleteRule('cascade'),
    contentType: p.string().length(64).nullable(),
    bytes: p.blob().nullable().lazy(),
    sha256: p.string().length(64).nullable(),
    checkedAt: p.datetime().defaultRaw('now()'),
  },
});
export type HrUserPictureEntity = InferEntity<typeof HrUserPicture>;
