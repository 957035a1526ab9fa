import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { HrUser } from './hr-user.entity.js';

/**
 * An HR user's calendar choices (rule 6.1): the per-user switch and whether private events show
 * their content. No row means the defaults: synced, private events as busy blocks. Also when the
 * mailbox's calendars were last listed from Graph (a poll lists them at most hourly).
 */
export const CalendarMailbox = defineEntity({
  name: 'CalendarMailbox',
  tableName: 'calendar_mailbox',
  properties: {
    hrUser: () => p.oneToOne(HrUser).mapToPk().primary().deleteRule('cascade'),
    syncEnabled: p.boolean().default(true),
    showPrivateDetails: p.boolean().default(false),
    updatedAt: p.datetime().defaultRaw('now()'),
    calendarsListedAt: p.datetime().nullable(),
  },
});
export type CalendarMailboxEntity = InferEntity<typeof CalendarMailbox>;

/** The employee's iCalendar feed (rule 6.4): its secret token as SHA-256 only. No row: no feed. */
export const CalendarFeed = defineEntity({
  name: 'CalendarFeed',
  tableName: 'calendar_feed',
  properties: {
    hrUser: () => p.oneToOne(HrUser).mapToPk().primary().deleteRule('cascade'),
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime().defaultRaw('now()'),
    lastReadAt: p.datetime().nullable(),
  },
});
export type CalendarFeedEntity = InferEntity<typeof CalendarFeed>;

/**
 * A mailbox's Graph subscription to its events (rule 6.9): its clientState as SHA-256 only;
 * `notifiedAt` is set by the first notification (or a `missed` / `reauthorizationRequired` one)
 * while no run of the mailbox has taken it yet; the calendar schedule runs a mailbox whose mark has
 * waited too long, in case its job was never queued.
 */
export const CalendarSubscription = defineEntity({
  name: 'CalendarSubscription',
  tableName: 'calendar_subscription',
  properties: {
    hrUser: () => p.oneToOne(HrUser).mapToPk().primary().deleteRule('cascade'),
    subscriptionId: p.string().length(128).unique(),
    clientStateHash: p.string().length(64),
    expiresAt: p.datetime(),
    renewDue: p.boolean().default(false),
    notifiedAt: p.datetime().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
  },
});
export type CalendarSubscriptionEntity = InferEntity<typeof CalendarSubscription>;

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
    /** The calendar view window its delta cursor was made for (a new window starts a full round). */
    windowStart: p.datetime().nullable(),
    windowEnd: p.datetime().nullable(),
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

/**
 * An event of an HR user's calendar: one that came from Microsoft 365 (origin `outlook`: a single
 * instance, or one occurrence or exception of a series) or one HR created (origin `hr`: an
 * absence, an onboarding, an interview...), which goes to Microsoft 365 (rule 6.7).
 */
export const HrEvent = defineEntity({
  name: 'HrEvent',
  tableName: 'hr_event',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    hrUser: () => p.manyToOne(HrUser).mapToPk().deleteRule('cascade'),
    /** The calendar it is in; null for an HR event whose calendar left HR until it is placed again. */
    calendar: () => p.manyToOne(HrCalendar).mapToPk().nullable().deleteRule('set null'),
    /** 'outlook' | 'hr'. */
    origin: p.string().length(16),
    /** 'outlook' for Microsoft 365's events; HR's kind otherwise (absence, onboarding, interview, ...). */
    kind: p.string().length(32).default('outlook'),
    /** The event's id in the calendar (Graph's); null for an HR event not yet created there. */
    sourceId: p.text().nullable(),
    seriesSourceId: p.text().nullable(),
    /** 'singleInstance' | 'occurrence' | 'exception'. */
    eventType: p.string().length(16).default('singleInstance'),
    originalStart: p.datetime().nullable(),
    subject: p.text().default(''),
    body: p.text().default(''),
    bodyTruncated: p.boolean().default(false),
    location: p.text().default(''),
    startsAt: p.datetime(),
    endsAt: p.datetime(),
    timeZone: p.text().default('UTC'),
    isAllDay: p.boolean().default(false),
    startDate: p.string().columnType('date').nullable(),
    endDate: p.string().columnType('date').nullable(),
    showAs: p.string().length(24).default('busy'),
    sensitivity: p.string().length(16).default('normal'),
    isPrivate: p.boolean().default(false),
    isCancelled: p.boolean().default(false),
    attendees: p.json<Array<Record<string, string>>>().default('[]'),
    organizer: p.json<Record<string, string>>().nullable(),
    changeKey: p.text().nullable(),
    sourceModifiedAt: p.datetime().nullable(),
    /** The last full delta round of its calendar that saw it (events the round did not see are gone). */
    seenRound: p.bigint('number').nullable(),
    /** HR events: HR's version, the version Microsoft 365 has, and where the push stands. */
    hrVersion: p.integer().default(0),
    pushedVersion: p.integer().default(0),
    hrModifiedAt: p.datetime().nullable(),
    transactionId: p.text().nullable(),
    /** An HR event deleted in HR whose deletion is still to reach Microsoft 365. */
    deletedAt: p.datetime().nullable(),
    pushError: p.text().nullable(),
    /** An HR series: its recurrence (HR's shape, src/domain/hr-event.ts); null for a single event. */
    recurrence: p.json<Record<string, unknown>>().nullable(),
    /** Occurrences of an HR series deleted in HR: `{sourceId, originalStart}`, until the push deletes them. */
    cancelledOccurrences: p.json<Array<Record<string, string>>>().default('[]'),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
  uniques: [{ name: 'hr_event_calendar_id_source_id_unique', properties: ['calendar', 'sourceId'] }],
  indexes: [
    { name: 'hr_event_hr_user_id_starts_at_index', properties: ['hrUser', 'startsAt'] },
    { name: 'hr_event_hr_user_id_origin_index', properties: ['hrUser', 'origin'] },
  ],
});
export type HrEventEntity = InferEntity<typeof HrEvent>;

/** Earlier versions of an event: what a conflict's losing side had, or what a deletion took (rule 6.8). */
export const HrEventHistory = defineEntity({
  name: 'HrEventHistory',
  tableName: 'hr_event_history',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    event: () => p.manyToOne(HrEvent).mapToPk().deleteRule('cascade'),
    recordedAt: p.datetime().defaultRaw('now()'),
    /** Why it was kept: 'conflict-lost', 'changed-in-outlook', ... */
    reason: p.string().length(32),
    /** The side whose version this is: 'hr' | 'outlook'. */
    side: p.string().length(16),
    snapshot: p.json<Record<string, unknown>>(),
  },
  indexes: [{ name: 'hr_event_history_event_id_index', properties: ['event'] }],
});
export type HrEventHistoryEntity = InferEntity<typeof HrEventHistory>;
