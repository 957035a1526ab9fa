import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { MEGAN, RAY, roleChanges, startRolesWorld, type RolesWorld } from './roles-support.js';

/**
 * Domain rules 5.5, row by row, through the emulator (Entra), the admin API and the sync job.
 * Every row starts from the same base (see startRolesWorld), changes one thing, then a run happens.
 */
describe('role sync: the worked example of domain rules 5.5', () => {
  let w: RolesWorld;
  beforeEach(async () => {
    w = await startRolesWorld();
  });
  afterEach(async () => w.h.close());

  it('a: Ray (employee profile), nothing changed: Employee, HR, Manager', async () => {
    const run = await w.syncNow();
    expect(await w.rolesOf(w.hr.ray)).toEqual(['Employee', 'HR', 'Manager']);
    expect(roleChanges(await w.outcomes(run.id), RAY)).toEqual([]);
  });

  it('a: Ray (employee profile) keeps his roles even when his groups and roles change', async () => {
    await w.h.emulator.control.removeMember(w.groups.hr, w.entra.ray);
    expect((await w.api(`/api/admin/users/${w.hr.ray}/roles`, 'PUT', { roles: ['Manager'] })).status).toBe(200);
    await w.syncNow();
    expect(await w.rolesOf(w.hr.ray)).toEqual(['Manager']);
  });

  it('b: Megan, nothing changed: Employee, HR, Manager', async () => {
    const run = await w.syncNow();
    expect(await w.rolesOf(w.hr.megan)).toEqual(['Employee', 'HR', 'Manager']);
    expect(roleChanges(await w.outcomes(run.id), MEGAN)).toEqual([]);
  });

  it('b: Megan, nothing changed, on the first run after role sync is switched on again: Employee, HR, Manager', async () => {
    expect((await w.api('/api/admin/settings', 'PATCH', { roleSync: false })).status).toBe(200);
    await w.syncNow();
    expect((await w.api('/api/admin/settings', 'PATCH', { roleSync: true })).status).toBe(200);
    const run = await w.syncNow();
    expect(await w.rolesOf(w.hr.megan)).toEqual(['Employee', 'HR', 'Manager']);
    expect(roleChanges(await w.outcomes(run.id), MEGAN)).toEqual([]);
  });

  it('c: Megan is removed from group HR: Employee, HR, Manager (HR is now an ordinary role)', async () => {
    await w.h.emulator.control.removeMember(w.groups.hr, w.entra.megan);
    const run = await w.syncNow();
    expect(await w.rolesOf(w.hr.megan)).toEqual(['Employee', 'HR', 'Manager']);
    expect(roleChanges(await w.outcomes(run.id), MEGAN)).toEqual([]);
    // HR is ordinary now: taking it away in HR is not undone by the next run.
    expect((await w.api(`/api/admin/users/${w.hr.megan}/roles/${w.roles.HR}`, 'DELETE')).status).toBe(200);
    await w.syncNow();
    expect(await w.rolesOf(w.hr.megan)).toEqual(['Employee', 'Manager']);
  });

  it('d: an admin removes roles Employee and HR from Megan in HR: Employee, HR (Manager is removed)', async () => {
    expect((await w.api(`/api/admin/users/${w.hr.megan}/roles/${w.roles.Employee}`, 'DELETE')).status).toBe(200);
    expect((await w.api(`/api/admin/users/${w.hr.megan}/roles/${w.roles.HR}`, 'DELETE')).status).toBe(200);
    expect(await w.rolesOf(w.hr.megan)).toEqual(['Manager']);
    const run = await w.syncNow();
    expect(run.mode).toBe('incremental');
    expect(await w.rolesOf(w.hr.megan)).toEqual(['Employee', 'HR']);
    expect(roleChanges(await w.outcomes(run.id), MEGAN)).toEqual(['+Employee', '+HR', '-Manager']);
  });

  it('e: the mapping of group Employee changes to role "New employee": New employee, HR, Manager', async () => {
    const res = await w.api(`/api/admin/role-mappings/${w.mappings.employee}`, 'PATCH', {
      roleId: w.roles['New employee'],
    });
    expect(res).toMatchObject({ status: 200, body: { groupId: w.groups.employee, roleName: 'New employee' } });
    const run = await w.syncNow();
    expect(await w.rolesOf(w.hr.megan)).toEqual(['HR', 'Manager', 'New employee']);
    expect(roleChanges(await w.outcomes(run.id), MEGAN)).toEqual(['+New employee', '-Employee']);
    expect(await w.rolesOf(w.hr.ray)).toEqual(['Employee', 'HR', 'Manager']);
  });
});
