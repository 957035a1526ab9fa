import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InboundWorld, ZERO, type OutcomeRow } from './inbound-support.js';

/** What a run changes, in a form a preview and the run after it can be compared in. */
function comparable(outcomes: OutcomeRow[]) {
  return outcomes
    .map((o) => ({
      entraId: o.entraId,
      email: o.email,
      outcome: o.outcome,
      reason: o.reason,
      changes: [...o.changes].sort((a, b) => a.field.localeCompare(b.field)),
    }))
    .sort((a, b) => `${a.entraId}${a.outcome}`.localeCompare(`${b.entraId}${b.outcome}`));
}

/** Domain rules, section 8 (what the admin sees), and the runs that must change nothing. */
describe('inbound sync, section 8: runs recorded, export and preview', () => {
  let w: InboundWorld;
  let group: string;
  beforeAll(async () => {
    w = await InboundWorld.start();
  });
  afterAll(async () => w.close());

  it('8.3 exports every HR user and employee profile before the first sync', async () => {
    await w.ok('/api/admin/users', 'POST', { email: 'before.sync@contoso.com', firstName: 'Before', lastName: 'Sync' });
    await w.ok('/api/admin/employee-profiles', 'POST', {
      email: 'profile.before@contoso.com',
      firstName: 'Pro',
      lastName: 'File',
    });
    const csv = await w.h.service.api('/api/admin/export/hr-users?format=csv');
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toMatch(/^id,email,firstName,lastName,/);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[1])
        .sort(),
    ).toEqual(['admin@localhost', 'before.sync@contoso.com']);
    const profiles = (await (
      await w.h.service.api('/api/admin/export/employee-profiles?format=json')
    ).json()) as Array<{ email: string }>;
    expect(profiles.map((p) => p.email)).toEqual(['profile.before@contoso.com']);
    expect((await w.ok<{ items: unknown[] }>('/api/admin/sync/runs')).items).toEqual([]);
  });

  it('8.1 records every run with its trigger, times, counts and, per user, what changed or why not', async () => {
    const alice = await w.person('Alice', 'Recorded', { jobTitle: 'Clerk' });
    const bob = await w.person('Bob', 'Recorded');
    const nameless = await w.person('Nameless', 'X', { givenName: null, surname: null });
    group = await w.group('Rule 8.1', [alice.id, bob.id, nameless.id]);
    await w.addSyncedGroup(group);
    const first = await w.sync();
    const record = await w.run(first.id);
    expect(record).toMatchObject({
      trigger: 'manual',
      mode: 'incremental',
      status: 'succeeded',
      counts: { ...ZERO, created: 2, skipped: 1 },
      error: null,
    });
    expect(Date.parse(record.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(record.startedAt));
    const [created] = await w.outcomesOf(first.id, alice.mail);
    expect(created).toMatchObject({ outcome: 'created', entraId: alice.id, reason: null });
    expect(created!.hrUserId).toBe((await w.hrUser(alice.mail)).id);
    expect(created!.changes).toEqual(
      expect.arrayContaining([
        { field: 'firstName', old: null, new: 'Alice' },
        { field: 'lastName', old: null, new: 'Recorded' },
        { field: 'jobTitle', old: null, new: 'Clerk' },
      ]),
    );
    const [skipped] = await w.outcomesOf(first.id, nameless.mail);
    expect(skipped).toMatchObject({ outcome: 'skipped', entraId: nameless.id, changes: [] });
    expect(skipped!.reason).toMatch(/given name and no surname/);

    await w.control.updateUser(alice.id, { jobTitle: 'Senior clerk' });
    await w.control.removeMember(group, bob.id);
    const second = await w.sync();
    expect(second.counts).toEqual({ ...ZERO, updated: 1, deactivated: 1 });
    expect(await w.outcomesOf(second.id, alice.mail)).toEqual([
      expect.objectContaining({
        outcome: 'updated',
        changes: [{ field: 'jobTitle', old: 'Clerk', new: 'Senior clerk' }],
      }),
    ]);
    expect(await w.outcomesOf(second.id, bob.mail)).toEqual([
      expect.objectContaining({
        outcome: 'deactivated',
        reason: 'left-synced-groups',
        changes: [{ field: 'active', old: true, new: false }],
      }),
    ]);
    // Counts are the outcomes, counted.
    const outcomes = await w.outcomes(second.id);
    for (const [kind, count] of Object.entries(second.counts))
      expect(outcomes.filter((o) => o.outcome === kind)).toHaveLength(count);

    // "Sync this user now" is a run of its own in the history.
    await w.control.updateUser(alice.id, { department: 'Records' });
    const one = await w.ok<{ run: { id: string; trigger: string; status: string }; outcomes: OutcomeRow[] }>(
      `/api/admin/sync/users/${alice.id}`,
      'POST',
    );
    expect(one.run).toMatchObject({ trigger: 'user', status: 'succeeded' });
    expect(one.outcomes).toEqual([
      expect.objectContaining({ outcome: 'updated', changes: [{ field: 'department', old: null, new: 'Records' }] }),
    ]);
    const history = (await w.ok<{ items: Array<{ id: string; trigger: string }> }>('/api/admin/sync/runs')).items;
    expect(history.map((r) => r.id)).toEqual([one.run.id, second.id, first.id]);
  });

  it('a second run with no change writes nothing and reports no change, incremental or full', async () => {
    await w.sync();
    const before = await w.hrUsers();
    const run = await w.sync();
    expect(run.counts).toEqual(ZERO);
    expect(await w.outcomes(run.id)).toEqual([]);
    // A full run looks at every user again: it changes nothing either, and only repeats why the
    // user without a name still cannot be created.
    const full = await w.sync('succeeded', 'full');
    expect(full.counts).toEqual({ ...ZERO, skipped: 1 });
    expect((await w.outcomes(full.id)).map((o) => [o.outcome, o.email?.split('.')[0]])).toEqual([
      ['skipped', 'nameless'],
    ]);
    expect(await w.hrUsers()).toEqual(before);
  });

  it('8.3 preview reports exactly what the next run then does, and changes nothing', async () => {
    const stayer = await w.person('Sue', 'Leaver');
    await w.control.addMember(group, stayer.id);
    await w.sync();

    const existing = await w.ok<{ id: string }>('/api/admin/users', 'POST', {
      email: 'matched.preview@contoso.com',
      firstName: 'Mat',
      lastName: 'Ched',
    });
    const matched = await w.person('Mat', 'Ched', { mail: 'Matched.Preview@contoso.com' });
    const fresh = await w.person('Fresh', 'Preview');
    const nameless = await w.person('Nope', 'X', { surname: null });
    const users = await w.hrUsers();
    const alice = users.find((u) => u.email.startsWith('alice.'))!;
    const bob = users.find((u) => u.email.startsWith('bob.'))!;
    for (const id of [matched.id, fresh.id, nameless.id, bob.entraId!]) await w.control.addMember(group, id);
    await w.control.updateUser(alice.entraId!, { jobTitle: 'Chief clerk', officeLocation: 'Room 8' });
    await w.control.removeMember(group, stayer.id);

    const before = await w.hrUsers();
    const preview = await w.ok<{ run: { status: string; counts: Record<string, number> }; outcomes: OutcomeRow[] }>(
      '/api/admin/sync/preview',
      'POST',
      {},
    );
    expect(preview.run).toMatchObject({
      status: 'preview',
      counts: { ...ZERO, created: 1, updated: 2, reactivated: 1, deactivated: 1, skipped: 1 },
    });
    expect(await w.hrUsers()).toEqual(before);

    const run = await w.sync();
    expect(run.counts).toEqual(preview.run.counts);
    expect(comparable(await w.outcomes(run.id))).toEqual(comparable(preview.outcomes));
    expect(await w.hrUser(matched.mail)).toMatchObject({ id: existing.id, entraId: matched.id });
    expect(await w.hrUser(fresh.mail)).toMatchObject({ active: true });
    expect(await w.hrUser(stayer.mail)).toMatchObject({ active: false });
    expect(await w.hrUser(bob.email)).toMatchObject({ active: true });
  });
});
