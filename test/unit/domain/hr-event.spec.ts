import { describe, expect, it } from '@jest/globals';
import {
  conflictWinner,
  defaultShowAs,
  hrEventContent,
  transactionIdOf,
  type HrEventDraft,
  type HrRecurrence,
} from '../../../src/domain/hr-event.js';

const timed = (extra: Partial<HrEventDraft> = {}): HrEventDraft => ({
  kind: 'training',
  subject: 'Fire safety',
  body: 'Room 2',
  location: 'Lyon',
  timeZone: 'Europe/Paris',
  isAllDay: false,
  start: '2026-07-01T07:00:00Z',
  end: '2026-07-01T09:30:00Z',
  showAs: 'busy',
  sensitivity: 'normal',
  ...extra,
});
const allDay = (extra: Partial<HrEventDraft> = {}): HrEventDraft => ({
  ...timed({ kind: 'absence', showAs: 'oof', sensitivity: 'private', isAllDay: true }),
  start: undefined,
  end: undefined,
  startDate: '2026-07-01',
  endDate: '2026-07-03',
  ...extra,
});
const daily = (extra: Partial<HrRecurrence> = {}): HrRecurrence => ({
  type: 'daily',
  interval: 1,
  daysOfWeek: [],
  count: 5,
  until: null,
  ...extra,
});
const refusal = (draft: HrEventDraft) => {
  const result = hrEventContent(draft);
  return result.ok ? null : result.error;
};

describe('defaultShowAs', () => {
  it('shows an absence as out of office and every other kind as busy', () => {
    expect(defaultShowAs('absence')).toBe('oof');
    expect(defaultShowAs('training')).toBe('busy');
    expect(defaultShowAs('other')).toBe('busy');
  });
});

