import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { HrUser } from './hr-user.entity.js';

/**
 * An HR user's calendar choices (rule 6.1): the per-user switch and whether private events show
 * their content. No row means the defaults: synced, private events as busy blocks.
 */
export const CalendarMailbox = defineEntity({
  name: 'CalendarMailbox',
  tableName: 'calendar_mailbox',
  properties: {
    hrUser: () => p.oneToOne(HrUser).mapToPk().primary().deleteRule('cascade'),
    syncEnabled: p.boolean().default(true),
    showPrivateDetails: p.boolean().default(false),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type CalendarMailboxEntity = InferEntity<typeof CalendarMailbox>;

/** A Microsoft 365 calendar the HR user can edit, as HR holds it (rule 6.2). */
export const HrCalendar = defineEntity({
  name: 'HrCalendar',
  tableName: 'hr_calendar',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    hrUser: () => p.manyToOne(HrUser).mapToPk().deleteRule('cascade'),
    /** The calendar's id in the user's mailbox (opaque, Graph's). */
    sourceId: p.text(),
    name: p.text(),
    isDefault: p.boolean().default(false),
    enabled: p.boolean().default(false),
    ownerName: p.text().nullable(),
    ownerAddress: p.text().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
  uniques: [{ name: 'hr_calendar_hr_user_id_source_id_unique', properties: ['hrUser', 'sourceId'] }],
});
export type HrCalendarEntity = InferEntity<typeof HrCalendar>;

/** One calendar run of one mailbox: what it did and the conflicts it decided (rule 6.8). */
export const CalendarRun = defineEntity({
  name: 'CalendarRun',
  tableName: 'calendar_run',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    hrUser: () => p.manyToOne(HrUser).mapToPk().deleteRule('cascade'),
    trigger: p.string().length(32),
    /** 'succeeded' | 'failed' | 'skipped'. */
    status: p.string().length(16),
    startedAt: p.datetime(),
    finishedAt: p.datetime().defaultRaw('now()'),
    counts: p.json<Record<string, number>>().default('{}'),
    conflicts: p.json<Array<Record<string, unknown>>>().default('[]'),
    error: p.text().nullable(),
  },
  indexes: [{ name: 'calendar_run_hr_user_id_started_at_index', properties: ['hrUser', 'startedAt'] }],
});
export type CalendarRunEntity = InferEntity<typeof CalendarRun>;
