import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CalendarWorld, dayAt, type Employee } from './calendar-support.js';

const utc = (dateTime: string) => ({ dateTime, timeZone: 'UTC' });

/**
 * The scheduled poll with change notifications off (docs/rules.md §6.10): mailboxes that need only
 * their delta cursors are checked together, every cursor an item of one `$batch`; a change found
 * that way is stored by the mailbox's run from the page already read; calendars are listed again
 * only when the last listing is an hour old.
 */
describe('6.10: a poll of many mailboxes checks their cursors in $batch calls', () => {
  let w: CalendarWorld;
  let people: Employee[];

  /** Switching calendar sync off and on fans a poll out at once; waits until every mailbox has a run since. */
  async function poll(): Promise<Array<{ status: string; counts: Record<string, number> }>> {
    const since = new Date(Date.now() - 5).toISOString();
    await w.world.settings({ calendarSync: false });
    await w.world.settings({ calendarSync: true });
    const runs = [];
    for (const person of people) runs.push(await w.waitForRun(person, since));
    return runs as Array<{ status: string; counts: Record<string, number> }>;
  }

  const sql = <T extends object>(text: string, params: unknown[] = []) =>
    w.world.h.service.orm.em.fork().execute<T[]>(text, params);

  beforeAll(async () => {
    w = await CalendarWorld.start({ env: { LOG_LEVEL: process.env.POLL_LOG ?? 'silent' } });
    people = await w.employees('Ada', 'Bo', 'Cy');
    for (const person of people) await w.sync(person);
  }, 90_000);
  afterAll(async () => w?.close());

  it('costs one Graph request for three quiet mailboxes, lists no calendar, and records a run for each', async () => {
    await w.world.control.resetStats();
    const runs = await poll();
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const stats = await w.world.control.stats();
    expect(stats.httpRequests).toBe(1);
    expect(stats.byRoute['POST /$batch']).toBe(1);
    expect(
      Object.keys(stats.byRoute).filter((route) => route.includes('calendars') && !route.includes('delta')),
    ).toEqual([]);
  }, 60_000);

  it('brings an Outlook change into HR from the page the $batch read, without reading it again', async () => {
    const [ada] = people as [Employee];
    await w.outlook.createEvent(ada.entraId, null, {
      subject: 'Found by the poll',
      start: utc(dayAt(2, '09:00')),
      end: utc(dayAt(2, '10:00')),
    });
    await w.world.control.resetStats();
    await poll();
    expect((await w.events(ada)).map((e) => e.subject)).toContain('Found by the poll');
    // The one $batch, nothing else: Ada's run started from the page it held.
    expect((await w.world.control.stats()).httpRequests).toBe(1);
    // A later quiet poll moves on from the cursor Ada's run stored.
    await w.world.control.resetStats();
    await poll();
    expect((await w.world.control.stats()).httpRequests).toBe(1);
    expect((await w.events(ada)).filter((e) => e.subject === 'Found by the poll')).toHaveLength(1);
  }, 60_000);

  it('lists the calendars of a mailbox again once its last listing is an hour old, and finds a new one', async () => {
    const [, bo] = people as [Employee, Employee];
    await w.outlook.createCalendar(bo.entraId, { name: 'Projects' });
    await poll();
    // Listed within the hour: the new calendar waits.
    expect(Object.keys(await w.calendarsOf(bo))).toEqual(['Calendar']);
    await sql(`update calendar_mailbox set calendars_listed_at = now() - interval '61 minutes' where hr_user_id = ?`, [
      bo.hrUserId,
    ]);
    await poll();
    expect(await w.calendarsOf(bo)).toEqual({ Calendar: [true, 'own'], Projects: [false, 'own'] });
  }, 60_000);
});
