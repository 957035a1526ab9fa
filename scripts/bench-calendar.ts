/**
 * Benchmark of the calendar sync (issue 13, performance section; docs/rules.md §6).
 *
 *   npm run bench:calendar [-- --users 2000 --events 100]
 *
 * The emulator runs in its own process with N generated users; every mailbox gets 3 calendars
 * (the default one and `Extra 1`, `Extra 2`) of `--events` events each. The service runs in its own
 * process (`npm start`) on this machine's PostgreSQL, first with change notifications on
 * (CALENDAR_NOTIFICATIONS, the emulator POSTing them at once), then restarted with them off:
 *
 * 1. first sync: calendar sync switched on reads every mailbox (its default calendar); each
 *    employee then enables `Extra 1` (as in the web app: a run of that mailbox); the figure is the
 *    time of both passes, and the service's peak memory;
 * 2. a run with nothing changed, notifications on: the Graph requests a poll makes;
 * 3. latency with notifications on: an event edited in Outlook until HR has it, and an HR event
 *    created or changed until Outlook has it (p99 of each);
 * 4. the notification endpoint's answer time under 1,000 changes in 10 s (as the emulator timed
 *    its deliveries);
 * 5. notifications off: 1 % of the enabled calendars' events changed in Outlook and the HR events
 *    changed in HR, then one poll of every mailbox, timed;
 * 6. a run with nothing changed, notifications off: Graph requests per enabled calendar.
 *
 * Each figure is printed beside its bar; the exit code is 1 when one falls short.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { EmulatorControlClient } from '../src/emulator/control-client.js';
import {
  adminApi,
  adminSql,
  cleanUp,
  call,
  databaseUrl as serverDatabaseUrl,
  emulatorTenantEnv,
  freePort,
  mb,
  peakRssOfTree,
  percentile,
  report,
  spawnEmulator,
  startService as startServiceProcess,
  stopTree,
  syncNow,
  waitReady,
  type Api,
  type EmulatorReady,
  type Figure,
  type ServiceProcess,
} from './bench-support.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '2000' },
    events: { type: 'string', default: '100' },
    samples: { type: 'string', default: '100' },
  },
});
const USERS = Number(args.users);
const EVENTS = Number(args.events);
const SAMPLES = Number(args.samples);
const ENABLED = ['Calendar', 'Extra 1'];
const figures: Figure[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (since: number) => (performance.now() - since) / 1000;

async function main(): Promise<void> {
  const { child: emulatorProcess, ready } = await spawnEmulator(USERS);
  const caCertPem = readFileSync(ready.caFile, 'utf8');
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), caCertPem]);
  const control = new EmulatorControlClient(ready.url, caCertPem);
  const seeded = await control.calendars.seedCalendars({ calendarsPerMailbox: 3, eventsPerCalendar: EVENTS });
  console.log(`emulator: ${JSON.stringify(seeded)}`);
  const database = `ehc_bench_cal_${Date.now()}`;
  const databaseUrl = serverDatabaseUrl(database);
  const dataDir = mkdtempSync(join(tmpdir(), 'ehc-bench-cal-'));
  await adminSql(`create database ${database}`);
  const port = await freePort();
  const api = adminApi(port);
  const db = new pg.Client({ connectionString: databaseUrl });
  // Dropping the database at the end ends this connection from the server's side.
  db.on('error', () => undefined);
  let service: ServiceProcess | undefined;
  try {
    service = await startService(port, databaseUrl, dataDir, ready, true);
    await db.connect();
    const groups = (await (await api('/api/admin/groups?search=All%20Staff')).json()) as {
      items: Array<{ id: string; displayName: string }>;
    };
    await call(api, 'PUT', '/api/admin/synced-groups', {
      groupIds: [groups.items.find((g) => g.displayName === 'All Staff')!.id],
    });
    await syncNow(api);
    const mailboxes = (
      await db.query<{ id: string; entra_id: string }>(
        'select id, entra_id from hr_user where entra_id is not null and active order by id',
      )
    ).rows;
    console.log(`${mailboxes.length} mailboxes in HR`);
    const ranSince = async (since: Date) =>
      Number(
        (await db.query(`select count(distinct hr_user_id) as n from calendar_run where started_at >= $1`, [since]))
          .rows[0].n,
      );
    const untilAllRan = async (since: Date, limitS = 600) => {
      const start = performance.now();
      while ((await ranSince(since)) < mailboxes.length && seconds(start) < limitS) await sleep(200);
    };

    // 1. First sync: every mailbox, then each employee enables a second calendar.
    let since = new Date();
    let start = performance.now();
    await call(api, 'PATCH', '/api/admin/settings', { calendarSync: true });
    await untilAllRan(since);
    const firstPass = seconds(start);
    const failed = async () =>
      Number((await db.query(`select count(*) as n from calendar_run where status = 'failed'`)).rows[0].n);
    console.log(`first pass: ${firstPass.toFixed(1)} s, ${await failed()} failed runs so far`);
    await db.query(`update hr_calendar set enabled = true where name = 'Extra 1'`);
    since = new Date();
    start = performance.now();
    await forEach(mailboxes, 16, (m) => api(`/api/admin/users/${m.id}/calendar/sync`, { method: 'POST' }));
    await untilAllRan(since);
    const secondPass = seconds(start);
    const peak = peakRssOfTree(service.child.pid!);
    const stored = Number((await db.query(`select count(*) as n from hr_event`)).rows[0].n);
    console.log(`first sync: ${firstPass.toFixed(1)} s + ${secondPass.toFixed(1)} s, ${stored} events in HR`);
    figures.push(
      { label: 'first sync (both passes)', value: firstPass + secondPass, unit: 's', bar: 120, rule: 'max' },
      { label: 'peak memory of the service', value: mb(peak), unit: 'MB', bar: 400, rule: 'max' },
      {
        label: 'events in HR after the first sync',
        value: stored,
        unit: '',
        bar: mailboxes.length * 2 * EVENTS,
        rule: 'eq',
      },
    );

    // 2. Nothing changed, notifications on: a poll asks Graph for nothing.
    await sleep(3000);
    await control.resetStats();
    since = new Date();
    // Off and on again fans the poll out now (an unchanged setting re-plans nothing).
    await call(api, 'PATCH', '/api/admin/settings', { calendarSync: false });
    await call(api, 'PATCH', '/api/admin/settings', { calendarSync: true });
    await sleep(5000);
    // HTTP requests: a $batch counts once (its items count against Outlook's limits, docs/graph.md §7.1a).
    const quietOn = (await control.stats()).httpRequests;
    console.log(`nothing changed, notifications on: ${await ranSince(since)} mailbox runs`);
    figures.push({
      label: 'Graph requests of a poll, nothing changed, notifications on',
      value: quietOn,
      unit: '',
      bar: 5,
      rule: 'max',
    });

    // 3. Latency with notifications on.
    // Ten probes at once, each on a connection of its own (one client would queue them behind each other).
    const probes = new pg.Pool({ connectionString: databaseUrl, max: 10 });
    probes.on('error', () => undefined);
    const outlookToHr = await latencyOutlookToHr(probes, control);
    const hrToOutlook = await latencyHrToOutlook(probes, api, control, mailboxes);
    await probes.end();
    figures.push(
      {
        label: 'Outlook edit -> HR, p99 (notifications on)',
        value: percentile(outlookToHr, 99),
        unit: 's',
        bar: 5,
        rule: 'max',
      },
      {
        label: 'HR create or change -> Outlook, p99',
        value: percentile(hrToOutlook, 99),
        unit: 's',
        bar: 5,
        rule: 'max',
      },
    );

    // 4. The notification endpoint under 1,000 changes in 10 s, as the emulator timed its deliveries.
    const sample = (
      await db.query<{ source_id: string; entra_id: string }>(
        `select e.source_id, u.entra_id from hr_event e join hr_user u on u.id = e.hr_user_id
          where e.origin = 'outlook' and e.event_type = 'singleInstance' order by random() limit 1000`,
      )
    ).rows;
    await control.calendars.notificationStats(true);
    start = performance.now();
    for (let i = 0; i < sample.length; i++) {
      const due = start + i * 10;
      if (due > performance.now()) await sleep(due - performance.now());
      void control.calendars.updateEvent(sample[i]!.entra_id, sample[i]!.source_id, { subject: `Burst ${i}` });
    }
    await sleep(5000);
    const burst = await control.calendars.notificationStats();
    console.log(
      `burst: ${burst.notifications} notifications in ${burst.batches} batches, ${burst.failed} failed, ${burst.slow} slow`,
    );
    figures.push(
      {
        label: 'notification endpoint answer, p99 (1,000 changes in 10 s)',
        value: Math.round(percentile(burst.answerMs, 99)),
        unit: 'ms',
        bar: 300,
        rule: 'max',
      },
      { label: 'notifications delivered in the burst', value: burst.notifications, unit: '', bar: 1000, rule: 'min' },
    );
    await sleep(5000);

    // 5. Notifications off: 1 % of the events changed on both sides, then one poll.
    await stopTree(service.child);
    await control.calendars.setNotificationDelivery({ paused: true });
    service = await startService(port, databaseUrl, dataDir, ready, false);
    // The restart polls every mailbox: done before anything changes, so it is no part of the figure.
    await sleep(2000);
    await calendarJobsDone(db);
    const touched = await control.calendars.touchEvents({
      count: Math.round(mailboxes.length * 2 * EVENTS * 0.01),
      calendarNames: ENABLED,
      subject: 'Changed in Outlook',
    });
    const hrChanged =
      (
        await db.query(
          `update hr_event set subject = subject || ' (changed in HR)', hr_version = hr_version + 1,
           hr_modified_at = clock_timestamp(), updated_at = now() where origin = 'hr' and deleted_at is null returning id`,
        )
      ).rowCount ?? 0;
    since = new Date();
    start = performance.now();
    // The poll now (the one the restart queued ran before the changes were made).
    await call(api, 'PATCH', '/api/admin/settings', { calendarSync: false });
    await call(api, 'PATCH', '/api/admin/settings', { calendarSync: true });
    await untilAllRan(since);
    const changedRun = seconds(start);
    // Private events are busy blocks in HR: their new subject does not show, their new changeKey does.
    const ids = touched.map((t) => t.eventId);
    const { rows: reached } = await db.query<{ held: string; arrived: string }>(
      `select count(*) as held, count(*) filter (where is_private or subject like 'Changed in Outlook%') as arrived
         from hr_event where source_id = any($1::text[])`,
      [ids],
    );
    const arrived = Number(reached[0]!.arrived);
    const pushed = Number(
      (await db.query(`select count(*) as n from hr_event where origin = 'hr' and pushed_version = hr_version`)).rows[0]
        .n,
    );
    console.log(`1 % changed: ${touched.length} in Outlook (${arrived} in HR), ${hrChanged} in HR (${pushed} pushed)`);
    figures.push(
      {
        label: 'a poll of every mailbox after 1 % changed on both sides',
        value: changedRun,
        unit: 's',
        bar: 10,
        rule: 'max',
      },
      {
        label: 'Outlook changes in HR after it (of those HR holds)',
        value: arrived,
        unit: '',
        bar: Number(reached[0]!.held),
        rule: 'eq',
      },
    );

    // 6. Nothing changed, notifications off; once the polls the restart and step 5 queued are done.
    await sleep(2000);
    await calendarJobsDone(db);
    await control.resetStats();
    since = new Date();
    // Off and on again: the admin's way to have the poll now rather than at its next interval.
    await call(api, 'PATCH', '/api/admin/settings', { calendarSync: false });
    await call(api, 'PATCH', '/api/admin/settings', { calendarSync: true });
    await untilAllRan(since);
    const quietStats = await control.stats();
    const quietOff = quietStats.httpRequests;
    const enabledCalendars = Number((await db.query(`select count(*) as n from hr_calendar where enabled`)).rows[0].n);
    console.log(
      `nothing changed, notifications off: ${quietOff} requests (${quietStats.requests - quietOff} $batch items) for ${enabledCalendars} enabled calendars`,
    );
    figures.push({
      label: 'Graph requests per enabled calendar of a poll, nothing changed, notifications off',
      value: quietOff / enabledCalendars,
      unit: '',
      // One request per 20 enabled calendars, in whole requests: 966 calendars cannot take fewer than 49.
      bar: Math.ceil(enabledCalendars / 20) / enabledCalendars,
      rule: 'max',
    });
    figures.push({ label: 'errors in the service log', value: service.errors.length, unit: '', bar: 0, rule: 'eq' });
    for (const line of service.errors.slice(0, 5)) console.error(line);
  } finally {
    await cleanUp({ db, service, emulator: emulatorProcess, database, dataDir });
  }
  report(figures);
}

/** Outlook edits of events HR holds, ten at a time, each timed until HR has the new subject. */
async function latencyOutlookToHr(db: pg.Pool, control: EmulatorControlClient): Promise<number[]> {
  const sample = (
    await db.query<{ id: string; source_id: string; entra_id: string }>(
      `select e.id, e.source_id, u.entra_id from hr_event e join hr_user u on u.id = e.hr_user_id
        where e.origin = 'outlook' and e.event_type = 'singleInstance' and not e.is_private order by random() limit $1`,
      [SAMPLES],
    )
  ).rows;
  const latencies: number[] = [];
  await forEach(sample, 10, async (event, i) => {
    const subject = `Latency ${i}`;
    const start = performance.now();
    await control.calendars.updateEvent(event.entra_id, event.source_id, { subject });
    await until(
      async () =>
        (await db.query(`select 1 from hr_event where id = $1 and subject = $2`, [event.id, subject])).rowCount === 1,
    );
    latencies.push(seconds(start));
  });
  return latencies;
}

