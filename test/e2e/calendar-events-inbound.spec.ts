import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CalendarWorld, dayAt, type Employee } from './calendar-support.js';

const utc = (dateTime: string, timeZone = 'UTC') => ({ dateTime, timeZone });

/** The next last Sunday of March or October (Europe's daylight-saving changes) at least three days away. */
function nextEuropeanDstChange(): Date {
  const soon = Date.now() + 3 * 86_400_000;
  for (let year = new Date().getUTCFullYear(); ; year++)
    for (const month of [2, 9]) {
      const last = new Date(Date.UTC(year, month + 1, 0));
      last.setUTCDate(last.getUTCDate() - last.getUTCDay());
      if (last.getTime() > soon) return last;
    }
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const plusDays = (date: string, days: number) => isoDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000));

describe('6.3 and 6.6: events of enabled calendars flow Microsoft 365 -> HR, as real calendars hold them', () => {
  let w: CalendarWorld;
  let ada: Employee;

  beforeAll(async () => {
    w = await CalendarWorld.start();
    [ada] = (await w.employees('Ada')) as [Employee];
  });
  afterAll(async () => w.close());

  it('brings a meeting with its body, place, organizer and attendees, and a second run changes nothing', async () => {
    await w.outlook.createEvent(ada.entraId, null, {
      subject: 'Quarterly review',
      body: { contentType: 'html', content: '<p>Agenda: <b>numbers</b></p>' },
      location: { displayName: 'Room 4' },
      start: utc(dayAt(10, '09:00')),
      end: utc(dayAt(10, '10:30')),
      attendees: [
        {
          type: 'required',
          emailAddress: { name: 'Bob', address: 'bob@contoso.com' },
          status: { response: 'accepted' },
        },
        { type: 'optional', emailAddress: { name: 'Cy', address: 'cy@contoso.com' } },
      ],
    });
    const first = await w.sync(ada);
    expect(first.counts).toMatchObject({ eventsStored: 1 });
    expect(await w.eventNamed(ada, 'Quarterly review')).toMatchObject({
      origin: 'outlook',
      calendarName: 'Calendar',
      body: 'Agenda: numbers',
      location: 'Room 4',
      start: `${dayAt(10, '09:00')}.000Z`,
      end: `${dayAt(10, '10:30')}.000Z`,
      type: 'singleInstance',
      organizer: { name: 'Ada Tester', address: ada.mail },
      attendees: [
        { name: 'Bob', address: 'bob@contoso.com', type: 'required', response: 'accepted' },
        { name: 'Cy', address: 'cy@contoso.com', type: 'optional', response: 'none' },
      ],
      push: null,
    });
    expect((await w.sync(ada)).counts).toMatchObject({ eventsStored: 0, eventsRemoved: 0 });
  });

  it('expands a series into its occurrences, keeps an exception and drops a cancelled occurrence', async () => {
    const start = dayAt(14, '15:00');
    const series = await w.outlook.createEvent(ada.entraId, null, {
      subject: 'Weekly 1:1',
      start: utc(start),
      end: utc(dayAt(14, '15:30')),
      recurrence: {
        pattern: {
          type: 'weekly',
          interval: 1,
          daysOfWeek: [
            ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'][
              new Date(`${start}Z`).getUTCDay()
            ],
          ],
        },
        range: { type: 'numbered', startDate: start.slice(0, 10), numberOfOccurrences: 4 },
      },
    });
    const view = await w.outlook.calendarView(ada.entraId, null, `${start}Z`, `${dayAt(40)}Z`);
    const occurrences = view.filter((e) => e['seriesMasterId'] === series.id);
    await w.outlook.updateEvent(ada.entraId, occurrences[1]!.id, {
      subject: 'Weekly 1:1 (moved)',
      start: utc(dayAt(22, '16:00')),
      end: utc(dayAt(22, '16:30')),
    });
    await w.outlook.deleteEvent(ada.entraId, occurrences[2]!.id);
    await w.sync(ada);
    const inHr = (await w.events(ada)).filter((e) => e.subject.startsWith('Weekly 1:1'));
    expect(inHr.map((e) => [e.type, e.subject, e.start])).toEqual([
      ['occurrence', 'Weekly 1:1', `${dayAt(14, '15:00')}.000Z`],
      ['exception', 'Weekly 1:1 (moved)', `${dayAt(22, '16:00')}.000Z`],
      ['occurrence', 'Weekly 1:1', `${dayAt(35, '15:00')}.000Z`],
    ]);
    expect(new Set(inHr.map((e) => e.seriesId))).toEqual(new Set([series.id]));
    expect(inHr[1]!.originalStart).toBe(`${dayAt(21, '15:00')}.000Z`);
    // Cancelling one more occurrence in Outlook takes it out of HR at the next run.
    await w.outlook.deleteEvent(ada.entraId, occurrences[3]!.id);
    expect((await w.sync(ada)).counts).toMatchObject({ eventsRemoved: 1 });
    expect((await w.events(ada)).filter((e) => e.subject.startsWith('Weekly 1:1'))).toHaveLength(2);
  });

  it('turns a single event that became a series in Outlook into its occurrences, of the same series id', async () => {
    const start = dayAt(50, '08:00');
    const single = await w.outlook.createEvent(ada.entraId, null, {
      subject: 'Stand-up',
      start: utc(start),
      end: utc(dayAt(50, '08:15')),
    });
    await w.sync(ada);
    expect((await w.events(ada)).filter((e) => e.subject === 'Stand-up').map((e) => e.type)).toEqual([
      'singleInstance',
    ]);
    // In Outlook the meeting is made to repeat: Graph keeps its id (and iCalUId), now a series master's.
    await w.outlook.updateEvent(ada.entraId, single.id, {
      recurrence: {
        pattern: { type: 'daily', interval: 1 },
        range: { type: 'numbered', startDate: start.slice(0, 10), numberOfOccurrences: 3 },
      },
    });
    expect((await w.outlook.getEvent(ada.entraId, single.id))?.['iCalUId']).toBe(single['iCalUId']);
    await w.sync(ada);
    const inHr = (await w.events(ada)).filter((e) => e.subject === 'Stand-up');
    expect(inHr.map((e) => [e.type, e.start, e.seriesId])).toEqual([
      ['occurrence', `${dayAt(50, '08:00')}.000Z`, single.id],
      ['occurrence', `${dayAt(51, '08:00')}.000Z`, single.id],
      ['occurrence', `${dayAt(52, '08:00')}.000Z`, single.id],
    ]);
  });

  it('keeps the days of all-day events made in zones west and east of UTC', async () => {
    const day = dayAt(30).slice(0, 10);
    await w.outlook.createEvent(ada.entraId, null, {
      subject: 'Offsite (Seattle)',
      isAllDay: true,
      start: utc(`${day}T00:00:00`, 'Pacific Standard Time'),
      end: utc(`${plusDays(day, 2)}T00:00:00`, 'Pacific Standard Time'),
    });
    await w.outlook.createEvent(ada.entraId, null, {
      subject: 'Holiday (Tokyo)',
      isAllDay: true,
      start: utc(`${day}T00:00:00`, 'Tokyo Standard Time'),
      end: utc(`${plusDays(day, 1)}T00:00:00`, 'Tokyo Standard Time'),
    });
    await w.sync(ada);
    expect(await w.eventNamed(ada, 'Offsite (Seattle)')).toMatchObject({
      isAllDay: true,
      startDate: day,
      endDate: plusDays(day, 2),
      timeZone: 'Pacific Standard Time',
    });
    expect(await w.eventNamed(ada, 'Holiday (Tokyo)')).toMatchObject({
      isAllDay: true,
      startDate: day,
      endDate: plusDays(day, 1),
    });
  });

  it('keeps the wall-clock time of a series in its zone across a daylight-saving change', async () => {
    const change = isoDate(nextEuropeanDstChange());
    await w.outlook.createEvent(ada.entraId, null, {
      subject: 'Berlin stand-up',
      start: utc(`${plusDays(change, -2)}T09:00:00`, 'W. Europe Standard Time'),
      end: utc(`${plusDays(change, -2)}T09:15:00`, 'W. Europe Standard Time'),
      recurrence: {
        pattern: { type: 'daily', interval: 1 },
        range: { type: 'numbered', startDate: plusDays(change, -2), numberOfOccurrences: 4 },
      },
    });
    await w.sync(ada);
    const hours = (await w.events(ada))
      .filter((e) => e.subject === 'Berlin stand-up')
      .map((e) => e.start.slice(11, 16));
    const spring = change.slice(5, 7) === '03';
    expect(hours).toEqual(spring ? ['08:00', '08:00', '07:00', '07:00'] : ['07:00', '07:00', '08:00', '08:00']);
  });

  it('shows a private event as a busy block until the employee lets private details show', async () => {
    await w.outlook.createEvent(ada.entraId, null, {
      subject: 'Doctor',
      body: { contentType: 'text', content: 'Dr. Who, room 12' },
      location: { displayName: 'Clinic' },
      sensitivity: 'private',
      showAs: 'oof',
      start: utc(dayAt(5, '08:00')),
      end: utc(dayAt(5, '09:00')),
    });
    await w.sync(ada);
    const block = (await w.events(ada)).find((e) => e.start === `${dayAt(5, '08:00')}.000Z`)!;
    expect(block).toMatchObject({
      subject: '',
      body: '',
      location: '',
      isPrivate: true,
      showAs: 'oof',
      attendees: [],
      organizer: null,
    });
    await w.asOk(ada, '/api/me/calendar-settings', 'PATCH', { showPrivateDetails: true });
    await w.sync(ada);
    expect(await w.eventNamed(ada, 'Doctor')).toMatchObject({
      body: 'Dr. Who, room 12',
      location: 'Clinic',
      isPrivate: false,
    });
    await w.asOk(ada, '/api/me/calendar-settings', 'PATCH', { showPrivateDetails: false });
    await w.sync(ada);
    expect((await w.events(ada)).some((e) => e.subject === 'Doctor')).toBe(false);
  });

  it('marks a cancelled meeting, cuts a very long body, and follows edits and deletions made in Outlook', async () => {
    const meeting = await w.outlook.createEvent(ada.entraId, null, {
      subject: 'Kick-off',
      start: utc(dayAt(12, '13:00')),
      end: utc(dayAt(12, '14:00')),
      organizer: { emailAddress: { name: 'Bob', address: 'bob@contoso.com' } },
    });
    const long = await w.outlook.createEvent(ada.entraId, null, {
      subject: 'Long notes',
      body: { contentType: 'text', content: 'x'.repeat(100_000) },
      start: utc(dayAt(13, '13:00')),
      end: utc(dayAt(13, '14:00')),
    });
    await w.sync(ada);
    const notes = await w.eventNamed(ada, 'Long notes');
    expect([notes.body.length, notes.bodyTruncated]).toEqual([32_000, true]);
    await w.outlook.updateEvent(ada.entraId, meeting.id, { isCancelled: true });
    await w.outlook.updateEvent(ada.entraId, long.id, {
      subject: 'Short notes',
      body: { contentType: 'text', content: 'ok' },
    });
    const run = await w.sync(ada);
    expect(run.counts).toMatchObject({ eventsStored: 2 });
    expect(await w.eventNamed(ada, 'Kick-off')).toMatchObject({
      isCancelled: true,
      organizer: { name: 'Bob', address: 'bob@contoso.com' },
    });
    expect(await w.eventNamed(ada, 'Short notes')).toMatchObject({ body: 'ok', bodyTruncated: false });
    await w.outlook.deleteEvent(ada.entraId, long.id);
    expect((await w.sync(ada)).counts).toMatchObject({ eventsRemoved: 1 });
    expect((await w.events(ada)).some((e) => e.subject === 'Short notes')).toBe(false);
  });

  it('keeps an event ending at the start of the sync window out, and one ending a minute later in', async () => {
    const now = new Date();
    const windowStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const wall = (ms: number) => new Date(ms).toISOString().slice(0, 19);
    const start = windowStart.getTime();
    await w.outlook.createEvent(ada.entraId, null, {
      subject: 'Ends at the edge',
      start: utc(wall(start - 3_600_000)),
      end: utc(wall(start)),
    });
    await w.outlook.createEvent(ada.entraId, null, {
      subject: 'Ends inside',
      start: utc(wall(start - 3_600_000)),
      end: utc(wall(start + 60_000)),
    });
    await w.sync(ada);
    const subjects = (await w.events(ada)).map((e) => e.subject);
    expect(subjects).toContain('Ends inside');
    expect(subjects).not.toContain('Ends at the edge');
  });

  it('reads an enabled shared calendar, drops its events when disabled, and reads it whole again after Graph forgot the cursor', async () => {
    const [bob] = (await w.employees('Bob')) as [Employee];
    const team = (await w.outlook.createCalendar(bob.entraId, { name: 'Team days' })).id;
    await w.outlook.shareCalendar(bob.entraId, team, { shareeId: ada.entraId, role: 'write' });
    await w.outlook.createEvent(bob.entraId, team, {
      subject: 'Team lunch',
      start: utc(dayAt(9, '12:00')),
      end: utc(dayAt(9, '13:00')),
    });
    await w.sync(ada);
    expect((await w.events(ada)).some((e) => e.subject === 'Team lunch')).toBe(false);
    const teamInHr = await w.calendarId(ada, 'Team days');
    await w.asOk(ada, `/api/me/calendars/${teamInHr}`, 'PATCH', { enabled: true });
    await w.sync(ada);
    expect(await w.eventNamed(ada, 'Team lunch')).toMatchObject({
      calendarName: 'Team days',
      organizer: { address: bob.mail },
    });
    await w.outlook.expireCalendarDelta();
    await w.outlook.createEvent(bob.entraId, team, {
      subject: 'Team dinner',
      start: utc(dayAt(9, '19:00')),
      end: utc(dayAt(9, '21:00')),
    });
    await w.sync(ada);
    expect((await w.events(ada)).filter((e) => e.calendarName === 'Team days').map((e) => e.subject)).toEqual([
      'Team lunch',
      'Team dinner',
    ]);
    await w.asOk(ada, `/api/me/calendars/${teamInHr}`, 'PATCH', { enabled: false });
    await w.sync(ada);
    expect((await w.events(ada)).filter((e) => e.calendarName === 'Team days')).toEqual([]);
  });

  it("shows the admin an employee's events, and no employee another's", async () => {
    const mine = await w.events(ada);
    const one = mine[0]!;
    expect((await w.world.ok<{ id: string }>(`/api/admin/users/${ada.hrUserId}/events/${one.id}`)).id).toBe(one.id);
    const [cy] = (await w.employees('Cy')) as [Employee];
    expect((await w.as(cy, `/api/me/events/${one.id}`)).status).toBe(404);
    expect(
      (await w.as(cy, `/api/admin/users/${ada.hrUserId}/events?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z`))
        .status,
    ).toBe(403);
  });
});
