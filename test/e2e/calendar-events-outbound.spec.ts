import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CalendarWorld, dayAt, type Employee, type EventRow } from './calendar-support.js';

const HR_ID_PROPERTY = 'String {6f1c2a5e-3b8d-4e47-9a1f-5c2d7e9b0a43} Name EntraHrConnectorEventId';
const utc = (dateTime: string, timeZone = 'UTC') => ({ dateTime, timeZone });

describe('6.7 and 6.8: events HR creates go to Microsoft 365, and come back when Outlook changes them', () => {
  let w: CalendarWorld;
  let ada: Employee;
  let bob: Employee;

  beforeAll(async () => {
    w = await CalendarWorld.start();
    [ada, bob] = (await w.employees('Ada', 'Bob')) as [Employee, Employee];
    await w.sync(ada);
    await w.sync(bob);
  });
  afterAll(async () => w.close());

  /** Ada's Outlook events (default calendar) with a subject. */
  const inOutlook = async (employee: Employee, subject: string) =>
    (await w.outlook.listEvents(employee.entraId, null)).filter((e) => e['subject'] === subject);

  const create = (employee: Employee, json: Record<string, unknown>) =>
    w.asOk<EventRow>(employee, '/api/me/events', 'POST', json);

  it('creates an HR event once in the default calendar, tagged with its HR id, and a second run echoes nothing', async () => {
    const created = await create(ada, {
      kind: 'onboarding',
      subject: 'Onboarding: first day',
      body: 'Welcome!',
      location: 'Reception',
      start: `${dayAt(5, '08:30')}Z`,
      end: `${dayAt(5, '12:00')}Z`,
      timeZone: 'Europe/Berlin',
    });
    expect(created).toMatchObject({ origin: 'hr', kind: 'onboarding', push: { state: 'pending', error: null } });
    const run = await w.sync(ada);
    expect(run.counts).toMatchObject({ eventsPushed: 1 });
    const [copy, ...others] = await inOutlook(ada, 'Onboarding: first day');
    expect(others).toHaveLength(0);
    expect(copy).toMatchObject({
      location: { displayName: 'Reception' },
      originalStartTimeZone: 'Europe/Berlin',
      singleValueExtendedProperties: [{ id: HR_ID_PROPERTY, value: created.id }],
    });
    expect(copy!['start']).toMatchObject({ dateTime: expect.stringMatching(new RegExp(`^${dayAt(5, '08:30')}`)) });
    expect((await w.asOk<EventRow>(ada, `/api/me/events/${created.id}`)).push).toEqual({
      state: 'synced',
      error: null,
    });
    // The delta brings Ada's own creation back: it stays one HR event, unchanged.
    const again = await w.sync(ada);
    expect(again.counts).toMatchObject({ eventsPushed: 0, eventsStored: 0, eventsRemoved: 0 });
    expect((await w.events(ada)).filter((e) => e.subject === 'Onboarding: first day')).toHaveLength(1);
    expect(await w.asOk(ada, `/api/me/events/${created.id}/history`)).toEqual({ items: [] });
  });

  it('appears once in Outlook when the answer to the creating request is lost after Graph created it', async () => {
    await w.world.control.addFault({
      kind: 'drop',
      method: 'POST',
      pathRegex: '^/users/[^/]+/calendars/[^/]+/events',
      count: 1,
    });
    const created = await create(ada, {
      kind: 'absence',
      subject: 'Vacation',
      isAllDay: true,
      startDate: dayAt(20).slice(0, 10),
      endDate: dayAt(23).slice(0, 10),
      timeZone: 'W. Europe Standard Time',
    });
    await w.sync(ada);
    expect(await w.world.control.listFaults()).toEqual([]);
    // The run sent the creation again with the same transactionId, and Graph answered with its event.
    expect((await w.asOk<EventRow>(ada, `/api/me/events/${created.id}`)).push).toEqual({
      state: 'synced',
      error: null,
    });
    const copies = await inOutlook(ada, 'Vacation');
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ isAllDay: true, showAs: 'oof' });
    await w.sync(ada);
    expect(await inOutlook(ada, 'Vacation')).toHaveLength(1);
    expect((await w.events(ada)).filter((e) => e.subject === 'Vacation')).toEqual([
      expect.objectContaining({ id: created.id, startDate: dayAt(20).slice(0, 10), endDate: dayAt(23).slice(0, 10) }),
    ]);
  });

  it('appears once even when every answer of a run is lost: the next run finds its copy by transactionId or tag', async () => {
    await w.world.control.addFault({
      kind: 'drop',
      method: 'POST',
      pathRegex: '^/users/[^/]+/calendars/[^/]+/events',
      count: 2,
    });
    const created = await create(ada, {
      kind: 'interview',
      subject: 'Interview: candidate 7',
      start: `${dayAt(6, '13:00')}Z`,
      end: `${dayAt(6, '14:00')}Z`,
    });
    await w.sync(ada);
    // Both answers were lost (the creation and its retry); the run queued by the change or this one found it.
    expect(await w.world.control.listFaults()).toEqual([]);
    await w.sync(ada);
    expect(await inOutlook(ada, 'Interview: candidate 7')).toHaveLength(1);
    expect((await w.asOk<EventRow>(ada, `/api/me/events/${created.id}`)).push?.state).toBe('synced');
    expect((await w.events(ada)).filter((e) => e.subject === 'Interview: candidate 7')).toHaveLength(1);
  });

  it("follows HR's changes and deletion to Outlook", async () => {
    const created = await create(ada, {
      kind: 'training',
      subject: 'Safety training',
      start: `${dayAt(8, '10:00')}Z`,
      end: `${dayAt(8, '11:00')}Z`,
    });
    await w.sync(ada);
    await w.asOk(ada, `/api/me/events/${created.id}`, 'PATCH', {
      subject: 'Safety training (room 2)',
      end: `${dayAt(8, '11:30')}Z`,
    });
    await w.sync(ada);
    expect(await inOutlook(ada, 'Safety training')).toHaveLength(0);
    const [moved] = await inOutlook(ada, 'Safety training (room 2)');
    expect(moved!['end']).toMatchObject({ dateTime: expect.stringMatching(new RegExp(`^${dayAt(8, '11:30')}`)) });
    expect((await w.sync(ada)).counts).toMatchObject({ eventsStored: 0, eventsPushed: 0 });
    expect((await w.as(ada, `/api/me/events/${created.id}`, 'DELETE')).status).toBe(204);
    expect((await w.as(ada, `/api/me/events/${created.id}`)).status).toBe(404);
    await w.sync(ada);
    expect(await inOutlook(ada, 'Safety training (room 2)')).toHaveLength(0);
    expect((await w.sync(ada)).counts).toMatchObject({ eventsStored: 0, eventsRemoved: 0, eventsPushed: 0 });
  });

  it("brings Outlook's edit and deletion of an HR event back to HR, keeping the earlier version", async () => {
    const created = await create(ada, {
      kind: 'meeting',
      subject: 'Probation review',
      start: `${dayAt(9, '14:00')}Z`,
      end: `${dayAt(9, '15:00')}Z`,
    });
    await w.sync(ada);
    const [copy] = await inOutlook(ada, 'Probation review');
    await w.outlook.updateEvent(ada.entraId, copy!.id, {
      subject: 'Probation review (moved)',
      start: utc(dayAt(10, '09:00')),
      end: utc(dayAt(10, '10:00')),
    });
    await w.sync(ada);
    const back = await w.asOk<EventRow>(ada, `/api/me/events/${created.id}`);
    expect(back).toMatchObject({
      origin: 'hr',
      kind: 'meeting',
      subject: 'Probation review (moved)',
      start: `${dayAt(10, '09:00')}.000Z`,
      push: { state: 'synced', error: null },
    });
    const history = await w.asOk<{ items: Array<{ reason: string; side: string; snapshot: { subject: string } }> }>(
      ada,
      `/api/me/events/${created.id}/history`,
    );
    expect(history.items).toEqual([
      expect.objectContaining({
        reason: 'changed-in-outlook',
        side: 'hr',
        snapshot: expect.objectContaining({ subject: 'Probation review' }),
      }),
    ]);
    // No echo: HR's copy of Outlook's version is not sent back.
    expect((await w.sync(ada)).counts).toMatchObject({ eventsPushed: 0, eventsStored: 0 });
    expect(await inOutlook(ada, 'Probation review (moved)')).toHaveLength(1);
    await w.outlook.deleteEvent(ada.entraId, copy!.id);
    await w.sync(ada);
    expect((await w.as(ada, `/api/me/events/${created.id}`)).status).toBe(404);
    expect((await w.events(ada)).filter((e) => e.subject.startsWith('Probation review'))).toHaveLength(0);
  });

  /** The conflicts the runs of the employee recorded since `since` (the run HR's change queued, and any after). */
  const conflictsSince = async (employee: Employee, since: string) =>
    (await w.status(employee)).runs.filter((r) => r.startedAt >= since).flatMap((r) => r.conflicts);

  /**
   * Both sides change while the employee's calendar sync is off, so that one run meets both changes
   * (otherwise the run HR's change queues sends it at once, before Outlook's).
   */
  const whilePaused = async (employee: Employee, changes: () => Promise<void>) => {
    await w.world.ok(`/api/admin/users/${employee.hrUserId}/calendar`, 'PATCH', { syncEnabled: false });
    await new Promise((resolve) => setTimeout(resolve, 2500)); // a run queued before finishes or is skipped
    await changes();
    await w.world.ok(`/api/admin/users/${employee.hrUserId}/calendar`, 'PATCH', { syncEnabled: true });
  };

  it('decides a change on both sides by the later change, keeps the loser in the history, and records the conflict', async () => {
    const created = await create(ada, {
      kind: 'meeting',
      subject: 'Team lunch',
      start: `${dayAt(12, '12:00')}Z`,
      end: `${dayAt(12, '13:00')}Z`,
    });
    await w.sync(ada);
    const [copy] = await inOutlook(ada, 'Team lunch');
    type History = { items: Array<{ reason: string; side: string; snapshot: { subject: string } }> };

    // Outlook changes first, HR after: HR's change wins and reaches Outlook, over Outlook's changeKey.
    const first = new Date().toISOString();
    await whilePaused(ada, async () => {
      await w.outlook.updateEvent(ada.entraId, copy!.id, { subject: 'Team lunch (Outlook)' });
      await new Promise((resolve) => setTimeout(resolve, 1100)); // the emulator's lastModifiedDateTime counts whole seconds
      await w.asOk(ada, `/api/me/events/${created.id}`, 'PATCH', { subject: 'Team lunch (HR)' });
    });
    await w.sync(ada);
    expect(await conflictsSince(ada, first)).toEqual([expect.objectContaining({ eventId: created.id, winner: 'hr' })]);
    expect(await inOutlook(ada, 'Team lunch (HR)')).toHaveLength(1);
    expect((await w.asOk<EventRow>(ada, `/api/me/events/${created.id}`)).push?.state).toBe('synced');
    expect((await w.asOk<History>(ada, `/api/me/events/${created.id}/history`)).items.at(-1)).toMatchObject({
      reason: 'conflict-lost',
      side: 'outlook',
      snapshot: { subject: 'Team lunch (Outlook)' },
    });

    // HR changes first, Outlook after: Outlook's change is the later one and wins in HR.
    const second = new Date().toISOString();
    await whilePaused(ada, async () => {
      await w.asOk(ada, `/api/me/events/${created.id}`, 'PATCH', { subject: 'Team lunch (HR again)' });
      await new Promise((resolve) => setTimeout(resolve, 1100)); // the emulator's lastModifiedDateTime counts whole seconds
      await w.outlook.updateEvent(ada.entraId, copy!.id, { subject: 'Team lunch (Outlook again)' });
    });
    await w.sync(ada);
    expect(await conflictsSince(ada, second)).toEqual([
      expect.objectContaining({ eventId: created.id, winner: 'outlook' }),
    ]);
    expect((await w.asOk<EventRow>(ada, `/api/me/events/${created.id}`)).subject).toBe('Team lunch (Outlook again)');
    expect(await inOutlook(ada, 'Team lunch (Outlook again)')).toHaveLength(1);
    expect((await w.asOk<History>(ada, `/api/me/events/${created.id}/history`)).items.at(-1)).toMatchObject({
      reason: 'conflict-lost',
      side: 'hr',
      snapshot: { subject: 'Team lunch (HR again)' },
    });
    expect((await w.sync(ada)).counts).toMatchObject({ eventsPushed: 0, eventsStored: 0, conflicts: 0 });
  });

  it('puts an HR event in the enabled calendar the employee picks, and refuses a disabled one', async () => {
    const ownerCal = await w.outlook.createCalendar(ada.entraId, { name: 'HR matters' });
    await w.sync(ada);
    const calendarId = await w.calendarId(ada, 'HR matters');
    const refused = await w.as(ada, '/api/me/events', 'POST', {
      kind: 'other',
      subject: 'Picked',
      start: `${dayAt(3, '10:00')}Z`,
      end: `${dayAt(3, '11:00')}Z`,
      calendarId,
    });
    expect(refused.status).toBe(409);
    await w.asOk(ada, `/api/me/calendars/${calendarId}`, 'PATCH', { enabled: true });
    const created = await create(ada, {
      kind: 'other',
      subject: 'Picked',
      start: `${dayAt(3, '10:00')}Z`,
      end: `${dayAt(3, '11:00')}Z`,
      calendarId,
    });
    expect(created.calendarId).toBe(calendarId);
    await w.sync(ada);
    const there = (await w.outlook.listEvents(ada.entraId, ownerCal.id)).filter((e) => e['subject'] === 'Picked');
    expect(there).toHaveLength(1);
    expect(await inOutlook(ada, 'Picked')).toHaveLength(0);
  });

  it("lets no employee see, change or delete another's events; an admin writes HR events for anyone", async () => {
    const mine = await create(ada, {
      kind: 'other',
      subject: 'Private matter',
      start: `${dayAt(4, '10:00')}Z`,
      end: `${dayAt(4, '11:00')}Z`,
    });
    expect((await w.as(bob, `/api/me/events/${mine.id}`)).status).toBe(404);
    expect((await w.as(bob, `/api/me/events/${mine.id}`, 'PATCH', { subject: 'x' })).status).toBe(404);
    expect((await w.as(bob, `/api/me/events/${mine.id}`, 'DELETE')).status).toBe(404);
    expect((await w.as(bob, `/api/me/events/${mine.id}/history`)).status).toBe(404);
    expect(
      (await w.as(bob, `/api/admin/users/${ada.hrUserId}/events`, 'POST', { kind: 'other', subject: 'x' })).status,
    ).toBe(403);
    const byAdmin = await w.world.ok<EventRow>(`/api/admin/users/${bob.hrUserId}/events`, 'POST', {
      kind: 'absence',
      subject: 'Sick leave',
      isAllDay: true,
      startDate: dayAt(1).slice(0, 10),
      endDate: dayAt(2).slice(0, 10),
    });
    expect(byAdmin).toMatchObject({ origin: 'hr', kind: 'absence', showAs: 'oof' });
    await w.sync(bob);
    expect(await inOutlook(bob, 'Sick leave')).toHaveLength(1);
    expect(await inOutlook(ada, 'Sick leave')).toHaveLength(0);
    // An Outlook event is changed in Outlook, not through HR.
    await w.outlook.createEvent(bob.entraId, null, {
      subject: 'Dentist',
      start: utc(dayAt(2, '08:00')),
      end: utc(dayAt(2, '09:00')),
    });
    await w.sync(bob);
    const dentist = (await w.events(bob)).find((e) => e.subject === 'Dentist')!;
    expect((await w.as(bob, `/api/me/events/${dentist.id}`, 'PATCH', { subject: 'x' })).status).toBe(409);
    expect((await w.as(bob, `/api/me/events/${dentist.id}`, 'DELETE')).status).toBe(409);
  });
});