/** HR events created, then changed, through the admin API, each timed until Outlook has it. */
async function latencyHrToOutlook(
  db: pg.Pool,
  api: Api,
  control: EmulatorControlClient,
  mailboxes: Array<{ id: string; entra_id: string }>,
): Promise<number[]> {
  const latencies: number[] = [];
  const people = mailboxes.slice(0, SAMPLES / 2);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  await forEach(people, 10, async (person, i) => {
    const subject = `HR latency ${i}`;
    const start = performance.now();
    const created = (await call(api, 'POST', `/api/admin/users/${person.id}/events`, {
      kind: 'training',
      subject,
      start: `${tomorrow}T10:00:00Z`,
      end: `${tomorrow}T11:00:00Z`,
    })) as { id: string };
    const sourceId = await until(async () => {
      const row = (
        await db.query<{ source_id: string | null }>(
          `select source_id from hr_event where id = $1 and pushed_version = hr_version`,
          [created.id],
        )
      ).rows[0];
      return row?.source_id ?? null;
    });
    latencies.push(seconds(start));
    const changed = `${subject} (moved)`;
    const again = performance.now();
    await call(api, 'PATCH', `/api/admin/users/${person.id}/events/${created.id}`, { subject: changed });
    await until(async () => (await control.calendars.getEvent(person.entra_id, sourceId))?.['subject'] === changed);
    latencies.push(seconds(again));
  });
  return latencies;
}