describe('hrEventContent', () => {
  it('keeps a timed event as its instants in UTC, without dates', () => {
    expect(hrEventContent(timed({ start: '2026-07-01T09:00:00+02:00', end: '2026-07-01T11:30:00+02:00' }))).toEqual({
      ok: true,
      content: {
        kind: 'training',
        subject: 'Fire safety',
        body: 'Room 2',
        location: 'Lyon',
        start: '2026-07-01T07:00:00.000Z',
        end: '2026-07-01T09:30:00.000Z',
        timeZone: 'Europe/Paris',
        isAllDay: false,
        startDate: null,
        endDate: null,
        showAs: 'busy',
        sensitivity: 'normal',
        recurrence: null,
      },
    });
  });

  it("keeps an all-day event as its dates and the zone's midnights", () => {
    expect(hrEventContent(allDay())).toEqual({
      ok: true,
      content: expect.objectContaining({
        kind: 'absence',
        start: '2026-06-30T22:00:00.000Z',
        end: '2026-07-02T22:00:00.000Z',
        isAllDay: true,
        startDate: '2026-07-01',
        endDate: '2026-07-03',
        showAs: 'oof',
        sensitivity: 'private',
        recurrence: null,
      }),
    });
  });

  it('refuses a zone it does not know, naming it', () => {
    expect(refusal(timed({ timeZone: 'Mars/Olympus' }))).toBe(
      "timeZone 'Mars/Olympus' is not a time zone this service knows",
    );
  });

  it.each([
    ['without its first day', { startDate: undefined }],
    ['without its end day', { endDate: undefined }],
    ['with a start', { start: '2026-07-01T07:00:00Z' }],
    ['with an end', { end: '2026-07-01T07:00:00Z' }],
  ])('refuses an all-day event %s', (_case, extra) => {
    expect(refusal(allDay(extra))).toBe(
      'an all-day event has startDate and endDate (the day after the last), not start and end',
    );
  });

  it('refuses all-day dates that are not dates', () => {
    const message = 'startDate and endDate are dates (YYYY-MM-DD)';
    expect(refusal(allDay({ startDate: '2026-7-1' }))).toBe(message);
    expect(refusal(allDay({ endDate: '2026-07-32' }))).toBe(message);
  });

  it('refuses an all-day event that ends on or before its first day (the end day is exclusive)', () => {
    const message = 'endDate is after startDate (it is exclusive)';
    expect(refusal(allDay({ endDate: '2026-07-01' }))).toBe(message);
    expect(refusal(allDay({ endDate: '2026-06-30' }))).toBe(message);
    expect(refusal(allDay({ endDate: '2026-07-02' }))).toBeNull();
  });

  it.each([
    ['without a start', { start: undefined }],
    ['without an end', { end: undefined }],
    ['with a first day', { startDate: '2026-07-01' }],
    ['with an end day', { endDate: '2026-07-02' }],
  ])('refuses a timed event %s', (_case, extra) => {
    expect(refusal(timed(extra))).toBe('a timed event has start and end (ISO 8601 instants), not dates');
  });

  it('refuses a timed event that ends when or before it starts', () => {
    expect(refusal(timed({ end: '2026-07-01T07:00:00Z' }))).toBe('end is after start');
    expect(refusal(timed({ end: '2026-07-01T06:59:59Z' }))).toBe('end is after start');
    expect(refusal(timed({ end: '2026-07-01T07:00:01Z' }))).toBeNull();
  });

  describe('recurrence', () => {
    it('keeps a daily series without days of the week, and a weekly one with its days in lower case', () => {
      const dailyResult = hrEventContent(timed({ recurrence: daily({ daysOfWeek: ['monday'] }) }));
      expect(dailyResult.ok && dailyResult.content.recurrence).toEqual(daily());
      const weekly = { type: 'weekly' as const, interval: 2, daysOfWeek: ['Monday', 'FRIDAY'], count: null };
      const weeklyResult = hrEventContent(timed({ recurrence: { ...weekly, until: '2026-09-30' } }));
      expect(weeklyResult.ok && weeklyResult.content.recurrence).toEqual({
        ...weekly,
        daysOfWeek: ['monday', 'friday'],
        until: '2026-09-30',
      });
    });

    it('is none when the draft has none', () => {
      const result = hrEventContent(timed({ recurrence: null }));
      expect(result.ok && result.content.recurrence).toBeNull();
    });

    it('repeats every 1 to 99 days or weeks', () => {
      const message = 'recurrence.interval is 1 to 99';
      for (const interval of [0, 100, 1.5]) expect(refusal(timed({ recurrence: daily({ interval }) }))).toBe(message);
      for (const interval of [1, 99]) expect(refusal(timed({ recurrence: daily({ interval }) }))).toBeNull();
    });

    it('ends after a count or on a date, never both or neither', () => {
      const message = 'a recurrence has either count or until';
      expect(refusal(timed({ recurrence: daily({ count: null, until: null }) }))).toBe(message);
      expect(refusal(timed({ recurrence: daily({ count: 3, until: '2026-08-01' }) }))).toBe(message);
    });

    it('counts 1 to 999 occurrences', () => {
      const message = 'recurrence.count is 1 to 999';
      for (const count of [0, 1000, 2.5]) expect(refusal(timed({ recurrence: daily({ count }) }))).toBe(message);
      for (const count of [1, 999]) expect(refusal(timed({ recurrence: daily({ count }) }))).toBeNull();
    });

    it('ends on a date not before the first occurrence', () => {
      const message = 'recurrence.until is a date (YYYY-MM-DD) not before the first occurrence';
      const until = (value: string) => daily({ count: null, until: value });
      expect(refusal(timed({ recurrence: until('next week') }))).toBe(message);
      expect(refusal(timed({ recurrence: until('2026-06-30') }))).toBe(message);
      expect(refusal(timed({ recurrence: until('2026-07-01') }))).toBeNull();
      expect(refusal(allDay({ startDate: '2026-07-02', recurrence: until('2026-07-01') }))).toBe(message);
      expect(refusal(allDay({ startDate: '2026-07-02', recurrence: until('2026-07-02') }))).toBeNull();
    });

    it('names the days a weekly series falls on', () => {
      const message = 'a weekly recurrence names its daysOfWeek (sunday ... saturday)';
      const weekly = (daysOfWeek: string[]) => daily({ type: 'weekly', daysOfWeek });
      expect(refusal(timed({ recurrence: weekly([]) }))).toBe(message);
      expect(refusal(timed({ recurrence: weekly(['monday', 'funday']) }))).toBe(message);
      expect(refusal(timed({ recurrence: weekly(['Sunday', 'saturday']) }))).toBeNull();
    });
  });
});

describe('conflictWinner (docs/rules.md §6.8)', () => {
  it('lets the side that changed last win, HR on a tie', () => {
    expect(conflictWinner('2026-07-01T10:00:00Z', '2026-07-01T10:00:01Z')).toBe('outlook');
    expect(conflictWinner('2026-07-01T10:00:00Z', '2026-07-01T12:00:00+02:00')).toBe('hr');
    expect(conflictWinner('2026-07-01T10:00:00Z', '2026-07-01T09:59:59Z')).toBe('hr');
  });

  it('lets a deletion in Outlook win over HR', () => {
    expect(conflictWinner('2026-07-01T10:00:00Z', null)).toBe('outlook');
  });
});

describe('transactionIdOf', () => {
  it('is the same for every retry of a creation and new for the next creation', () => {
    expect(transactionIdOf('e1', 1)).toBe('ehc-e1-1');
    expect(transactionIdOf('e1', 2)).toBe('ehc-e1-2');
  });
});
