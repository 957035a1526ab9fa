import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventSyncRepository } from '../../../src/gateways/db/calendar-event.repository.js';
import { CalendarSyncRepository } from '../../../src/gateways/db/calendar-sync.repository.js';
import { SyncChannelRepository } from '../../../src/gateways/db/sync-channel.repository.js';
import { openOrm, type Orm } from '../../../src/gateways/db/orm.js';
import { repositoriesFor } from '../../../src/gateways/db/repositories.js';
import { zeroCounts } from '../../../src/sync/calendars/calendar-sync.service.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

/** A Microsoft 365 event as a page of a calendar's delta stores it. */
function outlookEvent(sourceId: string, { changeKey, subject }: { changeKey: string; subject: string }) {
  return {
    sourceId,
    seriesSourceId: null,
    eventType: 'singleInstance' as const,
    originalStart: null,
    changeKey,
    lastModified: null,
    content: {
      subject,
      body: '',
      bodyTruncated: false,
      location: '',
      start: '2026-03-10T08:00:00.000Z',
      end: '2026-03-10T09:00:00.000Z',
      timeZone: 'UTC',
      isAllDay: false,
      startDate: null,
      endDate: null,
      showAs: 'busy',
      sensitivity: 'normal',
      isPrivate: false,
      isCancelled: false,
      attendees: [],
      organizer: null,
    },
  };
}

