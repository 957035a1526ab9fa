/**
 * What the calendar sync (docs/rules.md §6) needs from the outside world: the user's mailbox in
 * Microsoft 365 (CalendarSource, Graph) and HR's calendars and events (CalendarStore, the database).
 * The composition root builds them over gateways/graph and gateways/db.
 */
import type { CalendarPlan, HrCalendar, MailboxCalendar } from '../../domain/calendar-choice.js';
import type { EventContent, MailboxEvent } from '../../domain/calendar-event.js';
import type { HrEventContent } from '../../domain/hr-event.js';
import type { SyncWindow } from '../../domain/sync-window.js';
import type { DeltaPage, StreamCursor } from '../kernel/channel-state.ports.js';
import type { DeltaSource } from '../kernel/delta-fetch.stage.js';
import type { EventPageChanges, EventUpsert } from './event-page.planner.js';

/** An HR user whose Microsoft 365 calendars the sync may read: active, linked to Entra. */
export interface CalendarMailbox {
  hrUserId: string;
  /** The Entra object id: the mailbox's id in Graph. */
  entraId: string;
  email: string;
  /** The per-user switch (rule 6.1). */
  syncEnabled: boolean;
  /** The employee lets private events show their content in HR (otherwise busy blocks). */
  showPrivateDetails: boolean;
  /** When the mailbox's calendars were last listed from Graph (rule 6.2); null: never. */
  calendarsListedAt: string | null;
}

/** One entry of a calendar view's delta: an event new or changed, or one that left the view. */
export type CalendarViewEntry = { kind: 'event'; event: MailboxEvent } | { kind: 'removed'; sourceId: string };

/** An HR event as Microsoft 365 gets it: its content and its HR id (the tag it carries there). */
export interface EventWrite extends HrEventContent {
  hrId: string;
}

/** What became of a change sent with the changeKey HR last saw (If-Match). */
export type WriteOutcome =
  | { kind: 'written'; event: MailboxEvent }
  /** Outlook changed the event since (412): read it before deciding. */
  | { kind: 'changed' }
  /** The event is no longer in the mailbox (404). */
  | { kind: 'gone' };

/** HR's writes to a mailbox's calendars (rule 6.7). */
export interface CalendarWriter {
  /**
   * Creates an HR event in a calendar with its tag, idempotently: the same transactionId never
   * makes a second copy, so a request whose answer was lost is sent again as it was.
   */
  createEvent(
    mailboxId: string,
    calendarSourceId: string,
    write: EventWrite,
    transactionId: string,
  ): Promise<MailboxEvent>;
  /** The event of a calendar that carries this HR id as its tag, if any. */
  findTagged(mailboxId: string, calendarSourceId: string, hrId: string): Promise<MailboxEvent | null>;
  updateEvent(mailboxId: string, sourceId: string, write: EventWrite, changeKey: string | null): Promise<WriteOutcome>;
  deleteEvent(mailboxId: string, sourceId: string, changeKey: string | null): Promise<'deleted' | 'changed' | 'gone'>;
  /** One event by its id; null when the mailbox no longer has it. */
  getEvent(mailboxId: string, sourceId: string): Promise<MailboxEvent | null>;
}

/** The mailbox as Graph shows it (gateways/graph). */
export interface CalendarSource extends DeltaSource, CalendarWriter {
  /** Every calendar the mailbox lists, own, shared and delegated, with whether the user can edit it. */
  listCalendars(mailboxId: string): Promise<MailboxCalendar[]>;
  /**
   * A calendar view's delta rounds: from `cursor`, or a full round over `window` when it is null.
   * A cursor Graph no longer knows fails with the kind 'cursor-invalid'.
   */
  readCalendarView(
    mailboxId: string,
    calendarSourceId: string,
    cursor: string | null,
    window: SyncWindow,
  ): AsyncIterable<DeltaPage<CalendarViewEntry>>;
  /**
   * The page that follows each of these stored cursors, many calendars' in few requests (`$batch`);
   * null for a cursor Graph did not answer with a page (the mailbox's own run reads it again).
   */
  readViewPages(cursors: readonly string[]): Promise<Array<DeltaPage<CalendarViewEntry> | null>>;
}

/**
 * Graph subscriptions to a mailbox's events (https://learn.microsoft.com/graph/api/resources/subscription):
 * change notifications say when the mailbox changed, so a run asks Graph only then (rule 6.9).
 */
export interface SubscriptionSource {
  /** Subscribes to the mailbox's events; Graph first checks that the URL answers its validation request. */
  subscribe(
    mailboxId: string,
    input: { notificationUrl: string; clientState: string; expiresAt: Date },
  ): Promise<{ subscriptionId: string; expiresAt: string }>;
  /** A new expiry; 'gone' when Graph no longer has the subscription. */
  renew(subscriptionId: string, expiresAt: Date): Promise<{ expiresAt: string } | 'gone'>;
  unsubscribe(subscriptionId: string): Promise<void>;
}

