import type { EntityManager } from '@mikro-orm/postgresql';
import type { CalendarPlan, HrCalendar } from '../../domain/calendar-choice.js';
import type { SyncWindow } from '../../domain/sync-window.js';
import type {
  CalendarMailbox,
  CalendarPollStore,
  CalendarRunRecord,
  PollCandidate,
  StaleSubscriptionStore,
  PolledMailbox,
  StoredEvent,
  CalendarStore,
  MailboxSubscription,
  SyncedCalendar,
} from '../../sync/calendars/calendar-sync.ports.js';
import { NOTIFIED_RUN_PATIENCE } from './calendar-subscription.repository.js';
import { CALENDAR_COLUMNS } from './calendar.repository.js';
import { removeOutlookEvents, storedEventsIn, upsertOutlookEvents } from './calendar-event.repository.js';
import { isoUtc } from './sql-time.js';

/** Runs kept per mailbox: enough to see the last days' conflicts, never a growing table. */
const KEPT_RUNS = 50;

/** HR's calendars as the calendar sync reads and writes them; every write is set-based. */
export class CalendarSyncRepository implements CalendarStore, CalendarPollStore, StaleSubscriptionStore {
  constructor(private readonly em: EntityManager) {}

  async mailbox(hrUserId: string): Promise<CalendarMailbox | null> {
    const [row] = await this.em.execute<CalendarMailbox[]>(
      `select u.id as "hrUserId", u.entra_id as "entraId", u.email,
         coalesce(m.sync_enabled, true) as "syncEnabled", coalesce(m.show_private_details, false) as "showPrivateDetails",
         ${isoUtc('m.calendars_listed_at')} as "calendarsListedAt"
         from hr_user u left join calendar_mailbox m on m.hr_user_id = u.id
        where u.id = ? and u.active and u.entra_id is not null`,
      [hrUserId],
    );
    return row ?? null;
  }

  calendars(hrUserId: string): Promise<HrCalendar[]> {
    return this.em.execute<HrCalendar[]>(`select ${CALENDAR_COLUMNS} from hr_calendar where hr_user_id = ?`, [
      hrUserId,
    ]);
  }

