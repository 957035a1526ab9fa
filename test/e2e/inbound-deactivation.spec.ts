import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { calendarToday } from '../../src/application/employee-profiles.service.js';
import { employmentLifecycleJob } from '../../src/jobs/employment-lifecycle.job.js';
import { InboundWorld } from './inbound-support.js';

const dayFrom = (days: number) => calendarToday(new Date(Date.now() + days * 86_400_000));

/** Domain rules, section 3 (deactivation and reactivation), end to end. */
describe('inbound sync, section 3: deactivation and reactivation', () => {
  let w: InboundWorld;
  beforeAll(async () => {
    w = await InboundWorld.start();
  });
  afterAll(async () => w.close());

  it('3.1 deactivates, never deletes, an HR user whose Entra user leaves every synced group, is deleted or is disabled; 3.2 reactivates each when back', async () => {
    const stays = await w.person('Stella', 'Stays');
    const leaves = await w.person('Leo', 'Leaves');
    const deleted = await w.person('Del', 'Deleted');
    const disabled = await w.person('Dis', 'Abled');
    const twoGroups = await w.person('Tom', 'Two');
    const group = await w.group('Rule 3.1 A', [stays.id, leaves.id, deleted.id, disabled.id, twoGroups.id]);
    const other = await w.group('Rule 3.1 B', [twoGroups.id]);
    await w.addSyncedGroup(group);
    await w.addSyncedGroup(other);
    await w.sync();

    await w.control.removeMember(group, leaves.id);
    await w.control.removeMember(group, twoGroups.id);
    await w.control.deleteUser(deleted.id);
    await w.control.disableUser(disabled.id);
    const run = await w.sync();
    expect(run.counts).toMatchObject({ deactivated: 3, created: 0, failed: 0 });
    const expected: Array<[typeof leaves, string]> = [
      [leaves, 'left-synced-groups'],
      [deleted, 'deleted-in-entra'],
      [disabled, 'disabled-in-entra'],
    ];
    for (const [p, reason] of expected) {
      expect(await w.hrUser(p.mail)).toMatchObject({ active: false, deactivatedReason: reason, entraId: p.id });
      expect(await w.outcomesOf(run.id, p.mail)).toEqual([
        expect.objectContaining({
          outcome: 'deactivated',
          reason,
          changes: [{ field: 'active', old: true, new: false }],
        }),
      ]);
    }
    for (const p of [stays, twoGroups]) expect(await w.hrUser(p.mail)).toMatchObject({ active: true });

    await w.control.addMember(group, leaves.id);
    await w.control.restoreUser(deleted.id);
    await w.control.updateUser(disabled.id, { accountEnabled: true });
    const back = await w.sync();
    expect(back.counts).toMatchObject({ reactivated: 3, created: 0, deactivated: 0 });
    for (const [p] of expected) {
      expect(await w.hrUser(p.mail)).toMatchObject({ active: true, deactivatedReason: null, entraId: p.id });
      expect(await w.outcomesOf(back.id, p.mail)).toEqual([
        expect.objectContaining({ outcome: 'reactivated', reason: 'back-in-synced-group' }),
      ]);
    }
  });

  it('3.1 deactivates an HR user whose Entra user is deleted for good (seen missing by a full run)', async () => {
    const gone = await w.person('Hard', 'Deleted');
    await w.addSyncedGroup(await w.group('Rule 3.1 hard', [gone.id]));
    await w.sync();
    await w.control.deleteUser(gone.id, { hard: true });
    await w.sync();
    expect(await w.hrUser(gone.mail)).toMatchObject({ active: false, deactivatedReason: 'deleted-in-entra' });
  });

  it('3.2 reactivates at the next run a user deactivated by hand in HR while still in a synced group', async () => {
    const hand = await w.person('Hank', 'Hand');
    await w.addSyncedGroup(await w.group('Rule 3.2', [hand.id]));
    await w.sync();
    const row = await w.hrUser(hand.mail);
    expect((await w.api(`/api/admin/users/${row.id}/deactivate`, 'POST')).status).toBe(200);
    expect(await w.hrUser(hand.mail)).toMatchObject({ active: false, deactivatedReason: 'deactivated-in-hr' });
    const run = await w.sync();
    expect(await w.hrUser(hand.mail)).toMatchObject({ active: true, deactivatedReason: null });
    expect(await w.outcomesOf(run.id, hand.mail)).toEqual([
      expect.objectContaining({ outcome: 'reactivated', reason: 'back-in-synced-group' }),
    ]);
  });

  it("3.3 leaves never-synced HR users alone by default; with the 'deactivate' policy deactivates them, administrators excepted", async () => {
    const external = await w.ok<{ id: string }>('/api/admin/users', 'POST', {
      email: 'external.3.3@partner.example',
      firstName: 'Ex',
      lastName: 'Ternal',
    });
    const synced = await w.person('Sy', 'Nced');
    await w.addSyncedGroup(await w.group('Rule 3.3', [synced.id]));
    await w.sync();
    await w.sync('succeeded', 'full');
    expect(await w.hrUser('external.3.3@partner.example')).toMatchObject({ id: external.id, active: true });

    await w.settings({ neverSyncedPolicy: 'deactivate' });
    const run = await w.sync();
    expect(await w.hrUser('external.3.3@partner.example')).toMatchObject({
      active: false,
      deactivatedReason: 'not-in-synced-group',
    });
    expect(await w.outcomesOf(run.id, 'external.3.3@partner.example')).toEqual([
      expect.objectContaining({ outcome: 'deactivated', reason: 'not-in-synced-group' }),
    ]);
    expect(await w.hrUser('admin@localhost')).toMatchObject({ active: true, roles: ['Administrator'] });
    expect(await w.hrUser(synced.mail)).toMatchObject({ active: true });
    await w.settings({ neverSyncedPolicy: 'leave-alone' });
  });

  it('3.4 removing a synced group deactivates its members that are in no other synced group', async () => {
    const onlyA = await w.person('Ada', 'OnlyA');
    const both = await w.person('Bo', 'Both');
    const onlyB = await w.person('Bea', 'OnlyB');
    const a = await w.group('Rule 3.4 A', [onlyA.id, both.id]);
    const b = await w.group('Rule 3.4 B', [both.id, onlyB.id]);
    await w.addSyncedGroup(a);
    await w.addSyncedGroup(b);
    await w.sync();
    await w.setSyncedGroups((await w.syncedGroups()).filter((id) => id !== a));
    const run = await w.sync();
    expect(await w.hrUser(onlyA.mail)).toMatchObject({ active: false, deactivatedReason: 'left-synced-groups' });
    for (const p of [both, onlyB]) expect(await w.hrUser(p.mail)).toMatchObject({ active: true });
    expect((await w.outcomes(run.id)).filter((o) => o.outcome === 'deactivated').map((o) => o.email)).toEqual([
      onlyA.mail,
    ]);
  });

  it('3.5 an employee leaves through a resignation date: pending before it, archived from it with the HR user deactivated, whatever Entra says', async () => {
    const leaver = await w.person('Rhea', 'Resigns');
    const disabled = await w.person('Ian', 'Inactive');
    const group = await w.group('Rule 3.5', [leaver.id, disabled.id]);
    await w.addSyncedGroup(group);
    await w.sync();
    const profile = await w.connectProfile(leaver.mail);
    const otherProfile = await w.connectProfile(disabled.mail);

    const pending = await w.ok<{ employmentStatus: string; hrUser: { active: boolean } }>(
      `/api/admin/employee-profiles/${profile}/resignation`,
      'PUT',
      { date: dayFrom(3) },
    );
    expect(pending).toMatchObject({ employmentStatus: 'pending', hrUser: { active: true } });
    // The daily lifecycle job, on a day before the date, then on the date.
    const lifecycle = (today: string) =>
      employmentLifecycleJob(
        () => w.h.service.orm.em.fork(),
        () => today,
      )({}, { jobId: 'e2e', signal: new AbortController().signal });
    await lifecycle(dayFrom(2));
    expect(await w.ok(`/api/admin/employee-profiles/${profile}`)).toMatchObject({
      employmentStatus: 'pending',
      hrUser: { active: true },
    });
    await lifecycle(dayFrom(3));
    expect(await w.ok(`/api/admin/employee-profiles/${profile}`)).toMatchObject({
      employmentStatus: 'archived',
      hrUser: { active: false, deactivatedReason: 'employee-archived' },
    });

    // Still in the synced group and changed in Entra: the account stays deactivated.
    await w.control.updateUser(leaver.id, { jobTitle: 'Still here' });
    await w.sync();
    await w.sync('succeeded', 'full');
    expect(await w.hrUser(leaver.mail)).toMatchObject({ active: false, deactivatedReason: 'employee-archived' });

    // The account follows Entra, the employment does not.
    await w.control.disableUser(disabled.id);
    await w.sync();
    expect(await w.ok(`/api/admin/employee-profiles/${otherProfile}`)).toMatchObject({
      employmentStatus: 'active',
      hrUser: { active: false, deactivatedReason: 'disabled-in-entra' },
    });
  });

  it('3.5 a resignation date already past archives at once and deactivates the HR user', async () => {
    const past = await w.person('Paula', 'Past');
    await w.addSyncedGroup(await w.group('Rule 3.5 past', [past.id]));
    await w.sync();
    const profile = await w.connectProfile(past.mail);
    const archived = await w.ok(`/api/admin/employee-profiles/${profile}/resignation`, 'PUT', { date: dayFrom(-1) });
    expect(archived).toMatchObject({
      employmentStatus: 'archived',
      hrUser: { active: false, deactivatedReason: 'employee-archived' },
    });
    await w.sync('succeeded', 'full');
    expect(await w.hrUser(past.mail)).toMatchObject({ active: false });
  });
});

