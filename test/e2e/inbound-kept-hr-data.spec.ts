import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InboundWorld } from './inbound-support.js';

/**
 * Rule 2.8 across runs: an existing HR user matched by e-mail keeps its HR values, not for one
 * run but until Entra changes the field (and then only if the field's owner lets Entra write it).
 */
describe('inbound sync, rule 2.8: kept HR data survives later runs', () => {
  let w: InboundWorld;
  beforeAll(async () => {
    w = await InboundWorld.start();
  });
  afterAll(async () => w.close());

  it('keeps "Kasey" through an unrelated run, a settings re-apply, a full run, a one-user sync and a reactivation; takes Entra\'s name once Entra changes it', async () => {
    const hr = await w.ok<{ id: string }>('/api/admin/users', 'POST', {
      email: 'kasey.kept@contoso.com',
      firstName: 'Kasey',
      lastName: 'Jones',
    });
    const casey = await w.person('Casey', 'Jones', {
      mail: 'Kasey.Kept@contoso.com',
      jobTitle: 'Senior Analyst',
      department: 'Finance',
    });
    const other = await w.person('Otto', 'Other');
    const group = await w.group('Rule 2.8 kept', [casey.id, other.id]);
    await w.addSyncedGroup(group);
    const kept = {
      id: hr.id,
      entraId: casey.id,
      firstName: 'Kasey',
      lastName: 'Jones',
      jobTitle: null,
      department: null,
      origin: 'hr',
    };

    await w.sync();
    expect(await w.hrUser('kasey.kept@contoso.com')).toMatchObject({ ...kept, active: true });
    const detail = await w.ok<{ fields: Record<string, { value: string | null; keptOnMatch: boolean }> }>(
      `/api/admin/users/${hr.id}`,
    );
    expect(detail.fields).toMatchObject({
      firstName: { value: 'Kasey', keptOnMatch: true },
      lastName: { value: 'Jones', keptOnMatch: false },
      jobTitle: { value: null, keptOnMatch: true },
    });

    // Another user merely leaves the group: the run must not rewrite Kasey.
    await w.control.removeMember(group, other.id);
    const unrelated = await w.sync();
    expect(unrelated.counts).toMatchObject({ deactivated: 1, updated: 0 });
    expect(await w.hrUser('kasey.kept@contoso.com')).toMatchObject(kept);

    // A settings change that applies every mirrored user again.
    await w.settings({ followNestedGroups: false });
    const reapplied = await w.sync();
    expect(await w.outcomesOf(reapplied.id, 'kasey.kept@contoso.com')).toEqual([]);
    expect(await w.hrUser('kasey.kept@contoso.com')).toMatchObject(kept);
    await w.settings({ followNestedGroups: true });
    await w.sync();

    // A full reconciliation, and "sync this user now".
    await w.sync('succeeded', 'full');
    expect(await w.hrUser('kasey.kept@contoso.com')).toMatchObject(kept);
    await w.ok(`/api/admin/sync/users/${casey.id}`, 'POST');
    expect(await w.hrUser('kasey.kept@contoso.com')).toMatchObject(kept);

    // Disabled, then enabled again in Entra: deactivated and reactivated, HR values untouched.
    await w.control.disableUser(casey.id);
    await w.sync();
    expect(await w.hrUser('kasey.kept@contoso.com')).toMatchObject({ ...kept, active: false });
    await w.control.updateUser(casey.id, { accountEnabled: true });
    const back = await w.sync();
    expect(await w.outcomesOf(back.id, 'kasey.kept@contoso.com')).toEqual([
      expect.objectContaining({ outcome: 'reactivated', changes: [{ field: 'active', old: false, new: true }] }),
    ]);
    expect(await w.hrUser('kasey.kept@contoso.com')).toMatchObject({ ...kept, active: true });

    // Entra now changes the given name: the field is Entra's again (no employee profile, default owner).
    await w.control.updateUser(casey.id, { givenName: 'Kacey' });
    const changed = await w.sync();
    expect(await w.outcomesOf(changed.id, 'kasey.kept@contoso.com')).toEqual([
      expect.objectContaining({ outcome: 'updated', changes: [{ field: 'firstName', old: 'Kasey', new: 'Kacey' }] }),
    ]);
    expect(await w.hrUser('kasey.kept@contoso.com')).toMatchObject({ ...kept, firstName: 'Kacey' });
    expect(
      (await w.ok<{ fields: Record<string, { keptOnMatch: boolean }> }>(`/api/admin/users/${hr.id}`)).fields,
    ).toMatchObject({ firstName: { keptOnMatch: false }, jobTitle: { keptOnMatch: true } });
    // ...and follows Entra from then on, while the other kept fields stay kept.
    await w.control.updateUser(casey.id, { givenName: 'Kay' });
    await w.sync('succeeded', 'full');
    expect(await w.hrUser('kasey.kept@contoso.com')).toMatchObject({
      ...kept,
      firstName: 'Kay',
      jobTitle: null,
      department: null,
    });
  });

  it('an Entra change of a kept field is not taken while the owner setting forbids it; once Entra owns the field again, its current value is taken', async () => {
    await w.ok('/api/admin/users', 'POST', {
      email: 'hr.owned@contoso.com',
      firstName: 'Dana',
      lastName: 'Owned-Smith',
    });
    const entra = await w.person('Dana', 'Owned', { mail: 'hr.owned@contoso.com' });
    await w.addSyncedGroup(await w.group('Rule 2.8 owners', [entra.id]));
    await w.sync();
    await w.settings({ fieldOwners: { lastName: 'hr' } });
    await w.sync();
    expect(await w.hrUser('hr.owned@contoso.com')).toMatchObject({ lastName: 'Owned-Smith' });
    await w.control.updateUser(entra.id, { surname: 'Smith' });
    await w.sync();
    expect(await w.hrUser('hr.owned@contoso.com')).toMatchObject({ lastName: 'Owned-Smith' });

    // Entra changed the field while HR owned it, so HR's kept value is no longer protected by rule
    // 2.8: once the field follows Entra again, the settings re-apply gives it Entra's value.
    await w.settings({ fieldOwners: {} });
    await w.sync();
    expect(await w.hrUser('hr.owned@contoso.com')).toMatchObject({ lastName: 'Smith', firstName: 'Dana' });
  });
});
