import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InboundWorld } from './inbound-support.js';

/**
 * Domain rules, section 2 (Entra group members -> HR users), end to end: Entra changes through the
 * emulator's control API, settings and checks through the admin API, runs through the sync job.
 */
describe('inbound sync, section 2: Entra group members become HR users', () => {
  let w: InboundWorld;
  beforeAll(async () => {
    w = await InboundWorld.start();
  });
  afterAll(async () => w.close());

  it("2.1 syncs the users among a synced group's members and ignores devices and service principals", async () => {
    const ann = await w.person('Ann', 'Able');
    const device = await w.control.createDirectoryObject({ type: 'device', displayName: 'KIOSK-2-1' });
    const app = await w.control.createDirectoryObject({ type: 'servicePrincipal', displayName: 'Payroll App 2-1' });
    const group = await w.group('Rule 2.1 mixed', [ann.id, device.id, app.id]);
    await w.addSyncedGroup(group);
    const run = await w.sync();
    expect(run.counts).toMatchObject({ created: 1, skipped: 0, failed: 0 });
    const outcomes = await w.outcomes(run.id);
    expect(outcomes.map((o) => o.entraId)).toEqual([ann.id]);
    const names = (await w.hrUsers()).map((u) => `${u.displayName}`);
    expect(names).not.toContain('KIOSK-2-1');
    expect(names).not.toContain('Payroll App 2-1');
  });

  it('2.1 follows nested groups by default, and stops following them when the setting is off', async () => {
    const direct = await w.person('Dora', 'Direct');
    const nested = await w.person('Ned', 'Nested');
    const deeper = await w.person('Dee', 'Deeper');
    const grandchild = await w.group('Rule 2.1 grandchild', [deeper.id]);
    const child = await w.group('Rule 2.1 child', [nested.id, grandchild]);
    const parent = await w.group('Rule 2.1 parent', [direct.id, child]);
    await w.addSyncedGroup(parent);
    await w.sync();
    for (const p of [direct, nested, deeper])
      expect(await w.hrUser(p.mail)).toMatchObject({ active: true, entraId: p.id });

    await w.settings({ followNestedGroups: false });
    const late = await w.person('Lou', 'Late');
    await w.control.addMember(child, late.id);
    const run = await w.sync();
    expect(await w.hrUser(direct.mail)).toMatchObject({ active: true });
    for (const p of [nested, deeper]) {
      expect(await w.hrUser(p.mail)).toMatchObject({ active: false, deactivatedReason: 'left-synced-groups' });
      expect(await w.outcomesOf(run.id, p.mail)).toEqual([
        expect.objectContaining({ outcome: 'deactivated', reason: 'left-synced-groups' }),
      ]);
    }
    expect(await w.hrUsersWith(late.mail)).toEqual([]);

    await w.settings({ followNestedGroups: true });
    await w.sync();
    for (const p of [nested, deeper, late])
      expect(await w.hrUser(p.mail)).toMatchObject({ active: true, entraId: p.id });
  });

  it('2.2 matches an existing HR user by e-mail, case-insensitively, and keeps the link by object id when the e-mail changes', async () => {
    const existing = await w.ok<{ id: string }>('/api/admin/users', 'POST', {
      email: 'Grace.Hopper@Contoso.com',
      firstName: 'Grace',
      lastName: 'Hopper',
    });
    const grace = await w.person('Grace', 'Hopper', {
      mail: 'grace.hopper@CONTOSO.COM',
      userPrincipalName: 'grace.hopper@contoso.com',
    });
    await w.addSyncedGroup(await w.group('Rule 2.2', [grace.id]));
    const first = await w.sync();
    expect(await w.outcomesOf(first.id, 'grace.hopper@contoso.com')).toEqual([
      expect.objectContaining({
        hrUserId: existing.id,
        outcome: 'updated',
        changes: [{ field: 'entraId', old: null, new: grace.id }],
      }),
    ]);
    expect(await w.hrUser('grace.hopper@contoso.com')).toMatchObject({
      id: existing.id,
      entraId: grace.id,
      active: true,
    });

    await w.control.updateUser(grace.id, {
      mail: 'grace@fabrikam.com',
      userPrincipalName: 'grace@fabrikam.com',
      jobTitle: 'Rear Admiral',
    });
    const second = await w.sync();
    expect(second.counts).toMatchObject({ created: 0, updated: 1 });
    expect(await w.hrUsersWith('grace@fabrikam.com')).toEqual([]);
    expect(await w.hrUser('grace.hopper@contoso.com')).toMatchObject({
      id: existing.id,
      entraId: grace.id,
      jobTitle: 'Rear Admiral',
      active: true,
    });
  });

  it('2.3 creates an HR user for an unmatched Entra user; one without given name or surname is skipped with a clear reason while the rest goes on', async () => {
    const ok1 = await w.person('Olga', 'Okay');
    const noGiven = await w.person('X', 'Nogiven', { givenName: null });
    const noSurname = await w.person('Sam', 'X', { surname: null });
    const ok2 = await w.person('Otto', 'Okay');
    await w.addSyncedGroup(await w.group('Rule 2.3', [ok1.id, noGiven.id, noSurname.id, ok2.id]));
    const run = await w.sync();
    expect(run.counts).toMatchObject({ created: 2, skipped: 2, failed: 0 });
    for (const p of [ok1, ok2])
      expect(await w.hrUser(p.mail)).toMatchObject({ origin: 'entra', entraId: p.id, active: true });
    for (const p of [noGiven, noSurname]) expect(await w.hrUsersWith(p.mail)).toEqual([]);
    const [skippedGiven] = await w.outcomesOf(run.id, noGiven.mail);
    expect(skippedGiven).toMatchObject({ outcome: 'skipped', entraId: noGiven.id });
    expect(skippedGiven!.reason).toMatch(/no given name.*required \(rule 2\.3\)/);
    const [skippedSurname] = await w.outcomesOf(run.id, noSurname.mail);
    expect(skippedSurname!.reason).toMatch(/no surname.*required \(rule 2\.3\)/);

    // Once Entra has the name, the next run creates the user.
    await w.control.updateUser(noGiven.id, { givenName: 'Xena' });
    const next = await w.sync();
    expect(next.counts).toMatchObject({ created: 1 });
    expect(await w.hrUser(noGiven.mail)).toMatchObject({ firstName: 'Xena', lastName: 'Nogiven' });
  });

  it('a report synced before its manager is linked to the manager by the incremental run that creates the manager', async () => {
    const lead = await w.person('Lena', 'Lead');
    const report = await w.person('Rex', 'Report');
    await w.control.setManager(report.id, lead.id);
    const group = await w.group('Reports first', [report.id]);
    await w.addSyncedGroup(group);
    await w.sync();
    expect(await w.hrUser(report.mail)).toMatchObject({ managerEntraId: lead.id, managerId: null });

    // A membership change only: an incremental run, which resolves managers for what it wrote.
    await w.control.addMember(group, lead.id);
    const run = await w.sync();
    expect(run.mode).toBe('incremental');
    const leadRow = await w.hrUser(lead.mail);
    expect(await w.hrUser(report.mail)).toMatchObject({ managerEntraId: lead.id, managerId: leadRow.id });
  });

  it("2.4 an HR user without an employee profile keeps taking Entra's changes; a connected one takes only its active status", async () => {
    const boss = await w.person('Bea', 'Boss');
    const free = await w.person('Fay', 'Free', {
      jobTitle: 'Clerk',
      department: 'Ops',
      officeLocation: 'A1',
      mobilePhone: '+1 555 0001',
    });
    const owned = await w.person('Ole', 'Owned', { jobTitle: 'Clerk', department: 'Ops', officeLocation: 'A1' });
    const group = await w.group('Rule 2.4', [boss.id, free.id, owned.id]);
    await w.addSyncedGroup(group);
    await w.sync();
    await w.connectProfile(owned.mail, { jobTitle: 'Profile title' });
    const ownedBefore = await w.hrUser(owned.mail);

    const change = {
      givenName: 'Changed',
      surname: 'Name',
      jobTitle: 'Lead',
      department: 'Sales',
      officeLocation: 'B2',
      mobilePhone: '+1 555 0002',
    };
    for (const p of [free, owned]) {
      await w.control.updateUser(p.id, change);
      await w.control.setManager(p.id, boss.id);
    }
    const run = await w.sync();
    const bossRow = await w.hrUser(boss.mail);
    expect(await w.hrUser(free.mail)).toMatchObject({
      firstName: 'Changed',
      lastName: 'Name',
      jobTitle: 'Lead',
      department: 'Sales',
      officeLocation: 'B2',
      mobilePhone: '+1 555 0002',
      managerEntraId: boss.id,
      managerId: bossRow.id,
    });
    const [freeOutcome] = await w.outcomesOf(run.id, free.mail);
    expect(freeOutcome!.changes).toEqual(
      expect.arrayContaining([
        { field: 'jobTitle', old: 'Clerk', new: 'Lead' },
        { field: 'department', old: 'Ops', new: 'Sales' },
        { field: 'managerEntraId', old: null, new: boss.id },
      ]),
    );
    const ownedAfter = await w.hrUser(owned.mail);
    expect(ownedAfter).toEqual({ ...ownedBefore, lastSyncedAt: expect.anything(), updatedAt: expect.anything() });
    expect(await w.outcomesOf(run.id, owned.mail)).toEqual([]);

    // Only the active status follows Entra for the connected user.
    await w.control.disableUser(owned.id);
    await w.sync();
    expect(await w.hrUser(owned.mail)).toMatchObject({
      active: false,
      deactivatedReason: 'disabled-in-entra',
      jobTitle: 'Clerk',
    });
    await w.control.updateUser(owned.id, { accountEnabled: true });
    const back = await w.sync();
    expect(await w.hrUser(owned.mail)).toMatchObject({ active: true, jobTitle: 'Clerk', firstName: 'Ole' });
    expect(await w.outcomesOf(back.id, owned.mail)).toEqual([
      expect.objectContaining({ outcome: 'reactivated', changes: [{ field: 'active', old: false, new: true }] }),
    ]);
  });

  it('2.6 lands the default fields in HR, and a custom mapping of an on-premises extension attribute in a custom field', async () => {
    const manager = await w.person('Mia', 'Manager', { employeeId: 'E-100' });
    const full = await w.person('Fiona', 'Fields', {
      displayName: 'Fiona F. Fields',
      jobTitle: 'Analyst',
      department: 'Finance',
      officeLocation: 'Building 7',
      employeeId: 'E-200',
      employeeHireDate: '2021-03-04T00:00:00Z',
      mobilePhone: '+44 20 7946 0000',
      businessPhones: ['+44 20 7946 0001'],
      city: 'London',
      managerId: manager.id,
      onPremisesExtensionAttributes: { extensionAttribute3: 'CC-4711' },
      employeeType: 'Contractor',
    });
    await w.addSyncedGroup(await w.group('Rule 2.6', [manager.id, full.id]));
    await w.sync();
    const managerRow = await w.hrUser(manager.mail);
    expect(await w.hrUser(full.mail)).toMatchObject({
      entraId: full.id,
      email: full.mail,
      firstName: 'Fiona',
      lastName: 'Fields',
      displayName: 'Fiona F. Fields',
      jobTitle: 'Analyst',
      department: 'Finance',
      officeLocation: 'Building 7',
      employeeNumber: 'E-200',
      hireDate: '2021-03-04',
      mobilePhone: '+44 20 7946 0000',
      businessPhone: '+44 20 7946 0001',
      city: 'London',
      active: true,
      managerEntraId: manager.id,
      managerId: managerRow.id,
      customFields: {},
    });

    await w.settings({
      attributeMapping: [
        { source: 'onPremisesExtensionAttributes.extensionAttribute3', target: 'costCenter' },
        { source: 'employeeType', target: 'contractType' },
      ],
    });
    const run = await w.sync();
    expect(await w.hrUser(full.mail)).toMatchObject({
      customFields: { costCenter: 'CC-4711', contractType: 'Contractor' },
    });
    expect(await w.outcomesOf(run.id, full.mail)).toEqual([
      expect.objectContaining({
        outcome: 'updated',
        changes: expect.arrayContaining([{ field: 'custom.costCenter', old: null, new: 'CC-4711' }]),
      }),
    ]);
    // A later change of the attribute in Entra follows.
    await w.control.updateUser(full.id, { onPremisesExtensionAttributes: { extensionAttribute3: 'CC-0815' } });
    await w.sync();
    expect((await w.hrUser(full.mail)).customFields).toMatchObject({ costCenter: 'CC-0815' });
  });

  it('2.7 automatic sync can be switched off (no recurring run) while sync now still works, and an interval change reschedules', async () => {
    type Status = { autoSync: boolean; interval: string; nextRunAt: string | null };
    const status = () => w.ok<Status>('/api/admin/sync/status');
    const startedAt = Date.now();
    const initial = await status();
    expect(initial).toMatchObject({ autoSync: true, interval: '30 minutes' });
    expect(Date.parse(initial.nextRunAt!) - startedAt).toBeGreaterThan(25 * 60_000);
    expect(Date.parse(initial.nextRunAt!) - startedAt).toBeLessThanOrEqual(30 * 60_000 + 5_000);

    await w.settings({ autoSync: false });
    expect(await status()).toMatchObject({ autoSync: false, nextRunAt: null });
    const solo = await w.person('Sol', 'Now');
    await w.addSyncedGroup(await w.group('Rule 2.7', [solo.id]));
    const run = await w.sync();
    expect(run).toMatchObject({ trigger: 'manual' });
    expect(await w.hrUser(solo.mail)).toMatchObject({ active: true });

    await w.settings({ autoSync: true, syncInterval: '2 hours' });
    const rescheduled = await status();
    expect(rescheduled).toMatchObject({ autoSync: true, interval: '2 hours' });
    expect(Date.parse(rescheduled.nextRunAt!) - Date.now()).toBeGreaterThan(115 * 60_000);
    expect(Date.parse(rescheduled.nextRunAt!) - Date.now()).toBeLessThanOrEqual(120 * 60_000 + 5_000);
  });

  it('2.8 an existing HR user matched by e-mail keeps its HR data on the matching run', async () => {
    await w.ok('/api/admin/roles', 'POST', { name: 'Payroll 2.8' });
    const existing = await w.ok<{ id: string }>('/api/admin/users', 'POST', {
      email: 'kept@contoso.com',
      firstName: 'Katherine',
      lastName: 'Johnson-HR',
      roles: ['Payroll 2.8'],
    });
    const before = await w.hrUser('kept@contoso.com');
    const kept = await w.person('Kate', 'Johnson', {
      mail: 'KEPT@contoso.com',
      jobTitle: 'Mathematician',
      department: 'Flight Research',
      city: 'Hampton',
    });
    await w.addSyncedGroup(await w.group('Rule 2.8', [kept.id]));
    const run = await w.sync();
    const after = await w.hrUser('kept@contoso.com');
    expect(after).toEqual({
      ...before,
      entraId: kept.id,
      lastSyncedAt: expect.anything(),
      updatedAt: expect.anything(),
    });
    expect(after).toMatchObject({
      id: existing.id,
      firstName: 'Katherine',
      lastName: 'Johnson-HR',
      jobTitle: null,
      origin: 'hr',
      roles: ['Payroll 2.8'],
    });
    expect(await w.outcomesOf(run.id, 'kept@contoso.com')).toEqual([
      expect.objectContaining({ outcome: 'updated', changes: [{ field: 'entraId', old: null, new: kept.id }] }),
    ]);
  });
});
