import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { HrUser } from './hr-user.entity.js';

/** An API token of an HR user. Only the SHA-256 of the token is stored. */
export const ApiToken = defineEntity({
  name: 'ApiToken',
  tableName: 'api_token',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    tokenHash: p.string().length(64).unique().hidden(),
    hrUser: () => p.manyToOne(HrUser).mapToPk().deleteRule('cascade'),
    name: p.string().length(128),
    /** Which surface the token opens: 'api' (the admin API) or 'scim' (/scim/v2). */
    scope: p.string().length(16).default('api'),
    createdAt: p.datetime().defaultRaw('now()'),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    /** 'revoked' (an admin), 'rotated' (ADMIN_TOKEN changed), 'user-deactivated' (a trigger). */
    revokedReason: p.string().length(32).nullable(),
    expiresAt: p.datetime().nullable(),
    /** The token ADMIN_TOKEN (or DATA_DIR/admin-token) configures; replaced when the configuration changes. */
    bootstrap: p.boolean().default(false),
  },
  indexes: [{ properties: ['hrUser'] }],
  checks: [{ name: 'api_token_scope_check', expression: "scope in ('api', 'scim')" }],
  // A change of who a bearer token is notifies ehc_principals (src/application/principal-cache.ts);
  // the function is created by migration 20270106090000-principal-changes.
  triggers: [
    {
      name: 'api_token_principal_change',
      timing: 'after',
      events: ['update', 'delete', 'truncate'],
      forEach: 'statement',
      expression:
        'create trigger "api_token_principal_change" after update of token_hash, scope, hr_user_id, revoked_at, expires_at or delete or truncate on "api_token" for each statement execute function "principal_change_notify"()',
    },
  ],
});
export type ApiTokenEntity = InferEntity<typeof ApiToken>;

/** Who changed which setting, when, from what to what. */
export const AuditLog = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_log',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    actorId: p.uuid().nullable(),
    at: p.datetime().defaultRaw('now()'),
    action: p.string().length(64),
    target: p.string().length(256).nullable(),
    oldValue: p.json<unknown>().nullable(),
    newValue: p.json<unknown>().nullable(),
  },
  indexes: [{ properties: ['at'] }, { properties: ['target', 'action'] }],
});
export type AuditLogEntity = InferEntity<typeof AuditLog>;
