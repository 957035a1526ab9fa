import { afterEach, describe, expect, it } from '@jest/globals';
import ical, { type VEvent } from 'node-ical';
import { BUSY_SUMMARY, renderCalendarFeed, rrule, type FeedEvent } from '../../../src/domain/calendar-feed.js';
import { vtimezone } from '../../../src/domain/vtimezone.js';

const NOW = new Date('2026-03-01T12:00:00Z');

function event(overrides: Partial<FeedEvent>): FeedEvent {
  return {
    id: 'e1',
    subject: 'Review',
    body: 'Agenda',
    location: 'Room 4',
    start: '2026-03-05T10:00:00.000Z',
    end: '2026-03-05T11:00:00.000Z',
    timeZone: 'UTC',
    isAllDay: false,
    startDate: null,
    endDate: null,
    showAs: 'busy',
    sensitivity: 'normal',
    isCancelled: false,
    recurrence: null,
    updatedAt: '2026-02-20T08:00:00.000Z',
    ...overrides,
  };
}

/** The feed read back by an independent parser (node-ical), its events by UID. */
function parse(text: string): Record<string, VEvent> {
  const parsed = ical.sync.parseICS(text);
  return Object.fromEntries(
    Object.values(parsed)
      .filter((c): c is VEvent => c?.type === 'VEVENT')
      .map((e) => [e.uid.split('@')[0], e]),
  );
}

/** node-ical gives a DATE value as the host's local midnight of that day. */
const localDate = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The occurrences of a parsed series between two instants, without its EXDATEs (node-ical leaves them in). */
const occurrences = (e: VEvent, from: string, to: string) =>
  e.rrule!.between(new Date(from), new Date(to), true).map((d) => d.toISOString());

const allDaySeries = event({
  id: 'leave',
  subject: 'Parental leave (Tuesdays)',
  isAllDay: true,
  timeZone: 'W. Europe Standard Time',
  start: '2026-03-09T23:00:00.000Z',
  end: '2026-03-10T23:00:00.000Z',
  startDate: '2026-03-10',
  endDate: '2026-03-11',
  showAs: 'oof',
  recurrence: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'], count: null, until: '2026-03-31' },
});
const dailyAcrossDst = event({
  id: 'standup',
  subject: 'Stand-up',
  timeZone: 'Europe/Copenhagen',
  start: '2026-03-27T07:00:00.000Z',
  end: '2026-03-27T07:15:00.000Z',
  recurrence: { type: 'daily', interval: 1, daysOfWeek: [], count: 4, until: null },
});