/** A mailbox's subscription as HR keeps it. */
export interface MailboxSubscription {
  subscriptionId: string;
  expiresAt: string;
  /** Graph asked for it to be renewed (reauthorizationRequired). */
  renewDue: boolean;
}

/** An HR calendar with the window its delta cursor was made for. */
export interface SyncedCalendar extends HrCalendar {
  windowStart: string | null;
}

/** An event HR holds for a calendar, as a page of the calendar's delta meets it. */
export interface StoredEvent {
  id: string;
  sourceId: string;
  origin: 'outlook' | 'hr';
  changeKey: string | null;
}

/** Where a page of a calendar's delta goes, and the cursor saved with it. */
export interface EventPageTarget {
  hrUserId: string;
  calendarId: string;
  channel: string;
  stream: string;
  next: StreamCursor;
}

/** What one run did, for its record and for the admin's per-user status. */
export interface CalendarRunCounts {
  calendarsAdded: number;
  calendarsRemoved: number;
  eventsStored: number;
  eventsRemoved: number;
  eventsPushed: number;
  conflicts: number;
}

export type CalendarRunStatus = 'succeeded' | 'failed' | 'skipped';

export interface CalendarRunRecord {
  hrUserId: string;
  trigger: string;
  startedAt: Date;
  status: CalendarRunStatus;
  counts: CalendarRunCounts;
  /** Conflicts decided in the run (rule 6.8), each with the side that won. */
  conflicts: Array<{ eventId: string; winner: 'hr' | 'outlook'; reason: string }>;
  error: string | null;
}

/** HR's calendars (gateways/db). */
export interface CalendarStore {
  /** The HR user as a mailbox to sync, or null when it is not one (inactive, not linked to Entra, unknown). */
  mailbox(hrUserId: string): Promise<CalendarMailbox | null>;
  calendars(hrUserId: string): Promise<HrCalendar[]>;
  /**
   * Applies a calendar plan in one transaction. A removed calendar takes the events it synced from
   * Microsoft 365 with it; the events HR created in it stay in HR and go to the default calendar.
   */
  applyCalendarPlan(hrUserId: string, plan: CalendarPlan): Promise<void>;
  recordRun(run: CalendarRunRecord): Promise<void>;
  /** The mailbox's calendars were listed from Graph now. */
  markListed(hrUserId: string): Promise<void>;
  syncedCalendars(hrUserId: string): Promise<SyncedCalendar[]>;
  /** Records the window a calendar's next full round reads. */
  setWindow(calendarId: string, window: SyncWindow): Promise<void>;
  subscription(hrUserId: string): Promise<MailboxSubscription | null>;
  /** Keeps the mailbox's one subscription (replacing any earlier), its clientState as SHA-256 only. */
  saveSubscription(
    hrUserId: string,
    subscription: { subscriptionId: string; clientStateHash: string; expiresAt: string },
  ): Promise<void>;
  renewedSubscription(hrUserId: string, expiresAt: string): Promise<void>;
  forgetSubscription(hrUserId: string): Promise<void>;
  /** The run reads the mailbox now: notifications until here need no other run, later ones queue one. */
  takeNotifications(hrUserId: string): Promise<void>;
}

/** An HR event whose latest version Microsoft 365 does not have yet (created, changed or deleted in HR). */
export interface PendingHrEvent {
  id: string;
  calendarId: string | null;
  sourceId: string | null;
  changeKey: string | null;
  /** Set just before a creation is sent: a set transactionId without a sourceId means one may have arrived. */
  transactionId: string | null;
  hrVersion: number;
  deleted: boolean;
  content: HrEventContent;
  /** Occurrences of an HR series deleted in HR, to delete in Microsoft 365 too. */
  cancelledOccurrences: Array<{ sourceId: string; originalStart: string | null }>;
}

/** An HR event a calendar's delta spoke of, with where its sync stands. */
export interface HrEventState {
  id: string;
  sourceId: string;
  changeKey: string | null;
  hrVersion: number;
  pushedVersion: number;
  hrModifiedAt: string;
  deleted: boolean;
  content: HrEventContent;
}

/** An earlier version of an event kept in its history (rule 6.8). */
export interface EventHistoryEntry {
  reason: 'conflict-lost' | 'changed-in-outlook' | 'deleted-in-outlook';
  side: 'hr' | 'outlook';
  snapshot: Record<string, unknown>;
}

