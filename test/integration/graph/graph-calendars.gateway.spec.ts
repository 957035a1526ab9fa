import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HR_ID_PROPERTY } from '../../../src/gateways/graph/graph-calendars.gateway.js';
import { GraphCalendarsGateway, GraphSession } from '../../../src/gateways/graph/index.js';
import { gatewayOptions, startTrustedEmulator, type RunningEmulator } from './graph-emulator.harness.js';

describe('the calendars gateway against the emulator (docs/graph.md §11)', () => {
  let emulator: RunningEmulator;
  let gateway: GraphCalendarsGateway;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    emulator = await startTrustedEmulator({ seed: false });
    gateway = new GraphCalendarsGateway(new GraphSession(gatewayOptions(emulator)));
    for (const name of ['Ada', 'Bob'])
      ids[name] = (
        await emulator.control.createUser({ displayName: name, mail: `${name.toLowerCase()}@contoso.com` })
      ).id;
  });
  afterAll(() => emulator.close());

  it('lists own and shared calendars with canEdit and owner, through every page', async () => {
    const c = emulator.control.calendars;
    for (let i = 0; i < 120; i++) await c.createCalendar(ids.Ada!, { name: `Extra ${i}` });
    const bobMain = (await c.listCalendars(ids.Bob!))[0]!['id'] as string;
    await c.shareCalendar(ids.Bob!, bobMain, { shareeId: ids.Ada!, role: 'read' });
    const calendars = await gateway.listCalendars(ids.Ada!);
    expect(calendars).toHaveLength(122);
    expect(calendars[0]).toEqual({
      sourceId: expect.stringMatching(/=$/),
      name: 'Calendar',
      isDefault: true,
      canEdit: true,
      owner: { name: 'Ada', address: 'ada@contoso.com' },
    });
    expect(calendars.at(-1)).toMatchObject({ name: 'Bob', isDefault: false, canEdit: false, owner: { name: 'Bob' } });
  });

  it('reads a calendar view in rounds: pages of events in UTC, then @removed, then cursor-invalid after Graph forgot it', async () => {
    const c = emulator.control.calendars;
    const cal = (await c.createCalendar(ids.Bob!, { name: 'View' })).id;
    const window = { start: '2026-03-01T00:00:00.000Z', end: '2026-05-01T00:00:00.000Z' };
    for (let day = 10; day < 15; day++)
      await c.createEvent(ids.Bob!, cal, {
        subject: `E${day}`,
        body: { contentType: 'html', content: '<p>Hi</p>' },
        start: { dateTime: `2026-03-${day}T10:00:00`, timeZone: 'W. Europe Standard Time' },
        end: { dateTime: `2026-03-${day}T11:00:00`, timeZone: 'W. Europe Standard Time' },
        transactionId: `tx-${day}`,
      });
    const round = async (cursor: string | null) => {
      const pages = [];
      for await (const page of gateway.readCalendarView(ids.Bob!, cal, cursor, window)) pages.push(page);
      return pages;
    };
    const first = await round(null);
    expect(first.map((p) => p.done)).toEqual([false, true].slice(2 - first.length));
    const events = first.flatMap((p) => p.items);
    expect(events).toHaveLength(5);
    expect(events[0]).toEqual({
      kind: 'event',
      event: expect.objectContaining({
        subject: 'E10',
        body: 'Hi',
        start: '2026-03-10T09:00:00.000Z',
        end: '2026-03-10T10:00:00.000Z',
        timeZone: 'W. Europe Standard Time',
        transactionId: 'tx-10',
        type: 'singleInstance',
        changeKey: expect.any(String),
      }),
    });
    const deltaLink = first.at(-1)!.cursor;
    expect(gateway.accepts(deltaLink)).toBe(true);
    expect(gateway.accepts('https://graph.example.com/v1.0/x')).toBe(false);
    const doomed = events[1]!.kind === 'event' ? events[1]!.event.sourceId : '';
    await c.deleteEvent(ids.Bob!, doomed);
    const next = await round(deltaLink);
    expect(next.flatMap((p) => p.items)).toEqual([{ kind: 'removed', sourceId: doomed }]);
    await c.expireCalendarDelta();
    await expect(round(next.at(-1)!.cursor)).rejects.toMatchObject({ kind: 'cursor-invalid', status: 410 });
  });

  it('writes HR events: tagged, once per transactionId even when the answer is lost, with If-Match, found by their tag', async () => {
    const c = emulator.control.calendars;
    const cal = (await c.createCalendar(ids.Ada!, { name: 'Writes' })).id;
    const write = {
      hrId: 'a3e1c0de-0000-4000-8000-000000000001',
      kind: 'absence' as const,
      subject: 'Vacation',
      body: 'Approved',
      location: '',
      start: '2026-07-06T22:00:00.000Z',
      end: '2026-07-08T22:00:00.000Z',
      timeZone: 'Europe/Berlin',
      isAllDay: true,
      startDate: '2026-07-07',
      endDate: '2026-07-09',
      showAs: 'oof',
      sensitivity: 'normal',
      recurrence: null,
    };
    // The first answer is lost after the emulator created the event: the POST goes again, same transactionId.
    await emulator.control.addFault({ kind: 'drop', method: 'POST', pathRegex: '/events$', count: 1 });
    const created = await gateway.createEvent(ids.Ada!, cal, write, 'ehc-test-1');
    expect(created).toMatchObject({
      subject: 'Vacation',
      isAllDay: true,
      start: '2026-07-06T22:00:00.000Z',
      showAs: 'oof',
    });
    expect(created.transactionId).toBe('ehc-test-1');
    expect(await c.listEvents(ids.Ada!, cal)).toHaveLength(1);
    expect((await c.listEvents(ids.Ada!, cal))[0]!['singleValueExtendedProperties']).toEqual([
      { id: HR_ID_PROPERTY, value: write.hrId },
    ]);
    expect(await gateway.createEvent(ids.Ada!, cal, write, 'ehc-test-1')).toMatchObject({ sourceId: created.sourceId });
    expect(await c.listEvents(ids.Ada!, cal)).toHaveLength(1);
    expect(await gateway.findTagged(ids.Ada!, cal, write.hrId)).toMatchObject({ sourceId: created.sourceId });
    expect(await gateway.findTagged(ids.Ada!, cal, 'someone-else')).toBeNull();
    // A change with the changeKey HR saw goes through; with a stale one it is refused as changed.
    const changed = await gateway.updateEvent(
      ids.Ada!,
      created.sourceId,
      { ...write, subject: 'Holiday' },
      created.changeKey,
    );
    expect(changed).toMatchObject({ kind: 'written', event: { subject: 'Holiday' } });
    expect(await gateway.updateEvent(ids.Ada!, created.sourceId, write, created.changeKey)).toEqual({
      kind: 'changed',
    });
    expect(await gateway.deleteEvent(ids.Ada!, created.sourceId, created.changeKey)).toBe('changed');
    const current = changed.kind === 'written' ? changed.event.changeKey : null;
    expect(await gateway.deleteEvent(ids.Ada!, created.sourceId, current)).toBe('deleted');
    expect(await gateway.deleteEvent(ids.Ada!, created.sourceId, null)).toBe('gone');
    expect(await gateway.getEvent(ids.Ada!, created.sourceId)).toBeNull();
    expect(await gateway.updateEvent(ids.Ada!, created.sourceId, write, null)).toEqual({ kind: 'gone' });
  });

  it('reports a user without a mailbox as not found', async () => {
    const noMail = await emulator.control.createUser({ displayName: 'No Mail' });
    await expect(gateway.listCalendars(noMail.id)).rejects.toMatchObject({
      kind: 'not-found',
      code: 'MailboxNotEnabledForRESTAPI',
    });
  });
});