describe('the iCalendar feed (rule 6.4), read back by node-ical', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = originalTz;
  });

  it('writes an all-day series as its dates with an RRULE whose UNTIL is a date, and the right days come out', () => {
    const text = renderCalendarFeed({ name: 'HR calendar', events: [allDaySeries], now: NOW });
    expect(text).toContain('DTSTART;VALUE=DATE:20260310\r\n');
    expect(text).toContain('DTEND;VALUE=DATE:20260311\r\n');
    expect(text).toContain('RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;WKST=SU;UNTIL=20260331\r\n');
    const leave = parse(text)['leave']!;
    expect(leave.datetype).toBe('date');
    expect(localDate(leave.start)).toBe('2026-03-10');
    expect(localDate(leave.end!)).toBe('2026-03-11');
    const days = leave.rrule!.between(new Date('2026-03-01'), new Date('2026-04-30'), true).map(localDate);
    expect(days).toEqual(['2026-03-10', '2026-03-17', '2026-03-24', '2026-03-31']);
  });

  it("writes a timed event in its own zone with that zone's VTIMEZONE; a series keeps its wall-clock time across the daylight-saving change", () => {
    const text = renderCalendarFeed({ name: 'HR calendar', events: [dailyAcrossDst], now: NOW });
    expect(text).toContain('DTSTART;TZID=Europe/Copenhagen:20260327T080000\r\n');
    expect(text).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Copenhagen\r\n');
    const standup = parse(text)['standup']!;
    expect(standup.start.toISOString()).toBe('2026-03-27T07:00:00.000Z');
    expect(occurrences(standup, '2026-03-01T00:00:00Z', '2026-04-30T00:00:00Z')).toEqual([
      '2026-03-27T07:00:00.000Z',
      '2026-03-28T07:00:00.000Z',
      '2026-03-29T06:00:00.000Z',
      '2026-03-30T06:00:00.000Z',
    ]);
  });

  it('writes the same text on hosts in any time zone', () => {
    const events = [allDaySeries, dailyAcrossDst, event({ timeZone: 'Pacific Standard Time' })];
    const texts = ['UTC', 'Asia/Tokyo', 'America/New_York', 'Pacific/Chatham'].map((tz) => {
      process.env.TZ = tz;
      return renderCalendarFeed({ name: 'HR calendar', events, now: NOW });
    });
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).toContain('DTSTART;TZID=America/Los_Angeles:20260305T020000\r\n');
  });

  it('shows a private or confidential event as a busy block: its time, nothing of its subject, body or place', () => {
    const text = renderCalendarFeed({
      name: 'HR calendar',
      events: [
        event({ id: 'p', subject: 'Doctor', body: 'results', location: 'Clinic', sensitivity: 'private' }),
        event({ id: 'c', subject: 'Board', sensitivity: 'confidential' }),
      ],
      now: NOW,
    });
    for (const secret of ['Doctor', 'results', 'Clinic', 'Board']) expect(text).not.toContain(secret);
    const parsed = parse(text);
    expect(parsed['p']).toMatchObject({ summary: BUSY_SUMMARY, class: 'PRIVATE', transparency: 'OPAQUE' });
    expect(parsed['p']!.start.toISOString()).toBe('2026-03-05T10:00:00.000Z');
    expect(parsed['p']!.location).toBeUndefined();
    expect(parsed['c']!.summary).toBe(BUSY_SUMMARY);
  });

  it('marks a cancelled meeting cancelled, a free one transparent, an absence out of office; UTC events in UTC', () => {
    const text = renderCalendarFeed({
      name: 'HR calendar',
      events: [
        event({ id: 'x', isCancelled: true }),
        event({ id: 'f', showAs: 'free' }),
        event({ id: 'o', showAs: 'oof' }),
      ],
      now: NOW,
    });
    const parsed = parse(text);
    expect(parsed['x']!.status).toBe('CANCELLED');
    expect(parsed['f']!.transparency).toBe('TRANSPARENT');
    expect(text).toContain('X-MICROSOFT-CDO-BUSYSTATUS:OOF');
    expect(text).toContain('DTSTART:20260305T100000Z\r\n');
    expect(text).not.toContain('BEGIN:VTIMEZONE');
  });

  it('keeps RFC 5545 form: CRLF lines of at most 75 octets, UTC DTSTAMP, the same text for the same events', () => {
    const long = event({ subject: 'Ü'.repeat(80), body: 'line one\nline two; with, escapes' });
    const text = renderCalendarFeed({ name: 'HR calendar', events: [long], now: NOW });
    expect(text.endsWith('\r\n') || text.endsWith('END:VCALENDAR')).toBe(true);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(text).not.toMatch(/[^\r]\n/);
    expect(text).toContain('DTSTAMP:20260220T080000Z');
    expect(parse(text)['e1']!.description).toBe('line one\nline two; with, escapes');
    expect(renderCalendarFeed({ name: 'HR calendar', events: [long], now: new Date('2026-03-02T00:00:00Z') })).toBe(
      text,
    );
  });
});

