import { describe, expect, it } from '@jest/globals';
import {
  BODY_LIMIT,
  allDayDates,
  contentOf,
  isStoredAsEvent,
  limitText,
  type MailboxEvent,
} from '../../../src/domain/calendar-event.js';
import { overlapsWindow, syncWindow } from '../../../src/domain/sync-window.js';
import { dateIn, ianaZone } from '../../../src/domain/time-zones.js';

const event = (extra: Partial<MailboxEvent> = {}): MailboxEvent => ({
  sourceId: 'e1=',
  seriesSourceId: null,
  type: 'singleInstance',
  originalStart: null,
  subject: 'Dentist',
  body: 'Bring the card',
  location: 'Main street 1',
  start: '2026-03-10T08:00:00.000Z',
  end: '2026-03-10T09:00:00.000Z',
  timeZone: 'W. Europe Standard Time',
  isAllDay: false,
  showAs: 'busy',
  sensitivity: 'normal',
  isCancelled: false,
  attendees: [{ name: 'Bob', address: 'bob@contoso.com', type: 'required', response: 'accepted' }],
  organizer: { name: 'Ada', address: 'ada@contoso.com' },
  changeKey: 'k1',
  lastModified: '2026-03-01T00:00:00.000Z',
  transactionId: null,
  ...extra,
});

describe('contentOf (rule 6.6: what HR keeps of a Microsoft 365 event)', () => {
  it('keeps a normal event whole', () => {
    expect(contentOf(event(), { showPrivateDetails: false })).toMatchObject({
      subject: 'Dentist',
      body: 'Bring the card',
      location: 'Main street 1',
      isPrivate: false,
      startDate: null,
      attendees: [expect.objectContaining({ address: 'bob@contoso.com' })],
    });
  });

  it.each(['private', 'confidential'])(
    'turns a %s event into a busy block, unless the user lets details show',
    (sensitivity) => {
      const hidden = contentOf(event({ sensitivity, showAs: 'oof' }), { showPrivateDetails: false });
      expect(hidden).toMatchObject({
        subject: '',
        body: '',
        location: '',
        attendees: [],
        organizer: null,
        isPrivate: true,
      });
      expect([hidden.start, hidden.end, hidden.showAs]).toEqual([
        '2026-03-10T08:00:00.000Z',
        '2026-03-10T09:00:00.000Z',
        'oof',
      ]);
      expect(contentOf(event({ sensitivity }), { showPrivateDetails: true })).toMatchObject({
        subject: 'Dentist',
        isPrivate: false,
      });
    },
  );

  it('keeps a personal event whole: only private and confidential ones are hidden', () => {
    expect(contentOf(event({ sensitivity: 'personal' }), { showPrivateDetails: false }).isPrivate).toBe(false);
  });

  it('cuts a body over the limit and says so, never inside a surrogate pair', () => {
    const long = contentOf(event({ body: 'a'.repeat(BODY_LIMIT + 5) }), { showPrivateDetails: false });
    expect([long.body.length, long.bodyTruncated]).toEqual([BODY_LIMIT, true]);
    expect(contentOf(event({ body: 'a'.repeat(BODY_LIMIT) }), { showPrivateDetails: false }).bodyTruncated).toBe(false);
    expect(limitText('ab😀c', 3)).toBe('ab');
    expect(limitText('ab😀c', 4)).toBe('ab😀');
    expect(limitText('ab😀', 4)).toBe('ab😀');
    expect(limitText('abc', 5)).toBe('abc');
  });

  it('gives an all-day event its days', () => {
    const allDay = contentOf(
      event({ isAllDay: true, start: '2026-03-09T23:00:00.000Z', end: '2026-03-11T23:00:00.000Z' }),
      { showPrivateDetails: false },
    );
    expect([allDay.startDate, allDay.endDate]).toEqual(['2026-03-10', '2026-03-12']);
  });
});

describe('allDayDates', () => {
  it.each([
    [
      'east of UTC (Tokyo)',
      '2026-03-09T15:00:00.000Z',
      '2026-03-10T15:00:00.000Z',
      'Tokyo Standard Time',
      '2026-03-10',
      '2026-03-11',
    ],
    [
      'west of UTC (Seattle)',
      '2026-03-10T07:00:00.000Z',
      '2026-03-11T07:00:00.000Z',
      'Pacific Standard Time',
      '2026-03-10',
      '2026-03-11',
    ],
    [
      'an IANA zone',
      '2026-03-09T23:00:00.000Z',
      '2026-03-10T23:00:00.000Z',
      'Europe/Berlin',
      '2026-03-10',
      '2026-03-11',
    ],
    [
      'floating at UTC midnight',
      '2026-03-10T00:00:00.000Z',
      '2026-03-11T00:00:00.000Z',
      'Pacific Standard Time',
      '2026-03-10',
      '2026-03-11',
    ],
    [
      'an unknown zone, read in UTC',
      '2026-03-10T05:00:00.000Z',
      '2026-03-11T05:00:00.000Z',
      'Nowhere Time',
      '2026-03-10',
      '2026-03-11',
    ],
  ])('reads the days of one made %s', (_case, start, end, zone, startDate, endDate) => {
    expect(allDayDates(start, end, zone)).toEqual({ startDate, endDate });
  });

  it('spans a daylight-saving change (Berlin, last Sunday of March 2026)', () => {
    expect(allDayDates('2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z', 'W. Europe Standard Time')).toEqual({
      startDate: '2026-03-29',
      endDate: '2026-03-30',
    });
  });
});

describe('recurrence, windows and zones', () => {
  it('stores occurrences and exceptions, never a series master', () => {
    expect(
      ['singleInstance', 'occurrence', 'exception', 'seriesMaster'].map((type) =>
        isStoredAsEvent({ type: type as never }),
      ),
    ).toEqual([true, true, true, false]);
  });

  it('puts the window from the first of last month to fourteen months later, across a year end', () => {
    expect(syncWindow(new Date('2026-01-15T10:00:00Z'))).toEqual({
      start: '2025-12-01T00:00:00.000Z',
      end: '2027-02-01T00:00:00.000Z',
    });
  });

  it('counts an event ending exactly at the window start as outside', () => {
    const window = syncWindow(new Date('2026-05-02T00:00:00Z'));
    expect(overlapsWindow({ start: '2026-03-31T23:00:00.000Z', end: '2026-04-01T00:00:00.000Z' }, window)).toBe(false);
    expect(overlapsWindow({ start: '2026-03-31T23:00:00.000Z', end: '2026-04-01T00:01:00.000Z' }, window)).toBe(true);
    expect(overlapsWindow({ start: window.end, end: '2027-07-01T01:00:00.000Z' }, window)).toBe(false);
  });

  it('maps Windows zone names, passes IANA ones and refuses unknown ones', () => {
    expect([ianaZone('W. Europe Standard Time'), ianaZone('Asia/Tokyo'), ianaZone('Mars Standard Time')]).toEqual([
      'Europe/Berlin',
      'Asia/Tokyo',
      null,
    ]);
    expect(dateIn(new Date('2026-03-09T23:30:00Z'), 'Europe/Berlin')).toBe('2026-03-10');
  });
});
