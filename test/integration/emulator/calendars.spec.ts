import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GraphCaller, startTrusted, type RunningEmulator } from './emulator-harness.js';

type Item = Record<string, unknown> & { id: string };
type Page = { value: Item[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };

const PROP = 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name HrConnectorId';
const WINDOW = 'startDateTime=2025-03-01T00:00:00Z&endDateTime=2025-05-01T00:00:00Z';

describe('calendars and events in the emulator (docs/graph.md §11)', () => {
  let emulator: RunningEmulator;
  let graph: GraphCaller;
  const ids: Record<string, string> = {};

  const person = async (name: string) =>
    (
      await emulator.control.createUser({
        displayName: name,
        mail: `${name.toLowerCase()}@contoso.com`,
        userPrincipalName: `${name.toLowerCase()}@contoso.com`,
      })
    ).id;
  const round = async (url: string, headers: Record<string, string> = {}) => {
    const pages = (await graph.pages(url, headers)) as Page[];
    return { pages, items: pages.flatMap((p) => p.value), deltaLink: pages.at(-1)!['@odata.deltaLink']! };
  };
  const at = (dateTime: string, timeZone = 'UTC') => ({ dateTime, timeZone });

  beforeAll(async () => {
    emulator = await startTrusted({ seed: false });
    graph = await GraphCaller.create(emulator);
    ids.ada = await person('Ada');
    ids.bob = await person('Bob');
    ids.noMail = (await emulator.control.createUser({ displayName: 'No Mail' })).id;
  });
  afterAll(() => emulator.close());

  it('lists the default calendar, own calendars and accepted shares with canEdit by role', async () => {
    const c = emulator.control.calendars;
    const team = await c.createCalendar(ids.ada!, { name: 'Team' });
    const [adaDefault] = (await c.listCalendars(ids.ada!)).filter((cal) => cal['isDefaultCalendar']);
    const writeShare = await c.shareCalendar(ids.ada!, adaDefault!['id'] as string, {
      shareeId: ids.bob!,
      role: 'write',
    });
    await c.shareCalendar(ids.ada!, team.id, { shareeId: ids.bob!, role: 'read' });
    const reply = await graph.get(`/users/${ids.bob}/calendars?$top=2`);
    expect(reply.status).toBe(200);
    expect(reply.body['@odata.nextLink']).toContain('$skip=2');
    const all = (await graph.pages(`/users/${ids.bob}/calendars?$top=2`)).flatMap((p: Page) => p.value);
    expect(all.map((cal) => [cal['name'], cal['isDefaultCalendar'], cal['canEdit'], cal['canShare']])).toEqual([
      ['Calendar', true, true, true],
      ['Ada', false, true, false],
      ['Team', false, false, false],
    ]);
    expect(all[1]).toMatchObject({ id: writeShare.id, owner: { name: 'Ada', address: 'ada@contoso.com' } });
    expect(writeShare.id).toMatch(/=$/);
    await c.setShareRole(ids.bob!, writeShare.id, 'limitedRead');
    expect((await graph.get(`/users/${ids.bob}/calendars/${encodeURIComponent(writeShare.id)}`)).body.canEdit).toBe(
      false,
    );
    expect((await graph.get(`/users/${ids.noMail}/calendars`)).body.error.code).toBe('MailboxNotEnabledForRESTAPI');
  });

  it('creates once per transactionId, tags with an extended property, finds and expands it', async () => {
    const body = {
      subject: 'Vacation',
      start: at('2025-03-10T00:00:00', 'W. Europe Standard Time'),
      end: at('2025-03-12T00:00:00', 'W. Europe Standard Time'),
      isAllDay: true,
      showAs: 'oof',
      transactionId: 'hr-1',
      singleValueExtendedProperties: [{ id: PROP, value: 'hr-event:1' }],
    };
    const first = await graph.send('POST', `/users/${ids.ada}/calendar/events`, body);
    const again = await graph.send('POST', `/users/${ids.ada}/events`, body);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.id).toBe(first.body.id);
    expect(first.body).toMatchObject({
      isAllDay: true,
      transactionId: 'hr-1',
      start: { dateTime: '2025-03-09T23:00:00.0000000', timeZone: 'UTC' },
      originalStartTimeZone: 'W. Europe Standard Time',
    });
    expect(first.body['@odata.etag']).toBe(`W/"${first.body.changeKey}"`);
    const filter = `singleValueExtendedProperties/Any(ep: ep/id eq '${PROP}' and ep/value eq 'HR-EVENT:1')`;
    const found = await graph.get(`/users/${ids.ada}/events?$filter=${encodeURIComponent(filter)}`);
    expect(found.body.value.map((e: Item) => e.id)).toEqual([first.body.id]);
    expect(found.body.value[0].singleValueExtendedProperties).toBeUndefined();
    const expanded = await graph.get(
      `/users/${ids.ada}/events/${encodeURIComponent(first.body.id)}?$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${PROP}')`)}`,
      { Prefer: 'outlook.timezone="W. Europe Standard Time"' },
    );
    expect(expanded.body.singleValueExtendedProperties).toEqual([{ id: PROP, value: 'hr-event:1' }]);
    expect(expanded.body.start).toEqual({
      dateTime: '2025-03-10T00:00:00.0000000',
      timeZone: 'W. Europe Standard Time',
    });
    expect(expanded.headers.get('preference-applied')).toBe('outlook.timezone="W. Europe Standard Time"');
  });

  it('refuses a stale If-Match with 412 and a changed transactionId with 400', async () => {
    const created = await graph.send('POST', `/users/${ids.ada}/events`, {
      subject: 'Interview',
      start: at('2025-03-20T09:00:00'),
      end: at('2025-03-20T10:00:00'),
    });
    const id = encodeURIComponent(created.body.id);
    const ok = await graph.send(
      'PATCH',
      `/users/${ids.ada}/events/${id}`,
      { subject: 'Interview 2' },
      {
        'If-Match': created.body['@odata.etag'],
      },
    );
    expect(ok.status).toBe(200);
    expect(ok.body.changeKey).not.toBe(created.body.changeKey);
    const stale = await graph.send(
      'PATCH',
      `/users/${ids.ada}/events/${id}`,
      { subject: 'Interview 3' },
      {
        'If-Match': created.body['@odata.etag'],
      },
    );
    expect([stale.status, stale.body.error.code]).toEqual([412, 'ErrorIrresolvableConflict']);
    const tx = await graph.send('PATCH', `/users/${ids.ada}/events/${id}`, { transactionId: 'x' });
    expect(tx.status).toBe(400);
    expect((await graph.send('DELETE', `/users/${ids.ada}/events/${id}`)).status).toBe(204);
    expect((await graph.get(`/users/${ids.ada}/events/${id}`)).body.error.code).toBe('ErrorItemNotFound');
  });

  it('expands a series in its zone across daylight saving, with an exception and a cancelled occurrence', async () => {
    const c = emulator.control.calendars;
    const cal = await c.createCalendar(ids.bob!, { name: 'Series' });
    const series = await c.createEvent(ids.bob!, cal.id, {
      subject: 'Stand-up',
      start: at('2025-03-28T09:00:00', 'W. Europe Standard Time'),
      end: at('2025-03-28T09:15:00', 'W. Europe Standard Time'),
      recurrence: {
        pattern: { type: 'daily', interval: 1 },
        range: { type: 'numbered', startDate: '2025-03-28', numberOfOccurrences: 4 },
      },
    });
    const view = await c.calendarView(ids.bob!, cal.id, '2025-03-01T00:00:00Z', '2025-05-01T00:00:00Z');
    expect(view.map((e) => (e['start'] as { dateTime: string }).dateTime)).toEqual([
      '2025-03-28T08:00:00.0000000',
      '2025-03-29T08:00:00.0000000',
      '2025-03-30T07:00:00.0000000',
      '2025-03-31T07:00:00.0000000',
    ]);
    expect(view.every((e) => e['seriesMasterId'] === series.id && e['type'] === 'occurrence')).toBe(true);
    await c.updateEvent(ids.bob!, view[1]!.id, { subject: 'Moved stand-up' });
    await c.deleteEvent(ids.bob!, view[2]!.id);
    const after = await c.calendarView(ids.bob!, cal.id, '2025-03-01T00:00:00Z', '2025-05-01T00:00:00Z');
    expect(after.map((e) => [e['type'], e['subject']])).toEqual([
      ['occurrence', 'Stand-up'],
      ['exception', 'Moved stand-up'],
      ['occurrence', 'Stand-up'],
    ]);
    const master = await graph.get(`/users/${ids.bob}/events/${encodeURIComponent(series.id)}`);
    expect(master.body.type).toBe('seriesMaster');
    expect(master.body.recurrence.pattern.type).toBe('daily');
  });

  it('pages calendarView delta, then reports changes, deletions and events leaving the window', async () => {
    const c = emulator.control.calendars;
    const cal = await c.createCalendar(ids.ada!, { name: 'Delta' });
    const base = `/users/${ids.ada}/calendars/${encodeURIComponent(cal.id)}/calendarView/delta`;
    expect((await graph.get(base)).body.error.code).toBe('ErrorInvalidParameter');
    expect((await graph.get(`${base}?${WINDOW}&$select=subject`)).status).toBe(400);
    const made = [];
    for (let day = 10; day < 15; day++)
      made.push(
        await c.createEvent(ids.ada!, cal.id, {
          subject: `E${day}`,
          start: at(`2025-03-${day}T10:00:00`),
          end: at(`2025-03-${day}T11:00:00`),
        }),
      );
    // Ends exactly where the window starts: not in the view.
    await c.createEvent(ids.ada!, cal.id, {
      subject: 'Edge',
      start: at('2025-02-28T23:00:00'),
      end: at('2025-03-01T00:00:00'),
    });
    const first = await round(`${base}?${WINDOW}`, { Prefer: 'odata.maxpagesize=2' });
    expect(first.pages.map((p) => p.value.length)).toEqual([2, 2, 1]);
    expect(first.pages[0]!['@odata.nextLink']).toContain('$skiptoken=');
    expect(first.deltaLink).toContain('$deltatoken=');
    expect(first.items.map((e) => e['subject'])).toEqual(['E10', 'E11', 'E12', 'E13', 'E14']);
    const quiet = await round(first.deltaLink);
    expect(quiet.items).toEqual([]);
    await c.updateEvent(ids.ada!, made[0]!.id, { subject: 'E10 changed' });
    await c.deleteEvent(ids.ada!, made[1]!.id);
    await c.updateEvent(ids.ada!, made[2]!.id, { start: at('2025-06-12T10:00:00'), end: at('2025-06-12T11:00:00') });
    await c.createEvent(ids.ada!, cal.id, {
      subject: 'Far',
      start: at('2025-09-01T10:00:00'),
      end: at('2025-09-01T11:00:00'),
    });
    const changes = await round(quiet.deltaLink);
    expect(changes.items.filter((e) => !e['@removed']).map((e) => e['subject'])).toEqual(['E10 changed']);
    expect(changes.items.filter((e) => e['@removed']).length).toBe(3);
    expect(changes.items.find((e) => e['@removed'])).toEqual({
      '@odata.type': '#microsoft.graph.event',
      id: made[1]!.id,
      '@removed': { reason: 'deleted' },
    });
    await c.expireCalendarDelta();
    const gone = await graph.get(changes.deltaLink);
    expect([gone.status, gone.body.error.code]).toEqual([410, 'SyncStateNotFound']);
    expect((await graph.get(`/users/${ids.ada}/events/delta`)).status).toBe(400);
  });
});
