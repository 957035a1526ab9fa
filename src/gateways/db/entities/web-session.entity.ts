import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { HrUser } from './hr-user.entity.js';

/** A web app session (src/http/surfaces/web-session.surface.ts). Only the SHA-256 of its cookie token is stored. */
export const WebSession = defineEntity({
  name: 'WebSession',
  tableName: 'web_session',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    tokenHash: p.string().length(64).unique().hidden(),
    hrUser: () => p.manyToOne(HrUser).mapToPk().deleteRule('cascade'),
    /** The synchronizer token against cross-site request forgery. */
    csrfToken: p.string().length(64).hidden(),
    /** 'entra' (Sign in with Microsoft) or 'local' (the bootstrap administrator's token). */
    method: p.string().length(16),
    createdAt: p.datetime().defaultRaw('now()'),
    lastSeenAt: p.datetime().defaultRaw('now()'),
    expiresAt: p.datetime(),
  },
  indexes: [{ properties: ['hrUser'] }, { properties: ['expiresAt'] }],
  checks: [{ name: 'web_session_method_check', expression: "method in ('entra', 'local')" }],
});
export type WebSessionEntity = InferEntity<typeof WebSession>;