describe('VTIMEZONE from the platform time zone data', () => {
  it("has Berlin's 2026 changes, each starting at the local time of the offset before it", () => {
    const text = vtimezone('Europe/Berlin', new Date('2026-01-15T00:00:00Z'), new Date('2026-12-01T00:00:00Z'));
    expect(text).toContain('BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n');
    expect(text).toContain('BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n');
  });

  it('has a change on the last day of the range, and none after the day after it', () => {
    // Berlin moves to +02:00 at 01:00 UTC on 29 March 2026.
    const kinds = (to: string) =>
      vtimezone('Europe/Berlin', new Date('2026-01-15T00:00:00Z'), new Date(to)).match(/BEGIN:(STANDARD|DAYLIGHT)/g);
    expect(kinds('2026-03-29T12:00:00Z')).toEqual(['BEGIN:STANDARD', 'BEGIN:DAYLIGHT']);
    expect(kinds('2026-03-27T12:00:00Z')).toEqual(['BEGIN:STANDARD']);
  });

  it('is the whole component for a zone without changes', () => {
    expect(vtimezone('Asia/Tokyo', new Date('2026-01-15T00:00:00Z'), new Date('2026-02-01T00:00:00Z'))).toBe(
      [
        'BEGIN:VTIMEZONE',
        'TZID:Asia/Tokyo',
        'BEGIN:STANDARD',
        'DTSTART:20260101T090000',
        'TZOFFSETFROM:+0900',
        'TZOFFSETTO:+0900',
        'END:STANDARD',
        'END:VTIMEZONE',
      ].join('\r\n'),
    );
  });

  it('writes offsets west of UTC with a minus sign, and UTC itself as +0000', () => {
    const newYork = vtimezone('America/New_York', new Date('2026-01-15T00:00:00Z'), new Date('2026-04-01T00:00:00Z'));
    expect(newYork).toContain(
      'BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\n',
    );
    const london = vtimezone('Europe/London', new Date('2026-01-15T00:00:00Z'), new Date('2026-02-01T00:00:00Z'));
    expect(london).toContain('TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\n');
  });

  it('has one observance for a zone without changes, and offsets with half hours', () => {
    const tokyo = vtimezone('Asia/Tokyo', new Date('2026-01-15T00:00:00Z'), new Date('2026-12-01T00:00:00Z'));
    expect(tokyo.match(/BEGIN:(STANDARD|DAYLIGHT)/g)).toEqual(['BEGIN:STANDARD']);
    expect(tokyo).toContain('TZOFFSETTO:+0900');
    expect(vtimezone('Asia/Kolkata', new Date('2026-01-15'), new Date('2026-02-01'))).toContain('TZOFFSETTO:+0530');
  });

  it("covers every event's dates, before and after now, in the feed's VTIMEZONE", () => {
    const berlin = (id: string, start: string, end: string) => event({ id, timeZone: 'Europe/Berlin', start, end });
    const text = renderCalendarFeed({
      name: 'HR calendar',
      events: [
        berlin('past', '2025-07-01T07:00:00.000Z', '2025-07-01T08:00:00.000Z'),
        berlin('summer', '2026-07-01T07:00:00.000Z', '2026-07-01T08:00:00.000Z'),
      ],
      now: NOW,
    });
    // Berlin's moves to summer time in 2025 and 2026, before and after NOW (1 March 2026).
    expect(text).toContain('DTSTART:20250330T020000');
    expect(text).toContain('DTSTART:20260329T020000');
    expect(text).toContain('PRODID:-//Entra HR Connector//HR calendar//EN');
  });

  it('is read by node-ical: a Berlin event in summer is at +02:00', () => {
    const text = renderCalendarFeed({
      name: 'HR calendar',
      events: [
        event({ timeZone: 'Europe/Berlin', start: '2026-07-01T07:00:00.000Z', end: '2026-07-01T08:00:00.000Z' }),
      ],
      now: NOW,
    });
    expect(text).toContain('DTSTART;TZID=Europe/Berlin:20260701T090000');
    expect(parse(text)['e1']!.start.toISOString()).toBe('2026-07-01T07:00:00.000Z');
  });
});