/** HR's events, as the calendar sync reads and writes them (gateways/db). */
export interface EventStore {
  /** HR events of the user whose latest version is still to reach Microsoft 365, oldest change first. */
  pendingHrEvents(hrUserId: string, limit: number): Promise<PendingHrEvent[]>;
  /** Records, before a creation is sent, the calendar it goes to and its transactionId. */
  placeHrEvent(eventId: string, calendarId: string, transactionId: string): Promise<void>;
  /** Microsoft 365 has HR's version `version` of the event, as `event`. */
  settlePush(eventId: string, version: number, event: MailboxEvent): Promise<void>;
  /** An HR deletion reached Microsoft 365 (or had nothing to delete there). */
  settleDeletion(eventId: string, version: number): Promise<void>;
  failPush(eventId: string, error: string): Promise<void>;
  /**
   * Events of the page that HR created but whose creation's answer never came: known by their
   * transactionId, they get their Microsoft 365 id. Returns how many.
   */
  adoptCreated(calendarId: string, created: readonly MailboxEvent[]): Promise<number>;
  hrEventStates(eventIds: readonly string[]): Promise<HrEventState[]>;
  /** Outlook's version of an HR event becomes HR's (restoring it if HR had deleted it); the earlier one goes to its history. */
  takeOutlookVersion(
    eventId: string,
    event: MailboxEvent,
    content: EventContent,
    history: EventHistoryEntry,
  ): Promise<void>;
  /** HR's version stays and is sent again over Outlook's (whose changeKey it now carries); Outlook's goes to the history. */
  keepHrVersion(eventId: string, event: MailboxEvent, history: EventHistoryEntry): Promise<void>;
  /** The HR event was deleted in Outlook: HR deletes it too, keeping what it held in its history. */
  deletedInOutlook(eventId: string, history: EventHistoryEntry): Promise<void>;

  /** The events HR holds in a calendar under these Microsoft 365 ids. */
  storedEvents(calendarId: string, sourceIds: readonly string[]): Promise<StoredEvent[]>;
  /** Stores a page's changes and, in the same transaction, the cursor that follows it. */
  applyEventPage(target: EventPageTarget, changes: EventPageChanges): Promise<void>;
  /** After a full round: the calendar's Microsoft 365 events the round did not see are gone. Returns how many. */
  sweepCalendar(calendarId: string, round: number): Promise<number>;
  /** The calendars (by id) holding events synced from Microsoft 365. */
  calendarsWithSyncedEvents(hrUserId: string): Promise<string[]>;
  /** Removes the events synced from Microsoft 365 of a calendar (disabled): HR's own events stay. */
  clearSyncedEvents(calendarId: string): Promise<number>;
}

/**
 * A mailbox a poll may settle without a run of its own: every enabled calendar has a stored cursor
 * of the current window and nothing else waits (docs/rules.md §6.10).
 */
export interface PollCandidate {
  hrUserId: string;
  entraId: string;
  /** As CalendarMailbox's: a private event's content shows in HR only when the employee allows it. */
  showPrivateDetails: boolean;
  streams: Array<{ stream: string; calendarId: string; cursor: string }>;
}

/**
 * A stream a poll read to its end: the cursor it read from, the one Graph gave back, and what its
 * page changes in HR's copy of the calendar's Microsoft 365 events (none for a quiet one).
 */
export interface PolledStream {
  channel: string;
  stream: string;
  calendarId: string;
  from: string;
  to: string;
  upserts: EventUpsert[];
  /** Microsoft 365 ids of events that left the view. */
  removed: string[];
}

/** A mailbox a poll settles: its streams as read, and the counts of the run recorded for it. */
export interface PolledMailbox {
  hrUserId: string;
  streams: PolledStream[];
  counts: CalendarRunCounts;
}

/** Subscriptions no mailbox run will end, because no run reads their mailboxes any more (gateways/db). */
export interface StaleSubscriptionStore {
  /**
   * Subscriptions of mailboxes no longer synced: the HR user inactive (a leaver) or unlinked, or
   * their calendar sync switched off; every subscription while calendar sync is off.
   */
  staleSubscriptions(options: { calendarSync: boolean }): Promise<Array<{ hrUserId: string; subscriptionId: string }>>;
  /** Forgets these subscriptions (by Graph's id: one a run made since stays). */
  forgetSubscriptions(subscriptionIds: readonly string[]): Promise<void>;
}

/** What a poll reads and writes for many mailboxes at once (gateways/db). */
export interface CalendarPollStore {
  /**
   * Of these mailboxes, the ones only their delta cursors need: listed within `listedSince`, no HR
   * event to push, subscriptions as `subscriptions` wants them, every enabled calendar's cursor
   * stored outside a round for the window starting at `windowStart`. The others need a run.
   */
  pollCandidates(
    hrUserIds: readonly string[],
    options: { windowStart: string; listedSince: string; subscriptions: { renewBefore: string } | 'none' },
  ): Promise<PollCandidate[]>;
  /** The events HR holds under these Microsoft 365 ids, in these calendars, in one read. */
  storedEventsIn(
    refs: ReadonlyArray<{ calendarId: string; sourceId: string }>,
  ): Promise<Array<StoredEvent & { calendarId: string }>>;
  /**
   * Saves what the poll read for these mailboxes, each mailbox only if its cursors are still the
   * ones read (a run of its own may have moved them): its events' changes and new cursors in one
   * transaction for the set, and a run recorded for each with its counts. Returns the HR users
   * whose mailboxes were saved.
   */
  settlePolled(mailboxes: readonly PolledMailbox[], run: { trigger: string; startedAt: Date }): Promise<string[]>;
}
