import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ical, { type VEvent } from 'node-ical';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { hashToken } from '../../src/domain/bearer-token.js';
import { startService, type RunningService } from '../../src/service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ADMIN_TOKEN, testServiceEnv } from '../support/service.js';
import { CalendarWorld, dayAt, type Employee } from './calendar-support.js';

interface FeedReply {
  active: boolean;
  createdAt: string | null;
  lastReadAt: string | null;
  url?: string;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const plusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
/** node-ical gives a DATE value as the host's local midnight of that day. */
const localDate = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

function eventsOf(text: string): VEvent[] {
  return Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => c?.type === 'VEVENT');
}

describe("6.4: the employee's iCalendar feed, through a secret, revocable URL", () => {
  let w: CalendarWorld;
  let ada: Employee;
  let bob: Employee;
  const first = dayAt(14).slice(0, 10);

  beforeAll(async () => {
    // Calendar sync off first: HR's series stays HR's own, written as one event with its RRULE.
    w = await CalendarWorld.start({ calendarSync: false });
    [ada, bob] = (await w.employees('Ada', 'Bob')) as [Employee, Employee];
  });
  afterAll(async () => w?.close());

  const feedOf = async (employee: Employee) => w.asOk<FeedReply>(employee, '/api/me/calendar-feed', 'POST');

  it('has no feed until the employee makes one; its URL, shown once, opens the calendar without any other credential', async () => {
    expect(await w.asOk(ada, '/api/me/calendar-feed')).toEqual({ active: false, createdAt: null, lastReadAt: null });
    await w.asOk(ada, '/api/me/events', 'POST', {
      kind: 'absence',
      subject: 'Parental leave',
      isAllDay: true,
      timeZone: 'W. Europe Standard Time',
      startDate: first,
      endDate: plusDays(first, 1),
      recurrence: {
        type: 'weekly',
        interval: 1,
        daysOfWeek: [WEEKDAYS[new Date(`${first}T00:00:00Z`).getUTCDay()]],
        count: 3,
        until: null,
      },
    });
    await w.asOk(ada, '/api/me/events', 'POST', {
      kind: 'meeting',
      subject: 'Doctor',
      body: 'blood test',
      timeZone: 'Europe/Berlin',
      start: `${dayAt(3, '08:00')}Z`,
      end: `${dayAt(3, '09:00')}Z`,
      sensitivity: 'private',
    });
    const made = await feedOf(ada);
    expect(made).toMatchObject({ active: true, lastReadAt: null });
    expect(made.url).toMatch(new RegExp(`^${w.world.h.service.url}/feeds/calendar/ehf_[A-Za-z0-9_-]{43}\\.ics$`));
    expect(JSON.stringify(await w.asOk(ada, '/api/me/calendar-feed'))).not.toContain('ehf_');

    const res = await fetch(made.url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    const events = eventsOf(text);
    const leave = events.find((e) => e.summary === 'Parental leave')!;
    expect(leave.datetype).toBe('date');
    expect(
      leave
        .rrule!.between(new Date(Date.now() - 86_400_000), new Date(Date.now() + 60 * 86_400_000), true)
        .map(localDate),
    ).toEqual([first, plusDays(first, 7), plusDays(first, 14)]);
    expect(localDate(leave.end!)).toBe(plusDays(first, 1));
    const doctor = events.find((e) => e.start.toISOString() === `${dayAt(3, '08:00')}.000Z`)!;
    expect(doctor).toMatchObject({ summary: 'Busy', class: 'PRIVATE' });
    expect(text).not.toContain('Doctor');
    expect(text).not.toContain('blood test');
    expect(text).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin');

    // A polling calendar app that already has this version gets 304.
    const again = await fetch(made.url!, { headers: { 'If-None-Match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await w.asOk<FeedReply>(ada, '/api/me/calendar-feed')).lastReadAt).not.toBeNull();
  });

  it("a new URL ends the old one at once, a revoked URL is 404, and each URL shows its own employee's calendar only", async () => {
    const old = (await feedOf(ada)).url!;
    const current = (await feedOf(ada)).url!;
    expect(current).not.toBe(old);
    expect((await fetch(old)).status).toBe(404);
    expect((await fetch(current)).status).toBe(200);

    const bobs = await (await fetch((await feedOf(bob)).url!)).text();
    expect(bobs).toContain('BEGIN:VCALENDAR');
    expect(bobs).not.toContain('Parental leave');

    expect((await w.as(ada, '/api/me/calendar-feed', 'DELETE')).status).toBe(204);
    expect((await fetch(current)).status).toBe(404);
    expect((await w.as(ada, '/api/me/calendar-feed', 'DELETE')).status).toBe(404);
    expect(await w.asOk(ada, '/api/me/calendar-feed')).toMatchObject({ active: false });
    for (const path of ['/feeds/calendar/nope.ics', `/feeds/calendar/ehf_${'a'.repeat(43)}.ics`, '/feeds/calendar/'])
      expect((await fetch(`${w.world.h.service.url}${path}`)).status).toBe(404);
  });

  it('with calendar sync on, shows the Outlook events of enabled calendars, a private one as a busy block, and an HR series as its occurrences', async () => {
    await w.world.settings({ calendarSync: true });
    await w.outlook.createEvent(ada.entraId, null, {
      subject: 'Therapy',
      sensitivity: 'private',
      start: { dateTime: dayAt(5, '16:00'), timeZone: 'UTC' },
      end: { dateTime: dayAt(5, '17:00'), timeZone: 'UTC' },
    });
    await w.outlook.createEvent(ada.entraId, null, {
      subject: 'Team lunch',
      start: { dateTime: dayAt(6, '12:00'), timeZone: 'UTC' },
      end: { dateTime: dayAt(6, '13:00'), timeZone: 'UTC' },
    });
    await w.sync(ada);
    await w.sync(ada);
    const text = await (await fetch((await feedOf(ada)).url!)).text();
    const events = eventsOf(text);
    expect(text).not.toContain('Therapy');
    expect(events.find((e) => e.start.toISOString() === `${dayAt(5, '16:00')}.000Z`)?.summary).toBe('Busy');
    expect(events.find((e) => e.summary === 'Team lunch')?.start.toISOString()).toBe(`${dayAt(6, '12:00')}.000Z`);
    const leave = events.filter((e) => e.summary === 'Parental leave');
    expect(leave.map((e) => [localDate(e.start), e.rrule])).toEqual([
      [first, undefined],
      [plusDays(first, 7), undefined],
      [plusDays(first, 14), undefined],
    ]);
  });
});

describe('the feed URL in logs', () => {
  let db: TestDatabase;
  let dataDir: string;
  let service: RunningService;
  const lines: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'ehc-feed-'));
    const config = loadConfig(testServiceEnv(db.url, dataDir, { LOG_LEVEL: 'trace' }));
    service = await startService(config, pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) }));
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('never shows its secret nor its hash: the path is logged as /feeds/calendar/[secret].ics', async () => {
    const made = (await (
      await fetch(`${service.url}/api/me/calendar-feed`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    ).json()) as { url: string };
    const token = /(ehf_[^.]+)\.ics$/.exec(made.url)![1]!;
    expect((await fetch(made.url)).status).toBe(200);
    expect((await fetch(made.url.replace('.ics', 'x.ics'))).status).toBe(404);
    const log = lines.join('');
    expect(log).toContain('/feeds/calendar/[secret].ics');
    for (const secret of [token, hashToken(token)]) expect(log).not.toContain(secret);
  });
});
