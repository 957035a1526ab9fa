import { describe, expect, it } from '@jest/globals';
import type { MailboxEvent } from '../../../src/domain/calendar-event.js';
import type { CalendarViewEntry, StoredEvent } from '../../../src/sync/calendars/calendar-sync.ports.js';
import { planEventPage } from '../../../src/sync/calendars/event-page.planner.js';

const ev = (sourceId: string, changeKey: string, extra: Partial<MailboxEvent> = {}): CalendarViewEntry => ({
  kind: 'event',
  event: {
    sourceId,
    seriesSourceId: null,
    type: 'singleInstance',
    originalStart: null,
    subject: sourceId,
    body: '',
    location: '',
    start: '2026-03-10T08:00:00.000Z',
    end: '2026-03-10T09:00:00.000Z',
    timeZone: 'UTC',
    isAllDay: false,
    showAs: 'busy',
    sensitivity: 'normal',
    isCancelled: false,
    attendees: [],
    organizer: null,
    changeKey,
    lastModified: null,
    transactionId: null,
    ...extra,
  },
});
const removed = (sourceId: string): CalendarViewEntry => ({ kind: 'removed', sourceId });
const stored = (sourceId: string, changeKey: string | null, origin: 'outlook' | 'hr' = 'outlook'): StoredEvent => ({
  id: `hr-${sourceId}`,
  sourceId,
  origin,
  changeKey,
});
const options = { showPrivateDetails: false };

describe('planEventPage: one page of a calendar view delta against what HR holds', () => {
  it('stores new and changed events, leaves unchanged ones, removes what left the view', () => {
    const plan = planEventPage(
      [ev('new', 'k1'), ev('changed', 'k2'), ev('same', 'k3'), removed('gone'), removed('never-seen')],
      [stored('changed', 'k1'), stored('same', 'k3'), stored('gone', 'k9')],
      options,
    );
    expect(plan.upserts.map((u) => u.sourceId)).toEqual(['new', 'changed']);
    expect(plan.unchanged).toEqual(['same']);
    expect(plan.removed).toEqual(['gone']);
    expect(plan.hrEntries).toEqual([]);
  });

  it('takes the last of repeated entries (Graph replays changes)', () => {
    const plan = planEventPage([ev('a', 'k1'), removed('a'), ev('a', 'k2', { subject: 'last' })], [], options);
    expect(plan.upserts.map((u) => [u.sourceId, u.content.subject])).toEqual([['a', 'last']]);
    const gone = planEventPage([ev('b', 'k1'), removed('b')], [stored('b', 'k0')], options);
    expect([gone.upserts, gone.removed]).toEqual([[], ['b']]);
  });

  it('stores an event again when HR has no changeKey for it (a re-read)', () => {
    expect(planEventPage([ev('a', 'k1')], [stored('a', null)], options).upserts).toHaveLength(1);
    // Neither side knows the version: nothing shows the event is unchanged.
    const unknown = planEventPage([ev('a', 'k1', { changeKey: null })], [stored('a', null)], options);
    expect(unknown).toMatchObject({ unchanged: [], upserts: [expect.objectContaining({ sourceId: 'a' })] });
  });

  it("hands HR's own events to the HR stage, changed or removed", () => {
    const plan = planEventPage(
      [ev('mine', 'k2'), removed('mine-too')],
      [stored('mine', 'k1', 'hr'), stored('mine-too', 'k1', 'hr')],
      options,
    );
    expect(plan.hrEntries.map((e) => [e.stored.id, e.entry.kind])).toEqual([
      ['hr-mine', 'event'],
      ['hr-mine-too', 'removed'],
    ]);
    expect([plan.upserts, plan.removed]).toEqual([[], []]);
  });

  it('keeps occurrences and exceptions with their series, and leaves a series master out', () => {
    const plan = planEventPage(
      [
        ev('occ', 'k1', { type: 'occurrence', seriesSourceId: 'master', originalStart: '2026-03-10T08:00:00.000Z' }),
        ev('master', 'k1', { type: 'seriesMaster' }),
      ],
      [],
      options,
    );
    expect(plan.upserts.map((u) => [u.sourceId, u.eventType, u.seriesSourceId])).toEqual([
      ['occ', 'occurrence', 'master'],
    ]);
  });
});
