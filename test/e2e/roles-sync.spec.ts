import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { MEGAN, roleChanges, startRolesWorld, type OutcomeView, type RolesWorld } from './roles-support.js';

/** Role sync through the sync job (domain rules 5.1-5.4), from the base of the 5.5 example. */
describe('role sync', () => {
  let w: RolesWorld;
  beforeEach(async () => {
    w = await startRolesWorld();
  });
  afterEach(async () => w.h.close());

  const newMappedGroup = async (name: string) => {
    const role = await w.api<{ id: string }>('/api/admin/roles', 'POST', { name });
    const group = await w.h.emulator.control.createGroup({ displayName: name });
    expect((await w.api('/api/admin/role-mappings', 'POST', { groupId: group.id, roleId: role.body.id })).status).toBe(
      201,
    );
    return { groupId: group.id, roleId: role.body.id };
  };

  it('a new membership adds its role, shown first in the preview and then in the run', async () => {
    const finance = await newMappedGroup('Finance');
    await w.h.emulator.control.addMember(finance.groupId, w.entra.megan);

    const preview = await w.api<{ run: { status: string }; outcomes: OutcomeView[] }>(
      '/api/admin/sync/preview',
      'POST',
      {},
    );
    expect(preview.status).toBe(200);
    expect(preview.body.run.status).toBe('preview');
    expect(roleChanges(preview.body.outcomes, MEGAN)).toEqual(['+Finance']);
    expect(await w.rolesOf(w.hr.megan)).toEqual(['Employee', 'HR', 'Manager']);

    const run = await w.syncNow();
    expect(await w.rolesOf(w.hr.megan)).toEqual(['Employee', 'Finance', 'HR', 'Manager']);
    const outcome = (await w.outcomes(run.id)).find((o) => o.email === MEGAN)!;
    expect(outcome).toMatchObject({ outcome: 'updated', changes: [{ field: 'roles', old: null, new: 'Finance' }] });
    const [grant] = await w.sql<{ granted_by: string }>(
      'select granted_by from user_role where hr_user_id = ? and role_id = ?',
      [w.hr.megan, finance.roleId],
    );
    expect(grant!.granted_by).toBe('sync');
  });

  it('a new member of a mapped group is created with its role', async () => {
    const nina = await w.h.emulator.control.createUser({
      displayName: 'Nina',
      givenName: 'Nina',
      surname: 'Lee',
      mail: 'nina@contoso.com',
      userPrincipalName: 'nina@contoso.com',
      accountEnabled: true,
    });
    await w.h.emulator.control.addMember(w.groups.hr, nina.id);
    const run = await w.syncNow();
    expect(roleChanges(await w.outcomes(run.id), 'nina@contoso.com')).toEqual(['+HR']);
  });

  it('with role sync off, no role changes whatever changes in Entra, in the mapping or in HR', async () => {
    expect((await w.api('/api/admin/settings', 'PATCH', { roleSync: false })).status).toBe(200);
    const finance = await newMappedGroup('Finance');
    await w.h.emulator.control.addMember(finance.groupId, w.entra.megan);
    await w.api(`/api/admin/role-mappings/${w.mappings.employee}`, 'PATCH', { roleId: w.roles['New employee'] });
    expect((await w.api(`/api/admin/users/${w.hr.megan}/roles`, 'PUT', { roles: ['Manager'] })).status).toBe(200);
    const run = await w.syncNow();
    expect(run.mode).toBe('incremental');
    expect(await w.rolesOf(w.hr.megan)).toEqual(['Manager']);
    expect(await w.rolesOf(w.hr.ray)).toEqual(['Employee', 'HR', 'Manager']);
    expect((await w.outcomes(run.id)).flatMap((o) => o.changes).filter((c) => c.field === 'roles')).toEqual([]);
  });

  it('the first run after role sync is switched on again only adds: a role removed while it was off comes back, nothing is taken', async () => {
    expect((await w.api('/api/admin/settings', 'PATCH', { roleSync: false })).status).toBe(200);
    await w.syncNow();
    expect((await w.api(`/api/admin/users/${w.hr.megan}/roles/${w.roles.HR}`, 'DELETE')).status).toBe(200);
    await w.syncNow();
    expect(await w.rolesOf(w.hr.megan)).toEqual(['Employee', 'Manager']);
    expect((await w.api('/api/admin/settings', 'PATCH', { roleSync: true })).status).toBe(200);
    const run = await w.syncNow();
    expect(await w.rolesOf(w.hr.megan)).toEqual(['Employee', 'HR', 'Manager']);
    expect(roleChanges(await w.outcomes(run.id), MEGAN)).toEqual(['+HR']);
  });

  it('mapping a group to the protected Administrator role is refused with 400 and changes nothing', async () => {
    const auditBefore = await w.auditActions();
    const mappingsBefore = (await w.api('/api/admin/role-mappings')).body;
    const create = await w.api<{ detail: string }>('/api/admin/role-mappings', 'POST', {
      groupId: w.groups.employee,
      roleId: w.roles.Administrator,
    });
    expect(create.status).toBe(400);
    expect(create.body.detail).toMatch(/protected \(administrator\) role.*rule 5\.3/);
    const change = await w.api<{ detail: string }>(`/api/admin/role-mappings/${w.mappings.hr}`, 'PATCH', {
      roleId: w.roles.Administrator,
    });
    expect(change.status).toBe(400);
    expect(change.body.detail).toMatch(/Group "HR" cannot be mapped to role "Administrator"/);
    expect((await w.api('/api/admin/role-mappings')).body).toEqual(mappingsBefore);
    expect(await w.auditActions()).toEqual(auditBefore);
    const run = await w.syncNow();
    expect(await w.outcomes(run.id)).toEqual([]);
    expect(await w.rolesOf(w.hr.megan)).toEqual(['Employee', 'HR', 'Manager']);
  });

  it('a group removed from the integration leaves its role as an ordinary role', async () => {
    const res = await w.api(`/api/admin/role-mappings/${w.mappings.hr}`, 'DELETE');
    expect(res.status).toBe(204);
    expect((await w.auditActions()).at(-1)).toBe('role-mapping.delete');
    const run = await w.syncNow();
    expect(await w.rolesOf(w.hr.megan)).toEqual(['Employee', 'HR', 'Manager']);
    expect(roleChanges(await w.outcomes(run.id), MEGAN)).toEqual([]);
    // Ordinary now: HR may take it away and no run gives it back, nor resets the other roles.
    expect((await w.api(`/api/admin/users/${w.hr.megan}/roles/${w.roles.HR}`, 'DELETE')).status).toBe(200);
    await w.syncNow();
    expect(await w.rolesOf(w.hr.megan)).toEqual(['Employee', 'Manager']);
  });
});
