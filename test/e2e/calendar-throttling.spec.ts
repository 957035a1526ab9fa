import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CalendarWorld, dayAt, type Employee, type EventRow } from './calendar-support.js';

const utc = (dateTime: string) => ({ dateTime, timeZone: 'UTC' });

/**
 * Outlook's limits per mailbox (4 concurrent requests, 10,000 in 10 minutes, 429 with Retry-After:
 * https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits), and a change in
 * Outlook between a run's read and its push (rule 6.7: If-Match, 412, read again, conflict rule).
 */
describe("6.3 under Outlook's limits, and an Outlook edit between a run's read and its push", () => {
  let w: CalendarWorld;
  let ada: Employee;

  beforeAll(async () => {
    w = await CalendarWorld.start();
    [ada] = (await w.employees('Ada')) as [Employee];
    await w.sync(ada);
  });
  afterAll(async () => w?.close());

  it("keeps each mailbox under Outlook's concurrency limit and rides out its 429s with Retry-After", async () => {
    await w.world.control.setQuota(true);
    await w.world.control.setLatency([{ ms: 150, pathRegex: '^/users/' }]);
    await w.outlook.createCalendar(ada.entraId, { name: 'Projects' });
    for (let i = 0; i < 3; i++)
      await w.outlook.createEvent(ada.entraId, null, {
        subject: `Under the limit ${i}`,
        start: utc(dayAt(3 + i, '09:00')),
        end: utc(dayAt(3 + i, '10:00')),
      });
    await w.world.control.resetStats();
    await w.sync(ada);
    // One request at a time per mailbox: never a fifth at once, so never Outlook's concurrency 429.
    expect((await w.world.control.stats()).byRoute['GET (mailbox limit)']).toBeUndefined();

    // Outlook throttles the mailbox's calendar view twice: the run waits as told and succeeds.
    await w.world.control.addFault({ kind: 'throttle', count: 2, retryAfterSeconds: 1, pathRegex: 'calendarView' });
    await w.outlook.createEvent(ada.entraId, null, {
      subject: 'After the throttling',
      start: utc(dayAt(6, '09:00')),
      end: utc(dayAt(6, '10:00')),
    });
    const run = await w.sync(ada);
    expect(run.status).toBe('succeeded');
    expect((await w.world.control.listFaults()).length).toBe(0);
    expect((await w.events(ada)).filter((e) => e.subject.startsWith('Under the limit')).length).toBe(3);
    expect((await w.events(ada)).some((e) => e.subject === 'After the throttling')).toBe(true);
    await w.world.control.clearFaults();
    await w.world.control.setQuota(false);
  });

  it('meets an Outlook edit made after the read with 412, reads again and decides by the conflict rule', async () => {
    const created = await w.asOk<EventRow>(ada, '/api/me/events', 'POST', {
      kind: 'meeting',
      subject: 'Budget review',
      start: `${dayAt(9, '14:00')}Z`,
      end: `${dayAt(9, '15:00')}Z`,
    });
    await w.sync(ada);
    const [copy] = (await w.outlook.listEvents(ada.entraId, null)).filter((e) => e['subject'] === 'Budget review');
    // HR's change waits 3 s at Graph's door: the run has read the calendar, and Outlook edits meanwhile.
    await w.world.control.setLatency([{ ms: 3000, method: 'PATCH', pathRegex: '/events/' }]);
    await w.world.control.resetStats();
    const since = new Date(Date.now() - 5).toISOString();
    await w.asOk(ada, `/api/me/events/${created.id}`, 'PATCH', { subject: 'Budget review (HR)' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await w.outlook.updateEvent(ada.entraId, copy!.id, { subject: 'Budget review (Outlook)' });
    const run = await w.waitForRun(ada, since, 60_000);
    await w.world.control.clearFaults();
    expect(run.status).toBe('succeeded');
    expect((await w.world.control.stats()).byStatus['412']).toBe(1);
    // Outlook changed last: its version wins, HR's goes to the history as the conflict's loser.
    expect(run.conflicts).toEqual([expect.objectContaining({ eventId: created.id, winner: 'outlook' })]);
    expect(await w.asOk<EventRow>(ada, `/api/me/events/${created.id}`)).toMatchObject({
      subject: 'Budget review (Outlook)',
      push: { state: 'synced', error: null },
    });
    const history = await w.asOk<{ items: Array<{ reason: string; side: string; snapshot: { subject: string } }> }>(
      ada,
      `/api/me/events/${created.id}/history`,
    );
    expect(history.items).toContainEqual(
      expect.objectContaining({
        reason: 'conflict-lost',
        side: 'hr',
        snapshot: expect.objectContaining({ subject: 'Budget review (HR)' }),
      }),
    );
    expect(
      (await w.outlook.listEvents(ada.entraId, null)).filter((e) => String(e['subject']).startsWith('Budget review')),
    ).toHaveLength(1);
  });
});
