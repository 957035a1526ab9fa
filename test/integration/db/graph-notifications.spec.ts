import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { pino } from 'pino';
import { pinoHttp } from 'pino-http';
import { hashToken } from '../../../src/domain/bearer-token.js';
import { CalendarSyncRepository } from '../../../src/gateways/db/calendar-sync.repository.js';
import { openOrm, type Orm } from '../../../src/gateways/db/orm.js';
import { repositoriesFor } from '../../../src/gateways/db/repositories.js';
import { zeroCounts } from '../../../src/sync/calendars/calendar-sync.service.js';
import {
  GRAPH_NOTIFICATIONS_PATH,
  graphNotificationsSurface,
} from '../../../src/http/surfaces/graph-notifications.surface.js';
import { calendarScheduleJob } from '../../../src/jobs/calendar-sync.job.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

/**
 * Rule 6.9 at the public endpoint, on PostgreSQL: a batch of Graph's notifications is recorded in
 * one statement, answered 202, and only then are the runs queued; a run whose job was never queued
 * is run by the calendar schedule.
 */
describe('POST /api/notifications/graph on PostgreSQL (rule 6.9)', () => {
  let db: TestDatabase;
  let orm: Orm;
  let server: Server;
  let url: string;
  const mailboxes: Array<{ hrUserId: string; subscriptionId: string; clientState: string }> = [];
  /** Statements the endpoint's requests sent, and the runs it queued. */
  let statements: string[] = [];
  let queued: string[] = [];
  let requestSync: (hrUserId: string) => Promise<void>;
  const logs: Array<{ level: number; msg: string; hrUserId?: string }> = [];
  const store = () => new CalendarSyncRepository(orm.em.fork());
  const notified = { renewBeforeMs: 86_400_000, pollInterval: '1 hour' };

  const post = async (value: unknown[]) =>
    fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ value }) });
  const change = (m: (typeof mailboxes)[number], extra: Record<string, unknown> = {}) => ({
    subscriptionId: m.subscriptionId,
    clientState: m.clientState,
    changeType: 'updated',
    resource: `users/${m.hrUserId}/events/x`,
    ...extra,
  });
  const until = async (what: string, probe: () => boolean) => {
    for (let i = 0; !probe(); i++) {
      if (i > 200) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  /** Time passes: the marks and the runs recorded are that much older. */
  const waited = async (interval: string) => {
    await orm.em.fork().execute(`update calendar_subscription set notified_at = notified_at - ?::interval`, [interval]);
    await orm.em.fork().execute(`update calendar_run set started_at = started_at - ?::interval`, [interval]);
  };
  /** The mailboxes the calendar schedule hands to the poll now, with notifications on. */
  const fanOut = async () => {
    const runs: string[] = [];
    await calendarScheduleJob({
      calendarSync: async () => true,
      dueMailboxes: () => store().dueMailboxes(notified),
      endStaleSubscriptions: async () => 0,
      queue: {
        now: async (_name, payload) => {
          runs.push(...(payload as { hrUserIds: string[] }).hrUserIds);
          return `job-${runs.length}`;
        },
      },
    })(undefined as never, { jobId: 'j', signal: new AbortController().signal });
    return runs.sort();
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openOrm({ clientUrl: db.url, poolSize: 4 });
    for (const name of ['ada', 'bob', 'cy']) {
      const [row] = await orm.em
        .fork()
        .execute<Array<{ id: string }>>(`insert into hr_user (email, entra_id) values (?, ?) returning id`, [
          `${name}@contoso.com`,
          `e-${name}`,
        ]);
      mailboxes.push({ hrUserId: row!.id, subscriptionId: `sub-${name}`, clientState: `secret-${name}` });
    }
    const app = express();
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    app.use(pinoHttp({ logger, autoLogging: false }));
    const surface = graphNotificationsSurface({
      kit: {
        rateLimit: (_req, _res, next) => next(),
        withEntityManager: (req, _res, next) => {
          const em = orm.em.fork();
          const execute = em.execute.bind(em);
          em.execute = ((sql: string, ...rest: unknown[]) => {
            statements.push(sql);
            return (execute as (...args: unknown[]) => unknown)(sql, ...rest);
          }) as typeof em.execute;
          req.context = { em, repos: repositoriesFor(em) };
          next();
        },
      },
      bodyLimit: '1mb',
      requestCalendarSync: (hrUserId) => requestSync(hrUserId),
    });
    app.use(surface.path, surface.router);
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${GRAPH_NOTIFICATIONS_PATH}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await orm?.close();
    await db?.drop();
  });
  beforeEach(async () => {
    statements = [];
    queued = [];
    logs.length = 0;
    requestSync = async (hrUserId) => void queued.push(hrUserId);
    // Every mailbox subscribed, just run (its notifications taken), nothing due at the poll.
    await orm.em.fork().execute(`delete from calendar_run`);
    for (const m of mailboxes) {
      await store().saveSubscription(m.hrUserId, {
        subscriptionId: m.subscriptionId,
        clientStateHash: hashToken(m.clientState),
        expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      });
      await store().takeNotifications(m.hrUserId);
      await store().recordRun({
        hrUserId: m.hrUserId,
        trigger: 'schedule',
        startedAt: new Date(),
        status: 'succeeded',
        counts: zeroCounts(),
        conflicts: [],
        error: null,
      });
    }
    expect(await fanOut()).toEqual([]);
  });

  it('records a batch of many notifications in one statement and queues one run per mailbox; duplicates and strangers cost no run', async () => {
    const [ada, bob, cy] = mailboxes as [(typeof mailboxes)[0], (typeof mailboxes)[0], (typeof mailboxes)[0]];
    const batch = [
      ...Array.from({ length: 60 }, (_, i) => change(i % 2 ? ada : bob, { resource: `users/x/events/${i}` })),
      change(cy, { clientState: 'guessed' }),
      change({ ...cy, subscriptionId: 'not-ours' }),
      { subscriptionId: cy.subscriptionId, changeType: 'updated', resource: 'x' },
    ];
    const res = await post(batch);
    expect(res.status).toBe(202);
    await until('the runs queued', () => queued.length === 2);
    expect(statements).toHaveLength(1);
    expect(queued.sort()).toEqual([ada.hrUserId, bob.hrUserId].sort());
    expect(logs.find((l) => l.msg === 'Graph change notifications accepted')).toMatchObject({
      notifications: 63,
      runs: 2,
      ignored: 3,
    });

    // The same batch again while those runs have not started: one statement, no run.
    statements = [];
    expect((await post(batch)).status).toBe(202);
    await until(
      'the batch recorded',
      () => logs.filter((l) => l.msg === 'Graph change notifications accepted').length === 2,
    );
    expect(statements).toHaveLength(1);
    expect(queued).toHaveLength(2);
    // The runs were queued: the poll right after runs none of them again.
    expect(await fanOut()).toEqual([]);
  });

  it('answers 202 before the runs are queued', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    requestSync = async (hrUserId) => {
      await held;
      queued.push(hrUserId);
    };
    const res = await post([change(mailboxes[0]!)]);
    expect(res.status).toBe(202);
    expect(queued).toEqual([]);
    release();
    await until('the run queued', () => queued.length === 1);
  });

  it('answers 202 when a run cannot be queued, logs a warning, and the calendar schedule runs the mailbox later', async () => {
    const [ada, bob] = mailboxes as [(typeof mailboxes)[0], (typeof mailboxes)[0]];
    requestSync = async (hrUserId) => {
      if (hrUserId === ada.hrUserId) throw new Error('job store unreachable');
      queued.push(hrUserId);
    };
    const res = await post([change(ada), change(bob)]);
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    await until('the warning', () => logs.some((l) => l.level === 40));
    expect(logs.filter((l) => l.level >= 40)).toEqual([
      expect.objectContaining({ level: 40, hrUserId: ada.hrUserId, msg: expect.stringMatching(/could not be queued/) }),
    ]);
    await until('the other run queued', () => queued.length === 1);
    expect(queued).toEqual([bob.hrUserId]);

    // Not at the poll right after (a queued run may not have started yet), but once the
    // notification has waited NOTIFIED_RUN_PATIENCE with no run taking it: Ada's run comes, Bob's
    // run took its notification as it started.
    expect(await fanOut()).toEqual([]);
    await store().takeNotifications(bob.hrUserId);
    await waited('3 minutes');
    expect(await fanOut()).toEqual([ada.hrUserId]);
    // Until a run takes it, a further notification asks for the run again.
    expect((await post([change(ada)])).status).toBe(202);
    await until('the run asked again', () => logs.filter((l) => l.level === 40).length === 2);
    await store().takeNotifications(ada.hrUserId);
    expect(await fanOut()).toEqual([]);
  });

  it('records lifecycle notifications in one statement of their own: renew, subscribe anew, read again, each through a run', async () => {
    const [ada, bob, cy] = mailboxes as [(typeof mailboxes)[0], (typeof mailboxes)[0], (typeof mailboxes)[0]];
    const lifecycle = (m: (typeof mailboxes)[0], lifecycleEvent: string) => ({
      subscriptionId: m.subscriptionId,
      clientState: m.clientState,
      lifecycleEvent,
    });
    const res = await post([
      lifecycle(ada, 'reauthorizationRequired'),
      lifecycle(bob, 'subscriptionRemoved'),
      lifecycle(cy, 'missed'),
      { ...lifecycle(cy, 'subscriptionRemoved'), clientState: 'guessed' },
      lifecycle(cy, 'somethingNew'),
    ]);
    expect(res.status).toBe(202);
    await until('the runs queued', () => queued.length === 3);
    expect(statements).toHaveLength(1);
    expect(queued.sort()).toEqual(mailboxes.map((m) => m.hrUserId).sort());
    expect(await store().subscription(ada.hrUserId)).toMatchObject({ renewDue: true });
    expect(await store().subscription(bob.hrUserId)).toBeNull();
    expect(await store().subscription(cy.hrUserId)).toMatchObject({ renewDue: false });

    // With change notifications in the same batch: two statements, one run per mailbox.
    statements = [];
    queued = [];
    for (const m of mailboxes) await store().takeNotifications(m.hrUserId);
    expect((await post([change(cy), lifecycle(cy, 'missed'), change(ada)])).status).toBe(202);
    await until('the runs queued', () => queued.length === 2);
    expect(statements).toHaveLength(2);
    expect(queued.sort()).toEqual([ada.hrUserId, cy.hrUserId].sort());
  });
});