describe('inbound sync, section 3.6: the mass-deactivation guard', () => {
  let w: InboundWorld;
  beforeAll(async () => {
    w = await InboundWorld.start({ guardThreshold: 0.1 });
  });
  afterAll(async () => w.close());

  it('3.6 holds a run that would deactivate half the users, records it as held, and confirm and discard work', async () => {
    const people = [];
    for (const name of ['Ann', 'Ben', 'Cat', 'Dan', 'Eve', 'Fin']) people.push(await w.person(name, 'Guarded'));
    const group = await w.group(
      'Rule 3.6',
      people.map((p) => p.id),
    );
    await w.addSyncedGroup(group);
    await w.sync();
    const leaving = people.slice(0, 3);
    for (const p of leaving) await w.control.removeMember(group, p.id);

    const held = await w.sync('held');
    const record = await w.run(held.id);
    expect(record).toMatchObject({ status: 'held', pendingDeactivations: 3, counts: { deactivated: 0 } });
    expect(record.error).toMatch(/deactivate 3 of \d+ active users.*rule 3\.6/);
    const view = await w.ok<{ pending: Array<{ email: string; reason: string }> }>(`/api/admin/sync/runs/${held.id}`);
    expect(view.pending.map((p) => p.email).sort()).toEqual(leaving.map((p) => p.mail).sort());
    expect(
      (await w.ok<{ items: Array<{ id: string }> }>('/api/admin/sync/runs?status=held')).items.map((r) => r.id),
    ).toEqual([held.id]);
    for (const p of people) expect(await w.hrUser(p.mail)).toMatchObject({ active: true });

    const discarded = await w.ok(`/api/admin/sync/runs/${held.id}/discard`, 'POST');
    expect(discarded).toMatchObject({ status: 'discarded', pendingDeactivations: 0 });
    for (const p of people) expect(await w.hrUser(p.mail)).toMatchObject({ active: true });
    expect((await w.api(`/api/admin/sync/runs/${held.id}/confirm`, 'POST')).status).toBe(409);

    // The next full run sees the same departures and holds again; this time the admin confirms.
    const again = await w.sync('held', 'full');
    const confirmed = await w.ok(`/api/admin/sync/runs/${again.id}/confirm`, 'POST');
    expect(confirmed).toMatchObject({ status: 'confirmed', pendingDeactivations: 0, counts: { deactivated: 3 } });
    for (const p of leaving)
      expect(await w.hrUser(p.mail)).toMatchObject({ active: false, deactivatedReason: 'left-synced-groups' });
    for (const p of people.slice(3)) expect(await w.hrUser(p.mail)).toMatchObject({ active: true });
    expect(
      (await w.outcomes(again.id))
        .filter((o) => o.outcome === 'deactivated')
        .map((o) => o.email)
        .sort(),
    ).toEqual(leaving.map((p) => p.mail).sort());

    // One departure is ordinary and never held.
    await w.control.removeMember(group, people[3]!.id);
    const single = await w.sync();
    expect(single.counts).toMatchObject({ deactivated: 1 });
  });
});