  async applyCalendarPlan(hrUserId: string, plan: CalendarPlan): Promise<void> {
    await this.em.transactional(async (tx) => {
      await tx.execute(
        `insert into hr_calendar (hr_user_id, source_id, name, is_default, enabled, owner_name, owner_address)
         select ?, x."sourceId", x.name, x."isDefault", x.enabled, x."ownerName", x."ownerAddress"
           from jsonb_to_recordset(?::jsonb) as x("sourceId" text, name text, "isDefault" boolean, enabled boolean, "ownerName" text, "ownerAddress" text)
         on conflict (hr_user_id, source_id) do nothing`,
        [hrUserId, JSON.stringify(plan.add)],
      );
      await tx.execute(
        `update hr_calendar c set name = x.name, is_default = x."isDefault", enabled = x.enabled,
           owner_name = x."ownerName", owner_address = x."ownerAddress", updated_at = now()
           from jsonb_to_recordset(?::jsonb) as x(id uuid, name text, "isDefault" boolean, enabled boolean, "ownerName" text, "ownerAddress" text)
          where c.id = x.id and c.hr_user_id = ?`,
        [JSON.stringify(plan.change), hrUserId],
      );
      // A calendar that leaves HR takes the events it synced; HR's own events stay, to be created
      // again in the default calendar (rule 6.2).
      const removed = JSON.stringify(plan.remove);
      await tx.execute(
        `delete from hr_event where origin = 'outlook' and calendar_id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
        [removed],
      );
      await tx.execute(
        `update hr_event set calendar_id = null, source_id = null, change_key = null, transaction_id = null,
           pushed_version = 0, updated_at = now()
         where origin = 'hr' and calendar_id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
        [removed],
      );
      await tx.execute(
        `delete from hr_calendar where hr_user_id = ? and id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
        [hrUserId, removed],
      );
    });
  }

  syncedCalendars(hrUserId: string): Promise<SyncedCalendar[]> {
    return this.em.execute<SyncedCalendar[]>(
      `select ${CALENDAR_COLUMNS}, ${isoUtc('window_start')} as "windowStart" from hr_calendar where hr_user_id = ?`,
      [hrUserId],
    );
  }

  async setWindow(calendarId: string, window: SyncWindow): Promise<void> {
    await this.em.execute(`update hr_calendar set window_start = ?, window_end = ?, updated_at = now() where id = ?`, [
      window.start,
      window.end,
      calendarId,
    ]);
  }

  async recordRun(run: CalendarRunRecord): Promise<void> {
    await this.em.execute(
      `insert into calendar_run (hr_user_id, trigger, status, started_at, counts, conflicts, error)
       values (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)`,
      [
        run.hrUserId,
        run.trigger,
        run.status,
        run.startedAt,
        JSON.stringify(run.counts),
        JSON.stringify(run.conflicts),
        run.error,
      ],
    );
    await this.em.execute(
      `delete from calendar_run where hr_user_id = ? and id not in
         (select id from calendar_run where hr_user_id = ? order by started_at desc limit ?)`,
      [run.hrUserId, run.hrUserId, KEPT_RUNS],
    );
  }

  async markListed(hrUserId: string): Promise<void> {
    await this.em.execute(
      `insert into calendar_mailbox (hr_user_id, calendars_listed_at) values (?, now())
       on conflict (hr_user_id) do update set calendars_listed_at = excluded.calendars_listed_at`,
      [hrUserId],
    );
  }

  /**
   * The mailboxes a poll runs: every active, linked one with calendar sync on. With change
   * notifications on (`notified`), only those that need Graph without being told: no subscription
   * yet, one to renew (expiring soon, or Graph asked), an enabled calendar shared by another mailbox
   * (its changes notify that mailbox's subscription, not this one's), no run for `pollInterval`, or
   * a notification with no run started since, for NOTIFIED_RUN_PATIENCE: the endpoint queues its job
   * after answering Graph, and a job never queued (the process ended) or lost must not leave the
   * change unread. Not sooner, or a poll between a notification and its run would run the mailbox
   * twice. A run clears the mark as it starts (takeNotifications); a recorded run that started after
   * it counts as well, whether or not it cleared it.
   */
  async dueMailboxes(notified: { renewBeforeMs: number; pollInterval: string } | null = null): Promise<string[]> {
    const quiet = notified
      ? `and (s.hr_user_id is null or s.renew_due or s.expires_at < now() + ? * interval '1 millisecond'
           or exists (select 1 from hr_calendar c where c.hr_user_id = u.id and c.enabled
             and c.owner_address is not null and lower(c.owner_address) <> lower(u.email))
           or (s.notified_at < now() - interval '${NOTIFIED_RUN_PATIENCE}'
             and not exists (select 1 from calendar_run r where r.hr_user_id = u.id and r.started_at > s.notified_at))
           or not exists (select 1 from calendar_run r where r.hr_user_id = u.id and r.started_at > now() - ?::interval))`
      : '';
    const rows = await this.em.execute<{ id: string }[]>(
      `select u.id from hr_user u left join calendar_mailbox m on m.hr_user_id = u.id
         left join calendar_subscription s on s.hr_user_id = u.id
        where u.active and u.entra_id is not null and coalesce(m.sync_enabled, true) ${quiet} order by u.id`,
      notified ? [notified.renewBeforeMs, notified.pollInterval] : [],
    );
    return rows.map((row) => row.id);
  }

  async subscription(hrUserId: string): Promise<MailboxSubscription | null> {
    const [row] = await this.em.execute<MailboxSubscription[]>(
      `select subscription_id as "subscriptionId", ${isoUtc('expires_at')} as "expiresAt", renew_due as "renewDue"
         from calendar_subscription where hr_user_id = ?`,
      [hrUserId],
    );
    return row ?? null;
  }

  async saveSubscription(
    hrUserId: string,
    s: { subscriptionId: string; clientStateHash: string; expiresAt: string },
  ): Promise<void> {
    await this.em.execute(
      `insert into calendar_subscription (hr_user_id, subscription_id, client_state_hash, expires_at) values (?, ?, ?, ?)
       on conflict (hr_user_id) do update set subscription_id = excluded.subscription_id,
         client_state_hash = excluded.client_state_hash, expires_at = excluded.expires_at, renew_due = false,
         created_at = now()`,
      [hrUserId, s.subscriptionId, s.clientStateHash, s.expiresAt],
    );
  }

  async renewedSubscription(hrUserId: string, expiresAt: string): Promise<void> {
    await this.em.execute(`update calendar_subscription set expires_at = ?, renew_due = false where hr_user_id = ?`, [
      expiresAt,
      hrUserId,
    ]);
  }

  async forgetSubscription(hrUserId: string): Promise<void> {
    await this.em.execute(`delete from calendar_subscription where hr_user_id = ?`, [hrUserId]);
  }

  staleSubscriptions(options: { calendarSync: boolean }): Promise<Array<{ hrUserId: string; subscriptionId: string }>> {
    return this.em.execute(
      `select s.hr_user_id as "hrUserId", s.subscription_id as "subscriptionId"
         from calendar_subscription s join hr_user u on u.id = s.hr_user_id
         left join calendar_mailbox m on m.hr_user_id = s.hr_user_id
        where not ?::boolean or not u.active or u.entra_id is null or not coalesce(m.sync_enabled, true)
        order by s.hr_user_id`,
      [options.calendarSync],
    );
  }

  async forgetSubscriptions(subscriptionIds: readonly string[]): Promise<void> {
    if (subscriptionIds.length === 0) return;
    await this.em.execute(
      `delete from calendar_subscription where subscription_id in (select jsonb_array_elements_text(?::jsonb))`,
      [JSON.stringify(subscriptionIds)],
    );
  }

  async takeNotifications(hrUserId: string): Promise<void> {
    await this.em.execute(
      `update calendar_subscription set notified_at = null where hr_user_id = ? and notified_at is not null`,
      [hrUserId],
    );
  }

  async pollCandidates(
    hrUserIds: readonly string[],
    options: { windowStart: string; listedSince: string; subscriptions: { renewBefore: string } | 'none' },
  ): Promise<PollCandidate[]> {
    const subscriptions =
      options.subscriptions === 'none'
        ? 'not exists (select 1 from calendar_subscription s where s.hr_user_id = u.id)'
        : `exists (select 1 from calendar_subscription s where s.hr_user_id = u.id and not s.renew_due
             and s.expires_at > now() + ?::interval)`;
    return this.em.execute<PollCandidate[]>(
      `select u.id as "hrUserId", u.entra_id as "entraId", m.show_private_details as "showPrivateDetails",
              jsonb_agg(jsonb_build_object('stream', 'events:' || c.id, 'calendarId', c.id,
                'cursor', ch.cursors->('events:' || c.id)->>'cursor')) as streams
         from hr_user u
         join calendar_mailbox m on m.hr_user_id = u.id
         join hr_calendar c on c.hr_user_id = u.id and c.enabled
         join sync_channel ch on ch.id = 'calendar:' || u.entra_id
        where u.id in (select jsonb_array_elements_text(?::jsonb)::uuid) and u.active and u.entra_id is not null and m.sync_enabled
          and m.calendars_listed_at > ?::timestamptz and ${subscriptions}
          and not exists (select 1 from hr_event e where e.hr_user_id = u.id and e.origin = 'hr' and e.hr_version > e.pushed_version)
          and not exists (select 1 from hr_calendar d where d.hr_user_id = u.id and not d.enabled and jsonb_exists(ch.cursors, 'events:' || d.id))
        group by u.id, u.entra_id, m.show_private_details
       having bool_and(c.window_start = ?::timestamptz and ch.cursors->('events:' || c.id)->>'cursor' is not null
                       and not coalesce((ch.cursors->('events:' || c.id)->>'inRound')::boolean, false))`,
      [
        JSON.stringify(hrUserIds),
        options.listedSince,
        ...(options.subscriptions === 'none' ? [] : [options.subscriptions.renewBefore]),
        options.windowStart,
      ],
    );
  }

  storedEventsIn(
    refs: ReadonlyArray<{ calendarId: string; sourceId: string }>,
  ): Promise<Array<StoredEvent & { calendarId: string }>> {
    return storedEventsIn(this.em, refs);
  }

  async settlePolled(
    mailboxes: readonly PolledMailbox[],
    run: { trigger: string; startedAt: Date },
  ): Promise<string[]> {
    if (mailboxes.length === 0) return [];
    const streams = mailboxes.flatMap((m) =>
      m.streams.map(({ channel, stream, from, to }) => ({ channel, stream, from, to, hrUserId: m.hrUserId })),
    );
    return this.em.transactional(async (tx) => {
      // Each mailbox's cursors move only if they are still the ones read (@> re-checked on a row a
      // run changed meanwhile), all of a mailbox's at once; the row stays locked until commit, so a
      // run of the mailbox saves its own page after these and from the cursor they leave.
      const saved = await tx.execute<Array<{ hrUserId: string }>>(
        `with x as (select * from jsonb_to_recordset(?::jsonb) as x(channel text, stream text, "from" text, "to" text, "hrUserId" uuid)),
              patch as (
                select x.channel, min(x."hrUserId"::text)::uuid as "hrUserId",
                       jsonb_object_agg(x.stream, jsonb_build_object('cursor', x."from")) as expected,
                       jsonb_object_agg(x.stream, jsonb_build_object('cursor', x."to", 'inRound', false, 'updatedAt', now())
                         || coalesce(jsonb_build_object('fullRound', ch.cursors->x.stream->'fullRound',
                              'roundStartedAt', ch.cursors->x.stream->'roundStartedAt'), '{}'::jsonb)) as cursors
                  from x join sync_channel ch on ch.id = x.channel group by x.channel)
         update sync_channel ch set cursors = ch.cursors || patch.cursors, updated_at = now(), last_success_at = now()
           from patch where ch.id = patch.channel and ch.cursors @> patch.expected
         returning patch."hrUserId" as "hrUserId"`,
        [JSON.stringify(streams)],
      );
      const ids = new Set(saved.map((row) => row.hrUserId));
      if (ids.size === 0) return [];
      const settled = mailboxes.filter((m) => ids.has(m.hrUserId));
      const written = settled.flatMap((m) => m.streams.map((s) => ({ ...s, hrUserId: m.hrUserId })));
      await upsertOutlookEvents(
        tx,
        written.flatMap((s) => s.upserts.map((upsert) => ({ hrUserId: s.hrUserId, calendarId: s.calendarId, upsert }))),
        null,
      );
      await removeOutlookEvents(
        tx,
        written.flatMap((s) => s.removed.map((sourceId) => ({ calendarId: s.calendarId, sourceId }))),
      );
      const runs = settled.map(({ hrUserId, counts }) => ({ hrUserId, counts }));
      await tx.execute(
        `insert into calendar_run (hr_user_id, trigger, status, started_at, counts, conflicts, error)
         select x."hrUserId", ?, 'succeeded', ?, x.counts, '[]'::jsonb, null
           from jsonb_to_recordset(?::jsonb) as x("hrUserId" uuid, counts jsonb)`,
        [run.trigger, run.startedAt, JSON.stringify(runs)],
      );
      await tx.execute(
        `delete from calendar_run where id in (select id from (select id, row_number() over
           (partition by hr_user_id order by started_at desc) as n from calendar_run where hr_user_id in (select jsonb_array_elements_text(?::jsonb)::uuid)) r
          where n > ?)`,
        [JSON.stringify([...ids]), KEPT_RUNS],
      );
      return [...ids];
    });
  }
}