describe('the calendar repositories on PostgreSQL (rules 6.1, 6.2)', () => {
  let db: TestDatabase;
  let orm: Orm;
  let userId: string;
  const store = () => new CalendarSyncRepository(orm.em.fork());

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openOrm({ clientUrl: db.url, poolSize: 2 });
    const [row] = await orm.em
      .fork()
      .execute<{ id: string }[]>(
        `insert into hr_user (email, entra_id) values ('ada@contoso.com', 'e-ada') returning id`,
      );
    userId = row!.id;
    await orm.em.fork().execute(`insert into hr_user (email) values ('hr-only@contoso.com')`);
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  it('reads a mailbox only for an active HR user linked to Entra, with the default choices', async () => {
    expect(await store().mailbox(userId)).toEqual({
      hrUserId: userId,
      entraId: 'e-ada',
      email: 'ada@contoso.com',
      syncEnabled: true,
      showPrivateDetails: false,
      calendarsListedAt: null,
    });
    expect(await store().dueMailboxes()).toEqual([userId]);
    await repositoriesFor(orm.em.fork()).calendars.setOptions(userId, { syncEnabled: false });
    expect((await store().mailbox(userId))?.syncEnabled).toBe(false);
    expect(await store().dueMailboxes()).toEqual([]);
    await repositoriesFor(orm.em.fork()).calendars.setOptions(userId, { syncEnabled: true });
  });

  it('applies a plan in one go: adds, changes and removes', async () => {
    const base = { isDefault: false, enabled: false, ownerName: 'Ada', ownerAddress: 'ada@contoso.com' };
    await store().applyCalendarPlan(userId, {
      add: [
        { ...base, sourceId: 'main=', name: 'Calendar', isDefault: true, enabled: true },
        { ...base, sourceId: 'team=', name: 'Team' },
      ],
      change: [],
      remove: [],
    });
    const [main, team] = await repositoriesFor(orm.em.fork()).calendars.calendarsOf(userId);
    expect([main!.name, team!.name]).toEqual(['Calendar', 'Team']);
    await store().applyCalendarPlan(userId, {
      add: [],
      change: [{ ...base, id: team!.id, name: 'Team 2', enabled: true }],
      remove: [main!.id],
    });
    expect(await store().calendars(userId)).toEqual([
      { ...base, id: team!.id, sourceId: 'team=', name: 'Team 2', enabled: true },
    ]);
    expect(await repositoriesFor(orm.em.fork()).calendars.setEnabled(userId, main!.id, true)).toBe(false);
  });

  it('stores pages of events with their cursor, sweeps what a full round did not see, and keeps HR events', async () => {
    const events = new EventSyncRepository(orm.em.fork());
    const [calendar] = await store().calendars(userId);
    await orm.em.fork().execute(`insert into sync_channel (id, kind) values ('calendar:e-ada', 'calendar')`);
    const upsert = (sourceId: string, changeKey: string, subject = 'S') =>
      outlookEvent(sourceId, { changeKey, subject });
    const target = (fullRound: number | null, cursor: string) => ({
      hrUserId: userId,
      calendarId: calendar!.id,
      channel: 'calendar:e-ada',
      stream: 'events:x',
      next: { cursor, inRound: false, fullRound },
    });
    const none = { unchanged: [], removed: [], hrEntries: [] };
    await events.applyEventPage(target(1, 'link-1'), { ...none, upserts: [upsert('a=', 'k1'), upsert('b=', 'k1')] });
    await orm.em
      .fork()
      .execute(
        `insert into hr_event (hr_user_id, calendar_id, origin, kind, source_id, starts_at, ends_at) values (?, ?, 'hr', 'absence', 'mine=', now(), now())`,
        [userId, calendar!.id],
      );
    expect(
      (await events.storedEvents(calendar!.id, ['a=', 'mine=', 'zzz'])).map((e) => [e.sourceId, e.origin]).sort(),
    ).toEqual([
      ['a=', 'outlook'],
      ['mine=', 'hr'],
    ]);
    // An incremental page changes one, removes one; the cursor goes with it.
    await events.applyEventPage(target(null, 'link-2'), {
      ...none,
      upserts: [upsert('a=', 'k2', 'S2')],
      removed: ['b='],
    });
    const cursor = await new SyncChannelRepository(orm.em.fork()).cursors('calendar:e-ada').cursor('events:x');
    expect(cursor).toEqual({ cursor: 'link-2', inRound: false, fullRound: null });
    // A full round that sees nothing but a new event sweeps the old one, never the HR event.
    await events.applyEventPage(target(2, 'link-3'), { ...none, upserts: [upsert('c=', 'k1')] });
    expect(await events.sweepCalendar(calendar!.id, 2)).toBe(1);
    const left = await orm.em
      .fork()
      .execute<{ source_id: string }[]>(`select source_id from hr_event order by source_id`);
    expect(left.map((r) => r.source_id)).toEqual(['c=', 'mine=']);
    expect(await events.calendarsWithSyncedEvents(userId)).toEqual([calendar!.id]);
    expect(await events.clearSyncedEvents(calendar!.id)).toBe(1);
    // Removing the calendar keeps the HR event, detached, to be created again in the default calendar.
    await store().applyCalendarPlan(userId, { add: [], change: [], remove: [calendar!.id] });
    const [hrEvent] = await orm.em
      .fork()
      .execute<Array<{ calendar_id: string | null; source_id: string | null }>>(
        `select calendar_id, source_id from hr_event`,
      );
    expect(hrEvent).toEqual({ calendar_id: null, source_id: null });
  });

  it('keeps the last 50 runs of a mailbox', async () => {
    const counts = zeroCounts();
    for (let i = 0; i < 55; i++)
      await store().recordRun({
        hrUserId: userId,
        trigger: 'schedule',
        startedAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
        status: 'succeeded',
        counts,
        conflicts: [],
        error: null,
      });
    const runs = await repositoriesFor(orm.em.fork()).calendars.runs(userId, 100);
    expect(runs).toHaveLength(50);
    expect(runs[0]!.startedAt).toBe('2026-01-01T00:54:00.000Z');
  });

  it('settles polled mailboxes only while their cursors are the ones the poll read: events, cursors and runs at once (rule 6.10)', async () => {
    await store().applyCalendarPlan(userId, {
      add: [
        {
          sourceId: 'polled=',
          name: 'Polled',
          isDefault: false,
          enabled: true,
          ownerName: 'Ada',
          ownerAddress: 'ada@contoso.com',
        },
      ],
      change: [],
      remove: [],
    });
    const calendar = (await store().calendars(userId)).find((c) => c.sourceId === 'polled=')!;
    const sql = <T extends object>(text: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(text, params);
    await sql(
      `insert into hr_event (hr_user_id, calendar_id, origin, kind, source_id, subject, starts_at, ends_at)
       values (?, ?, 'outlook', 'outlook', 'gone=', 'Gone', now(), now()), (?, ?, 'hr', 'absence', 'hr-owned=', 'Absence', now(), now())`,
      [userId, calendar.id, userId, calendar.id],
    );
    const cursors = () => new SyncChannelRepository(orm.em.fork()).cursors('calendar:e-ada');
    const before = await cursors().cursor('events:x');
    const upsert = (sourceId: string, subject: string) => outlookEvent(sourceId, { changeKey: 'k1', subject });
    const polled = (from: string) => [
      {
        hrUserId: userId,
        counts: { ...zeroCounts(), eventsStored: 2, eventsRemoved: 1 },
        streams: [
          {
            channel: 'calendar:e-ada',
            stream: 'events:x',
            calendarId: calendar.id,
            from,
            to: 'link-9',
            // HR's own event is never overwritten by one of Outlook's under its id.
            upserts: [upsert('new=', 'New in Outlook'), upsert('hr-owned=', 'Not HR')],
            removed: ['gone=', 'hr-owned='],
          },
        ],
      },
    ];
    const subjects = async () =>
      (
        await sql<{ subject: string }>(`select subject from hr_event where calendar_id = ? order by subject`, [
          calendar.id,
        ])
      ).map((r) => r.subject);
    const at = new Date(Date.UTC(2026, 1, 1));
    // A run moved the cursor since the poll read it: nothing is saved or recorded.
    expect(await store().settlePolled(polled('read-before-a-run'), { trigger: 'schedule', startedAt: at })).toEqual([]);
    expect(await cursors().cursor('events:x')).toEqual(before);
    expect(await subjects()).toEqual(['Absence', 'Gone']);
    expect(await store().settlePolled(polled(before.cursor!), { trigger: 'schedule', startedAt: at })).toEqual([
      userId,
    ]);
    expect(await cursors().cursor('events:x')).toEqual({ ...before, cursor: 'link-9', inRound: false });
    expect(await subjects()).toEqual(['Absence', 'New in Outlook']);
    const runs = await repositoriesFor(orm.em.fork()).calendars.runs(userId, 100);
    expect(runs).toHaveLength(50);
    expect(runs[0]).toMatchObject({
      startedAt: at.toISOString(),
      status: 'succeeded',
      trigger: 'schedule',
      counts: { eventsStored: 2, eventsRemoved: 1 },
    });
    // A calendar a run removed after the poll read it takes no event, and fails nothing.
    await sql(
      `update sync_channel set cursors = cursors || '{"events:removed": {"cursor": "r-1"}}'::jsonb where id = 'calendar:e-ada'`,
    );
    const removedCalendar = '00000000-0000-4000-8000-000000000001';
    const [late] = polled('link-9');
    expect(
      await store().settlePolled(
        [
          {
            ...late!,
            streams: [
              { ...late!.streams[0]!, stream: 'events:removed', calendarId: removedCalendar, from: 'r-1', to: 'r-2' },
            ],
          },
        ],
        { trigger: 'schedule', startedAt: at },
      ),
    ).toEqual([userId]);
    expect(await sql(`select 1 from hr_event where calendar_id = ?`, [removedCalendar])).toEqual([]);
    expect(
      (
        await store().storedEventsIn([
          { calendarId: calendar.id, sourceId: 'new=' },
          { calendarId: calendar.id, sourceId: 'hr-owned=' },
          { calendarId: calendar.id, sourceId: 'unknown=' },
        ])
      )
        .map((e) => [e.sourceId, e.origin, e.calendarId])
        .sort(),
    ).toEqual([
      ['hr-owned=', 'hr', calendar.id],
      ['new=', 'outlook', calendar.id],
    ]);
  });

  it('names the subscriptions no run will end: a leaver, an unlinked user, sync switched off; all once calendar sync is off (rule 6.9)', async () => {
    const sql = <T extends object>(text: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(text, params);
    const [leaver, unlinked, off, kept] = await sql<{ id: string }>(
      `insert into hr_user (email, entra_id, active) values
         ('leaver@contoso.com', 'e-leaver', false), ('unlinked@contoso.com', null, true),
         ('off@contoso.com', 'e-off', true), ('kept@contoso.com', 'e-kept', true) returning id`,
    );
    await repositoriesFor(orm.em.fork()).calendars.setOptions(off!.id, { syncEnabled: false });
    for (const [user, id] of [
      [leaver, 's-leaver'],
      [unlinked, 's-unlinked'],
      [off, 's-off'],
      [kept, 's-kept'],
    ] as const)
      await store().saveSubscription(user!.id, {
        subscriptionId: id,
        clientStateHash: 'h',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
    const stale = async (calendarSync: boolean) =>
      (await store().staleSubscriptions({ calendarSync })).map((s) => s.subscriptionId).sort();
    expect(await stale(true)).toEqual(['s-leaver', 's-off', 's-unlinked']);
    expect(await stale(false)).toEqual(['s-kept', 's-leaver', 's-off', 's-unlinked']);
    await store().forgetSubscriptions(['s-leaver', 's-off', 's-unlinked']);
    expect(await stale(true)).toEqual([]);
    expect((await store().subscription(kept!.id))?.subscriptionId).toBe('s-kept');
    await store().forgetSubscriptions(['s-kept']);
    // The later tests count mailboxes: these four leave.
    const ids = JSON.stringify([leaver, unlinked, off, kept].map((u) => u!.id));
    await sql(`delete from calendar_mailbox where hr_user_id in (select jsonb_array_elements_text(?::jsonb)::uuid)`, [
      ids,
    ]);
    await sql(`delete from hr_user where id in (select jsonb_array_elements_text(?::jsonb)::uuid)`, [ids]);
  });

  it('with notifications on, polls only mailboxes without a live subscription, one to renew, a shared calendar, or no recent run (rule 6.9)', async () => {
    const notified = { renewBeforeMs: 86_400_000, pollInterval: '1 hour' };
    await repositoriesFor(orm.em.fork()).calendars.setOptions(userId, { syncEnabled: true });
    const counts = zeroCounts();
    await store().recordRun({
      hrUserId: userId,
      trigger: 'schedule',
      startedAt: new Date(),
      status: 'succeeded',
      counts,
      conflicts: [],
      error: null,
    });
    expect(await store().dueMailboxes(notified)).toEqual([userId]);
    const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
    await store().saveSubscription(userId, { subscriptionId: 's-1', clientStateHash: 'h', expiresAt: inDays(3) });
    expect(await store().dueMailboxes(notified)).toEqual([]);
    expect(await store().dueMailboxes()).toEqual([userId]);
    await store().renewedSubscription(userId, inDays(0.5));
    expect(await store().dueMailboxes(notified)).toEqual([userId]);
    await store().renewedSubscription(userId, inDays(3));
    await repositoriesFor(orm.em.fork()).calendarSubscriptions.lifecycle([
      { subscriptionId: 's-1', clientStateHash: 'h', event: 'reauthorizationRequired' },
    ]);
    expect(await store().subscription(userId)).toMatchObject({ renewDue: true });
    expect(await store().dueMailboxes(notified)).toEqual([userId]);
    await store().renewedSubscription(userId, inDays(3));
    await store().takeNotifications(userId);
    expect(await store().dueMailboxes(notified)).toEqual([]);

    // A notification whose job was never queued (the endpoint queues after its 202): not at the
    // poll right after it, which would run the mailbox twice, but once it has waited too long.
    await repositoriesFor(orm.em.fork()).calendarSubscriptions.notified([
      { subscriptionId: 's-1', clientStateHash: 'h' },
    ]);
    expect(await store().dueMailboxes(notified)).toEqual([]);
    await orm.em.fork().execute(`update calendar_subscription set notified_at = notified_at - interval '3 minutes'`);
    await orm.em.fork().execute(`update calendar_run set started_at = started_at - interval '3 minutes'`);
    expect(await store().dueMailboxes(notified)).toEqual([userId]);
    // A run that started after the notification read the mailbox, even one that left the mark.
    await store().recordRun({
      hrUserId: userId,
      trigger: 'schedule',
      startedAt: new Date(Date.now() - 60_000),
      status: 'succeeded',
      counts,
      conflicts: [],
      error: null,
    });
    expect(await store().dueMailboxes(notified)).toEqual([]);
    await orm.em.fork().execute(`delete from calendar_run where started_at > now() - interval '90 seconds'`);
    expect(await store().dueMailboxes(notified)).toEqual([userId]);
    await store().takeNotifications(userId);
    expect(await store().dueMailboxes(notified)).toEqual([]);

    await orm.em.fork().execute(`update calendar_run set started_at = now() - interval '2 hours'`);
    expect(await store().dueMailboxes(notified)).toEqual([userId]);
  });

  it('asks for one run per burst of notifications: the first since the last run taken, none for a wrong clientState (rule 6.9)', async () => {
    const subs = () => repositoriesFor(orm.em.fork()).calendarSubscriptions;
    const ours = { subscriptionId: 's-1', clientStateHash: 'h' };
    const hit = (run: boolean) => ({ ...ours, hrUserId: userId, run });
    expect(
      await subs().notified([
        { subscriptionId: 's-1', clientStateHash: 'wrong' },
        { subscriptionId: 'unknown', clientStateHash: 'h' },
      ]),
    ).toEqual([]);
    // One batch: its duplicates are one notification.
    expect(await subs().notified([ours, ours, { subscriptionId: 'unknown', clientStateHash: 'h' }])).toEqual([
      hit(true),
    ]);
    expect(await subs().notified([ours])).toEqual([hit(false)]);
    await store().takeNotifications(userId);
    // Batches at once: the row's lock makes one of them the first.
    const together = await Promise.all(Array.from({ length: 4 }, () => subs().notified([ours, ours])));
    expect(together.flat()).toHaveLength(4);
    expect(together.flat().filter((n) => n.run)).toHaveLength(1);
    // A run asked for and not started after NOTIFIED_RUN_PATIENCE is asked for again.
    await orm.em.fork().execute(`update calendar_subscription set notified_at = now() - interval '3 minutes'`);
    expect(await subs().notified([ours])).toEqual([hit(true)]);

    // Lifecycle notifications: each one of ours runs its mailbox; missed marks it for the schedule.
    await store().takeNotifications(userId);
    expect(await subs().lifecycle([{ ...ours, clientStateHash: 'wrong', event: 'subscriptionRemoved' }])).toEqual([]);
    expect(await subs().lifecycle([{ ...ours, event: 'missed' }])).toEqual([{ ...ours, hrUserId: userId }]);
    const [marked] = await orm.em
      .fork()
      .execute<Array<{ notified: boolean; renewDue: boolean }>>(
        `select notified_at is not null as notified, renew_due as "renewDue" from calendar_subscription`,
      );
    expect(marked).toEqual({ notified: true, renewDue: false });
    expect(
      await subs().lifecycle([
        { ...ours, event: 'missed' },
        { ...ours, event: 'subscriptionRemoved' },
      ]),
    ).toEqual([{ ...ours, hrUserId: userId }]);
    expect(await store().subscription(userId)).toBeNull();
  });
});
