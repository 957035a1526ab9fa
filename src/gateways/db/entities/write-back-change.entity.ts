import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { HrUser } from './hr-user.entity.js';

/**
 * The write-back outbox (docs/rules.md §4): one change of an HR user waiting for Entra, written in
 * the transaction of the HR change itself, so a crash between that change and the call to Graph
 * loses nothing. The drain settles it: sent, skipped (with the reason), failed (with Graph's code),
 * or cancelled when write-back was switched off; an admin may discard or retry a failed one.
 */
export const WriteBackChange = defineEntity({
  name: 'WriteBackChange',
  tableName: 'write_back_change',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    /** 'update' | 'create' | 'delete' (rules 4.1-4.3). */
    action: p.string().length(16),
    hrUser: () => p.manyToOne(HrUser).mapToPk().nullable().deleteRule('set null').updateRule('cascade'),
    /** The Entra user: the HR user's link when the change was made, or the user a creation made. */
    entraId: p.string().length(64).nullable(),
    email: p.string().length(320).nullable(),
    /** The HR fields an update names. */
    fields: p.json<string[]>().default('[]'),
    /** 'pending' | 'sent' | 'skipped' | 'failed' | 'cancelled' | 'discarded'. */
    status: p.string().length(16).default('pending'),
    attempts: p.integer().default(0),
    /** A pending change is not sent before (Graph asked to wait). */
    notBefore: p.datetime().defaultRaw('now()'),
    reason: p.text().nullable(),
    /** Graph's error code and HTTP status of a failure. */
    errorCode: p.string().length(200).nullable(),
    errorStatus: p.integer().nullable(),
    /** What Entra answered that HR keeps: a created user's id, user principal name and mail. */
    result: p.json<Record<string, unknown>>().nullable(),
    /** The drain pass that settled it. */
    drainId: p.uuid().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    settledAt: p.datetime().nullable(),
  },
  indexes: [
    // The drain's look for what is due: pending changes only.
    {
      name: 'write_back_change_pending_index',
      expression:
        'create index "write_back_change_pending_index" on "write_back_change" ("not_before", "id") where "status" = \'pending\'',
    },
    { name: 'write_back_change_hr_user_id_index', properties: ['hrUser', 'id'] },
    { name: 'write_back_change_status_index', properties: ['status', 'id'] },
  ],
  checks: [
    { name: 'write_back_change_action_check', expression: "action in ('update', 'create', 'delete')" },
    {
      name: 'write_back_change_status_check',
      expression: "status in ('pending', 'sent', 'skipped', 'failed', 'cancelled', 'discarded')",
    },
  ],
  // Each insert wakes the drain once its transaction commits (src/gateways/db/write-back-wakeups.ts);
  // the function is created by migration 20261220120000-write-back.
  triggers: [
    {
      name: 'write_back_change_notify',
      timing: 'after',
      events: ['insert'],
      forEach: 'statement',
      expression:
        'create trigger "write_back_change_notify" after insert on "write_back_change" for each statement execute function "write_back_change_notify"()',
    },
  ],
});
export type WriteBackChangeEntity = InferEntity<typeof WriteBackChange>;