describe('6.7: an HR series, and its deleted occurrences on both sides', () => {
  let w: CalendarWorld;
  let ada: Employee;

  beforeAll(async () => {
    w = await CalendarWorld.start();
    [ada] = (await w.employees('Ada')) as [Employee];
    await w.sync(ada);
  });
  afterAll(async () => w.close());

  const weekday = (iso: string) =>
    ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'][new Date(iso).getUTCDay()]!;
  const outlookOccurrences = async (subject: string) =>
    (await w.outlook.calendarView(ada.entraId, null, `${dayAt(0, '00:00')}Z`, `${dayAt(60, '00:00')}Z`))
      .filter((e) => e['subject'] === subject)
      .map((e) => String((e['start'] as { dateTime: string }).dateTime).slice(0, 16));
  const hrOccurrences = async (subject: string) =>
    (await w.events(ada)).filter((e) => e.subject === subject).map((e) => e.start.slice(0, 16));

  it('keeps an occurrence deleted in HR or in Outlook deleted on both sides, through later runs and changes', async () => {
    const first = `${dayAt(7, '09:00')}Z`;
    const series = await w.asOk<EventRow & { recurrence: unknown }>(ada, '/api/me/events', 'POST', {
      kind: 'training',
      subject: 'Onboarding check-in',
      start: first,
      end: `${dayAt(7, '09:30')}Z`,
      timeZone: 'Europe/Berlin',
      recurrence: { type: 'weekly', interval: 1, daysOfWeek: [weekday(first)], count: 4, until: null },
    });
    expect(series.recurrence).toMatchObject({ type: 'weekly', count: 4 });
    await w.sync(ada);
    const weeks = [7, 14, 21, 28].map((d) => dayAt(d, '09:00').slice(0, 16));
    expect(await outlookOccurrences('Onboarding check-in')).toEqual(weeks);
    const occurrences = (await w.events(ada)).filter((e) => e.subject === 'Onboarding check-in');
    expect(occurrences.map((e) => [e.origin, e.kind, e.type])).toEqual(
      Array.from({ length: 4 }, () => ['hr', 'training', 'occurrence']),
    );
    // One occurrence is changed as part of its series only.
    expect((await w.as(ada, `/api/me/events/${occurrences[0]!.id}`, 'PATCH', { subject: 'x' })).status).toBe(409);

    // HR deletes the second occurrence: Microsoft 365 follows, and it never comes back.
    expect((await w.as(ada, `/api/me/events/${occurrences[1]!.id}`, 'DELETE')).status).toBe(204);
    await w.sync(ada);
    expect(await outlookOccurrences('Onboarding check-in')).toEqual([weeks[0], weeks[2], weeks[3]]);
    expect(await hrOccurrences('Onboarding check-in')).toEqual([weeks[0], weeks[2], weeks[3]]);

    // Outlook deletes the third: HR follows.
    const inOutlook = (
      await w.outlook.calendarView(ada.entraId, null, `${dayAt(0, '00:00')}Z`, `${dayAt(60, '00:00')}Z`)
    ).filter((e) => e['subject'] === 'Onboarding check-in');
    await w.outlook.deleteEvent(ada.entraId, inOutlook[1]!.id);
    await w.sync(ada);
    expect(await hrOccurrences('Onboarding check-in')).toEqual([weeks[0], weeks[3]]);

    // A later change of the series and more runs leave both deleted on both sides.
    await w.asOk(ada, `/api/me/events/${series.id}`, 'PATCH', { subject: 'Onboarding check-in (HR)' });
    await w.sync(ada);
    await w.sync(ada);
    expect(await outlookOccurrences('Onboarding check-in (HR)')).toEqual([weeks[0], weeks[3]]);
    expect(await hrOccurrences('Onboarding check-in (HR)')).toEqual([weeks[0], weeks[3]]);
    expect(await outlookOccurrences('Onboarding check-in')).toEqual([]);
  });
});
