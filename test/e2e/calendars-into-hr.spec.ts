import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CalendarWorld, type Employee } from './calendar-support.js';

describe('6.1 and 6.2: the Microsoft 365 calendars a user can edit appear in HR', () => {
  let w: CalendarWorld;
  let ada: Employee;
  let bob: Employee;
  let cy: Employee;

  beforeAll(async () => {
    w = await CalendarWorld.start();
    [ada, bob, cy] = (await w.employees('Ada', 'Bob', 'Cy')) as [Employee, Employee, Employee];
    await w.outlook.createCalendar(ada.entraId, { name: 'Projects' });
    const bobMain = await w.outlookCalendarId(bob.entraId, 'Calendar');
    const bobTeam = (await w.outlook.createCalendar(bob.entraId, { name: 'Bob team' })).id;
    const cyMain = await w.outlookCalendarId(cy.entraId, 'Calendar');
    await w.outlook.shareCalendar(bob.entraId, bobMain, {
      shareeId: ada.entraId,
      role: 'delegateWithPrivateEventAccess',
    });
    await w.outlook.shareCalendar(bob.entraId, bobTeam, { shareeId: ada.entraId, role: 'write' });
    await w.outlook.shareCalendar(cy.entraId, cyMain, { shareeId: ada.entraId, role: 'read' });
  });
  afterAll(async () => w.close());

  it('lists own, shared and delegated calendars with edit rights: the default enabled, the others disabled', async () => {
    await w.sync(ada);
    expect(await w.calendarsOf(ada)).toEqual({
      Calendar: [true, 'own'],
      Projects: [false, 'own'],
      'Bob Tester': [false, 'shared'],
      'Bob team': [false, 'shared'],
    });
    const status = await w.status(ada);
    expect(status).toMatchObject({ linked: true, syncEnabled: true, showPrivateDetails: false });
    expect(status.runs[0]).toMatchObject({ status: 'succeeded', trigger: 'manual', counts: { calendarsAdded: 4 } });
  });

  it('lets the employee enable a calendar, never disable the default one, and a second run changes nothing', async () => {
    const projects = await w.calendarId(ada, 'Projects');
    const enabled = await w.asOk(ada, `/api/me/calendars/${projects}`, 'PATCH', { enabled: true });
    expect(enabled).toMatchObject({ name: 'Projects', enabled: true, kind: 'own' });
    const main = await w.calendarId(ada, 'Calendar');
    const refused = await w.as<{ code: string; detail: string }>(ada, `/api/me/calendars/${main}`, 'PATCH', {
      enabled: false,
    });
    expect([refused.status, refused.body.code]).toEqual([409, 'conflict']);
    const run = await w.sync(ada);
    expect(run.counts).toMatchObject({ calendarsAdded: 0, calendarsRemoved: 0 });
    expect((await w.calendarsOf(ada)).Projects).toEqual([true, 'own']);
  });

  it("never shows or changes another employee's calendars", async () => {
    await w.sync(bob);
    const adaCalendar = await w.calendarId(ada, 'Projects');
    const other = await w.as(bob, `/api/me/calendars/${adaCalendar}`, 'PATCH', { enabled: false });
    expect(other.status).toBe(404);
    expect(Object.keys(await w.calendarsOf(bob))).toEqual(['Calendar', 'Bob team']);
    expect((await w.as(bob, `/api/admin/users/${ada.hrUserId}/calendar`)).status).toBe(403);
    expect((await w.as(bob, `/api/admin/users/${ada.hrUserId}/calendar/sync`, 'POST')).status).toBe(403);
    expect((await w.as(ada, '/api/me/calendars/not-a-uuid', 'PATCH', { enabled: true })).status).toBe(400);
  });

  it('removes a calendar that loses edit rights or disappears, and adds it back disabled when rights return', async () => {
    const bobTeamForAda = (await w.outlook.listCalendars(ada.entraId)).find((c) => c['name'] === 'Bob team')!;
    await w.outlook.setShareRole(ada.entraId, bobTeamForAda['id'] as string, 'read');
    await w.outlook.deleteCalendar(ada.entraId, await w.outlookCalendarId(ada.entraId, 'Projects'));
    const run = await w.sync(ada);
    expect(run.counts).toMatchObject({ calendarsRemoved: 2 });
    expect(await w.calendarsOf(ada)).toEqual({ Calendar: [true, 'own'], 'Bob Tester': [false, 'shared'] });
    await w.outlook.setShareRole(ada.entraId, bobTeamForAda['id'] as string, 'delegateWithoutPrivateEventAccess');
    await w.sync(ada);
    expect((await w.calendarsOf(ada))['Bob team']).toEqual([false, 'shared']);
  });

  it('reads no mailbox of a user who switched calendar sync off, and reads it again when it is on', async () => {
    const off = await w.asOk(cy, '/api/me/calendar-settings', 'PATCH', { syncEnabled: false });
    expect(off).toEqual({ syncEnabled: false, showPrivateDetails: false });
    const refused = await w.world.api(`/api/admin/users/${cy.hrUserId}/calendar/sync`, 'POST');
    expect([refused.status, (refused.body as { detail: string }).detail]).toEqual([
      409,
      'No calendar run: calendar sync is off for this user (rule 6.1)',
    ]);
    expect(await w.calendarsOf(cy)).toEqual({});
    expect(await w.world.ok(`/api/admin/users/${cy.hrUserId}/calendar`, 'PATCH', { syncEnabled: true })).toEqual({
      syncEnabled: true,
      showPrivateDetails: false,
    });
    await w.sync(cy);
    expect(await w.calendarsOf(cy)).toEqual({ Calendar: [true, 'own'] });
  }, 60_000);
});

describe('6.1: calendar sync is a switch of the integration', () => {
  let w: CalendarWorld;
  beforeAll(async () => {
    w = await CalendarWorld.start({ calendarSync: false });
  });
  afterAll(async () => w.close());

  it('reads no calendar while the switch is off, and every mailbox once it is switched on', async () => {
    const [dee] = await w.employees('Dee');
    expect((await w.world.api(`/api/admin/users/${dee!.hrUserId}/calendar/sync`, 'POST')).status).toBe(409);
    expect(await w.calendarsOf(dee!)).toEqual({});
    const since = new Date().toISOString();
    await w.world.settings({ calendarSync: true });
    // Switching it on fans the runs out at once, without waiting for the poll interval.
    expect((await w.waitForRun(dee!, since)).status).toBe('succeeded');
    expect(await w.calendarsOf(dee!)).toEqual({ Calendar: [true, 'own'] });
  }, 90_000);
});
