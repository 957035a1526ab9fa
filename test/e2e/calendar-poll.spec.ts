import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CalendarWorld, dayAt, type Employee } from './calendar-support.js';

const utc = (dateTime: string) => ({ dateTime, timeZone: 'UTC' });

/**
 * The scheduled poll with change notifications off (docs/rules.md §6.10): mailboxes that need only
 * their delta cursors are checked together, every cursor an item of one `$batch`; the pages found
 * that way are stored for the whole set at once, unless one speaks of an HR event (its mailbox's
 * run takes it, from the page already read); calendars are listed again only when the last listing
 * is an hour old.
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

  /** When each mailbox's channel last changed stage: only a run of its own moves it, a poll's set never does. */
  const stagesStarted = async (who: Employee[]) =>
    (
      await sql<{ id: string; at: string | null }>(
        `select id, stage_started_at::text as at from sync_channel where id in (select jsonb_array_elements_text(?::jsonb))`,
        [JSON.stringify(who.map((p) => `calendar:${p.entraId}`))],
      )
    )
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((r) => `${r.id} ${r.at}`);

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
    const [adaRun] = await poll();
    expect((await w.events(ada)).map((e) => e.subject)).toContain('Found by the poll');
    expect(adaRun!.counts).toMatchObject({ eventsStored: 1, eventsRemoved: 0 });
    // The one $batch, nothing else: the page it read is what HR stored.
    expect((await w.world.control.stats()).httpRequests).toBe(1);
    // A later quiet poll moves on from the cursor Ada's run stored.
    await w.world.control.resetStats();
    await poll();
    expect((await w.world.control.stats()).httpRequests).toBe(1);
    expect((await w.events(ada)).filter((e) => e.subject === 'Found by the poll')).toHaveLength(1);
  }, 60_000);

  it('stores changes in several mailboxes in one poll: edits, private events as busy blocks, deletions', async () => {
    const [ada, bo, cy] = people as [Employee, Employee, Employee];
    const found = (await w.outlook.listEvents(ada.entraId, null)).find((e) => e['subject'] === 'Found by the poll')!;
    await w.outlook.updateEvent(ada.entraId, found['id'] as string, { subject: 'Moved by the poll' });
    await w.outlook.createEvent(bo.entraId, null, {
      subject: 'Dentist',
      sensitivity: 'private',
      start: utc(dayAt(3, '09:00')),
      end: utc(dayAt(3, '10:00')),
    });
    const cys = await w.outlook.createEvent(cy.entraId, null, {
      subject: 'Short-lived',
      start: utc(dayAt(4, '09:00')),
      end: utc(dayAt(4, '10:00')),
    });
    await w.world.control.resetStats();
    const stages = await stagesStarted(people);
    const first = await poll();
    expect((await w.world.control.stats()).httpRequests).toBe(1);
    expect(first.map((r) => r.counts.eventsStored)).toEqual([1, 1, 1]);
    // Stored by the poll for the three at once: no mailbox had a run of its own.
    expect(await stagesStarted(people)).toEqual(stages);
    const subjects = async (who: Employee) => (await w.events(who)).map((e) => e.subject).sort();
    expect(await subjects(ada)).toContain('Moved by the poll');
    expect(await subjects(ada)).not.toContain('Found by the poll');
    const dentist = (await w.events(bo)).find((e) => e.start === `${dayAt(3, '09:00')}.000Z`)!;
    expect(dentist).toMatchObject({ subject: '', isPrivate: true });
    expect(await subjects(cy)).toContain('Short-lived');
    // The next poll starts from the cursors the set stored: Cy's deletion, and nothing twice.
    await w.outlook.deleteEvent(cy.entraId, cys.id);
    const second = await poll();
    expect(second.map((r) => [r.counts.eventsStored, r.counts.eventsRemoved])).toEqual([
      [0, 0],
      [0, 0],
      [0, 1],
    ]);
    expect(await subjects(cy)).not.toContain('Short-lived');
    expect((await w.events(ada)).filter((e) => e.subject === 'Moved by the poll')).toHaveLength(1);
  }, 60_000);

  it("leaves an Outlook edit of an HR event to its mailbox's run, which takes it as the rules say (rule 6.7)", async () => {
    const [ada] = people as [Employee];
    const created = await w.asOk<{ id: string }>(ada, '/api/me/events', 'POST', {
      kind: 'onboarding',
      subject: 'Welcome',
      start: `${dayAt(6, '09:00')}Z`,
      end: `${dayAt(6, '10:00')}Z`,
      timeZone: 'UTC',
    });
    await w.sync(ada);
    const copy = (await w.outlook.listEvents(ada.entraId, null)).find((e) => e['subject'] === 'Welcome')!;
    await w.outlook.updateEvent(ada.entraId, copy['id'] as string, { subject: 'Welcome (room 2)' });
    await w.world.control.resetStats();
    const stages = await stagesStarted([ada]);
    const [run] = await poll();
    expect(run!.counts).toMatchObject({ eventsStored: 1 });
    expect(await stagesStarted([ada])).not.toEqual(stages);
    expect((await w.world.control.stats()).httpRequests).toBe(1);
    const mine = (await w.events(ada)).find((e) => e.id === created.id)!;
    expect(mine).toMatchObject({ origin: 'hr', subject: 'Welcome (room 2)' });
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
