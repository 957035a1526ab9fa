import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { HrUser } from './hr-user.entity.js';

/**
 * The e-mail invitation to sign in that an HR user was sent, or is due (docs/rules.md §8.4): one
 * per HR user, sent again when the admin asks.
 */
export const Invitation = defineEntity({
  name: 'Invitation',
  tableName: 'invitation',
  properties: {
    hrUser: () => p.oneToOne(HrUser).mapToPk().primary().deleteRule('cascade'),
    /** The address it goes (or went) to: the HR user's e-mail when it became due. */
    email: p.string().length(320),
    /** 'pending' (due), 'sent' or 'failed' (the mail server refused it; the admin can send it again). */
    status: p.string().length(16).default('pending'),
    /** When it became due: the user's creation, or the admin's (re)send. */
    requestedAt: p.datetime().defaultRaw('now()'),
    /** The admin who asked; null when due because the user was created while invitations were on. */
    requestedBy: p.uuid().nullable(),
    sentAt: p.datetime().nullable(),
    sendCount: p.integer().default(0),
    lastError: p.text().nullable(),
    /** The first sign-in to the web app after the first invitation. */
    signedInAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['status'] }],
  checks: [{ name: 'invitation_status_check', expression: "status in ('pending', 'sent', 'failed')" }],
});
export type InvitationEntity = InferEntity<typeof Invitation>;