describe('the feed, event by event', () => {
  const render = (...events: FeedEvent[]) => renderCalendarFeed({ name: 'HR calendar', events, now: NOW });

  it('writes an event in UTC, Etc/UTC or a zone no one knows in UTC, without a VTIMEZONE', () => {
    for (const timeZone of ['UTC', 'Etc/UTC', 'Mars/Olympus']) {
      const text = render(event({ timeZone }));
      expect(text).toContain('DTSTART:20260305T100000Z\r\n');
      expect(text).not.toContain('TZID');
    }
  });

  it('writes the place of an event that has one, and no LOCATION otherwise', () => {
    expect(render(event({ location: 'Room 4' }))).toContain('LOCATION:Room 4\r\n');
    expect(render(event({ location: '' }))).not.toContain('LOCATION');
  });

  it('writes an all-day event as its own dates, first day and the day after the last', () => {
    const text = render(
      event({
        isAllDay: true,
        timeZone: 'Europe/Paris',
        start: '2026-03-09T23:00:00.000Z',
        end: '2026-03-11T23:00:00.000Z',
        startDate: '2026-03-10',
        endDate: '2026-03-12',
      }),
    );
    expect(text).toContain('DTSTART;VALUE=DATE:20260310\r\n');
    expect(text).toContain('DTEND;VALUE=DATE:20260312\r\n');
  });

  it.each<[string, NonNullable<FeedEvent['recurrence']>, boolean]>([
    ['30 days', { type: 'daily', interval: 1, daysOfWeek: [], count: 30, until: null }, true],
    ['20 days', { type: 'daily', interval: 1, daysOfWeek: [], count: 20, until: null }, false],
    ['4 weeks', { type: 'weekly', interval: 1, daysOfWeek: ['thursday'], count: 4, until: null }, true],
    ['2 fortnights', { type: 'weekly', interval: 2, daysOfWeek: ['thursday'], count: 2, until: null }, true],
    [
      'until the day of the change',
      { type: 'daily', interval: 1, daysOfWeek: [], count: null, until: '2026-03-29' },
      true,
    ],
  ])(
    "reaches Berlin's move to summer time (29 March) in the VTIMEZONE of a series of %s from 5 March: %s",
    (_case, recurrence, reaches) => {
      const text = render(
        event({
          timeZone: 'Europe/Berlin',
          start: '2026-03-05T09:00:00.000Z',
          end: '2026-03-05T10:00:00.000Z',
          recurrence,
        }),
      );
      expect(text.includes('BEGIN:DAYLIGHT')).toBe(reaches);
    },
  );
});

describe('rrule (RFC 5545 section 3.3.10)', () => {
  const series = (recurrence: NonNullable<FeedEvent['recurrence']>, isAllDay = false) => ({
    recurrence,
    isAllDay,
    timeZone: 'Europe/Berlin',
  });

  it('writes a daily series by its count, and a weekly one by its days from Sunday', () => {
    expect(rrule(series({ type: 'daily', interval: 2, daysOfWeek: [], count: 5, until: null }), null)).toBe(
      'RRULE:FREQ=DAILY;INTERVAL=2;COUNT=5',
    );
    expect(
      rrule(series({ type: 'weekly', interval: 1, daysOfWeek: ['monday', 'friday'], count: 3, until: null }), null),
    ).toBe('RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,FR;WKST=SU;COUNT=3');
  });

  it("ends an all-day series on its last day, a timed one at the last second of that day in the event's zone", () => {
    const until = { type: 'daily' as const, interval: 1, daysOfWeek: [], count: null, until: '2026-04-30' };
    expect(rrule(series(until, true), null)).toBe('RRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20260430');
    expect(rrule(series(until), 'Europe/Berlin')).toBe('RRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20260430T215959Z');
    expect(rrule(series(until), null)).toBe('RRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20260430T235959Z');
  });
});