/** Until no calendar job is running or due (the recurring schedule aside). */
async function calendarJobsDone(db: pg.Client): Promise<void> {
  await until(async () => {
    const { rows } = await db.query<{ n: string }>(
      `select count(*) as n from agenda_jobs where name in ('calendar-schedule', 'calendar-poll', 'calendar-sync')
          and repeat_interval is null and (locked_at is not null or next_run_at <= now())`,
    );
    return Number(rows[0]!.n) === 0;
  }, 600);
}

async function until<T>(probe: () => Promise<T | null | false>, limitS = 120): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (seconds(start) > limitS) throw new Error(`nothing after ${limitS} s`);
    await sleep(25);
  }
}

/** Runs `work` on every item, `width` at a time. */
async function forEach<T>(
  items: T[],
  width: number,
  work: (item: T, index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

async function startService(
  port: number,
  databaseUrl: string,
  dataDir: string,
  ready: EmulatorReady,
  notifications: boolean,
): Promise<ServiceProcess> {
  const service = startServiceProcess({
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    RATE_LIMIT_PER_MINUTE: '1000000',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    CALENDAR_NOTIFICATIONS: String(notifications),
    // The benchmark asks for each poll itself: a scheduled one in the middle would count twice.
    CALENDAR_POLL_INTERVAL: '1 hour',
    ...emulatorTenantEnv(ready),
  });
  await waitReady(port);
  return service;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
