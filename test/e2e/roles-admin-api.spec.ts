import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startRolesWorld, type RolesWorld } from './roles-support.js';

interface RoleView {
  id: string;
  name: string;
  protected: boolean;
  holders: number;
  mappedGroups: Array<{ mappingId: string; groupId: string; groupDisplayName: string }>;
}

interface AuditRow {
  actor_id: string | null;
  action: string;
  target: string;
  old_value: unknown;
  new_value: unknown;
}

/** The roles admin API: validation, refusals that change nothing, one audit row per change. */
describe('roles admin API', () => {
  let w: RolesWorld;
  beforeAll(async () => {
    w = await startRolesWorld();
  });
  afterAll(async () => w.h.close());

  const lastAudit = async () =>
    (
      await w.sql<AuditRow>(
        'select actor_id, action, target, old_value, new_value from audit_log order by id desc limit 1',
      )
    )[0]!;
  const auditCount = async () => (await w.auditActions()).length;
  const roles = async () => (await w.api<{ items: RoleView[] }>('/api/admin/roles')).body.items;

  it('lists roles with holders and mapped groups', async () => {
    const byName = Object.fromEntries((await roles()).map((r) => [r.name, r]));
    expect(byName.Administrator).toMatchObject({ protected: true, holders: 1, mappedGroups: [] });
    expect(byName.Employee).toMatchObject({
      protected: false,
      holders: 2,
      mappedGroups: [{ mappingId: w.mappings.employee, groupId: w.groups.employee, groupDisplayName: 'Employee' }],
    });
    expect(byName.Manager).toMatchObject({ holders: 2, mappedGroups: [] });
  });

  it('creates a role, refusing a name taken case-insensitively with 409', async () => {
    const created = await w.api<RoleView>('/api/admin/roles', 'POST', { name: '  Auditor ' });
    expect(created).toMatchObject({
      status: 201,
      body: { name: 'Auditor', protected: false, holders: 0, mappedGroups: [] },
    });
    expect(await lastAudit()).toMatchObject({
      action: 'role.create',
      target: `role:${created.body.id}`,
      old_value: null,
      new_value: { name: 'Auditor' },
    });
    const before = await auditCount();
    expect((await w.api('/api/admin/roles', 'POST', { name: 'auditor' })).status).toBe(409);
    expect((await w.api('/api/admin/roles', 'POST', { name: '' })).status).toBe(400);
    expect(await auditCount()).toBe(before);
    expect((await roles()).filter((r) => r.name.toLowerCase() === 'auditor')).toHaveLength(1);
  });

  it.each([
    ['a Cyrillic A', '\u0410dministrator'],
    ['a soft hyphen', 'Admin\u00adistrator'],
    [
      'another case and full-width letters',
      '\uff41\uff44\uff4d\uff49\uff4e\uff49\uff53\uff54\uff52\uff41\uff54\uff4f\uff52',
    ],
    ['a zero-width space', 'Admini\u200bstrator'],
  ])(
    'refuses a role name that passes for the protected Administrator (%s), on create and on rename',
    async (_what, name) => {
      const before = await auditCount();
      const created = await w.api<{ detail: string }>('/api/admin/roles', 'POST', { name });
      expect(created.status).toBe(409);
      expect(created.body.detail).toMatch(/reads the same as the protected role "Administrator"/);
      expect((await w.api(`/api/admin/roles/${w.roles.Employee}`, 'PATCH', { name })).status).toBe(409);
      expect(await auditCount()).toBe(before);
      expect((await roles()).map((r) => r.name)).not.toContain(name);
      expect((await roles()).find((r) => r.id === w.roles.Employee)?.name).toBe('Employee');
    },
  );

  it('renames a role, keeping its mappings; refuses a taken name, a protected role and an unknown id', async () => {
    const renamed = await w.api<RoleView>(`/api/admin/roles/${w.roles.Manager}`, 'PATCH', { name: 'Team lead' });
    expect(renamed).toMatchObject({ status: 200, body: { id: w.roles.Manager, name: 'Team lead', holders: 2 } });
    expect(await lastAudit()).toMatchObject({
      action: 'role.rename',
      old_value: { name: 'Manager' },
      new_value: { name: 'Team lead' },
    });
    const hrRenamed = await w.api<RoleView>(`/api/admin/roles/${w.roles.HR}`, 'PATCH', { name: 'People' });
    expect(hrRenamed.body.mappedGroups).toEqual([
      { mappingId: w.mappings.hr, groupId: w.groups.hr, groupDisplayName: 'HR' },
    ]);

    const before = await auditCount();
    expect((await w.api(`/api/admin/roles/${w.roles.Manager}`, 'PATCH', { name: 'EMPLOYEE' })).status).toBe(409);
    const admin = await w.api<{ detail: string }>(`/api/admin/roles/${w.roles.Administrator}`, 'PATCH', {
      name: 'Admins',
    });
    expect(admin.status).toBe(400);
    expect(admin.body.detail).toMatch(/protected/);
    expect((await w.api(`/api/admin/roles/${randomUUID()}`, 'PATCH', { name: 'Ghost' })).status).toBe(404);
    expect(await auditCount()).toBe(before);

    // Changing only the case of its own name is allowed.
    expect(
      (await w.api<RoleView>(`/api/admin/roles/${w.roles.Manager}`, 'PATCH', { name: 'Team Lead' })).body.name,
    ).toBe('Team Lead');
    await w.api(`/api/admin/roles/${w.roles.Manager}`, 'PATCH', { name: 'Manager' });
    await w.api(`/api/admin/roles/${w.roles.HR}`, 'PATCH', { name: 'HR' });
  });

  it('maps a group of the tenant to a role; refuses unknown groups and roles, duplicates and bad ids with 400', async () => {
    const sales = await w.h.emulator.control.createGroup({ displayName: 'Sales' });
    const before = await auditCount();
    const expect400 = async (json: unknown, pattern: RegExp) => {
      const res = await w.api<{ detail: string }>('/api/admin/role-mappings', 'POST', json);
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(pattern);
    };
    await expect400({ groupId: randomUUID(), roleId: w.roles.Manager }, /Not a group of the tenant/);
    await expect400({ groupId: w.entra.megan, roleId: w.roles.Manager }, /Not a group of the tenant/);
    await expect400({ groupId: sales.id, roleId: randomUUID() }, /No role with id/);
    await expect400({ groupId: w.groups.employee, roleId: w.roles.Employee }, /already mapped/);
    await expect400({ groupId: 'sales', roleId: w.roles.Manager }, /body\.groupId/);
    expect(await auditCount()).toBe(before);

    const created = await w.api<{ id: string; groupDisplayName: string; roleName: string }>(
      '/api/admin/role-mappings',
      'POST',
      { groupId: sales.id.toUpperCase(), roleId: w.roles.Manager },
    );
    expect(created).toMatchObject({
      status: 201,
      body: { groupId: sales.id.toLowerCase(), groupDisplayName: 'Sales', roleName: 'Manager' },
    });
    expect(await lastAudit()).toMatchObject({
      action: 'role-mapping.create',
      target: `role-mapping:${created.body.id}`,
      old_value: null,
      new_value: {
        groupId: sales.id.toLowerCase(),
        groupDisplayName: 'Sales',
        roleId: w.roles.Manager,
        roleName: 'Manager',
      },
    });
    const list = (await w.api<{ items: Array<{ id: string }> }>('/api/admin/role-mappings')).body.items;
    expect(list.map((m) => m.id)).toContain(created.body.id);

    // One group may map to several roles, and the same group -> role only once.
    expect(
      (await w.api('/api/admin/role-mappings', 'POST', { groupId: sales.id, roleId: w.roles.Employee })).status,
    ).toBe(201);
    await expect400({ groupId: sales.id, roleId: w.roles.Manager }, /already mapped/);
  });

  it('changes the role a mapping grants; refuses a role the group already maps to and unknown mappings', async () => {
    const changed = await w.api<{ roleName: string }>(`/api/admin/role-mappings/${w.mappings.hr}`, 'PATCH', {
      roleId: w.roles.Manager,
    });
    expect(changed).toMatchObject({ status: 200, body: { roleName: 'Manager' } });
    expect(await lastAudit()).toMatchObject({
      action: 'role-mapping.update',
      old_value: { roleName: 'HR' },
      new_value: { roleName: 'Manager' },
    });
    const before = await auditCount();
    expect(
      (await w.api(`/api/admin/role-mappings/${w.mappings.hr}`, 'PATCH', { roleId: w.roles.Manager })).status,
    ).toBe(200);
    expect((await w.api(`/api/admin/role-mappings/${randomUUID()}`, 'PATCH', { roleId: w.roles.HR })).status).toBe(404);
    expect((await w.api(`/api/admin/role-mappings/${w.mappings.hr}`, 'PATCH', { roleId: randomUUID() })).status).toBe(
      400,
    );
    const mappings = (
      await w.api<{ items: Array<{ id: string; groupDisplayName: string; roleName: string }> }>(
        '/api/admin/role-mappings',
      )
    ).body.items;
    const salesManager = mappings.find((m) => m.groupDisplayName === 'Sales' && m.roleName === 'Manager')!;
    const duplicate = await w.api<{ detail: string }>(`/api/admin/role-mappings/${salesManager.id}`, 'PATCH', {
      roleId: w.roles.Employee,
    });
    expect(duplicate).toMatchObject({
      status: 400,
      body: { detail: 'Group "Sales" is already mapped to role "Employee".' },
    });
    expect((await w.api(`/api/admin/role-mappings/${randomUUID()}`, 'DELETE')).status).toBe(404);
    expect(await auditCount()).toBe(before);
    await w.api(`/api/admin/role-mappings/${w.mappings.hr}`, 'PATCH', { roleId: w.roles.HR });
  });

  it("sets an HR user's roles in HR, granted by 'hr', with one audit row", async () => {
    const res = await w.api<{ roles: string[] }>(`/api/admin/users/${w.hr.megan}/roles`, 'PUT', {
      roles: ['employee', 'Administrator', 'Manager'],
    });
    expect(res).toMatchObject({ status: 200, body: { roles: ['Administrator', 'Employee', 'Manager'] } });
    expect(await lastAudit()).toMatchObject({
      action: 'user.roles.replace',
      target: `hr-user:${w.hr.megan}`,
      old_value: ['Employee', 'HR', 'Manager'],
      new_value: ['Administrator', 'Employee', 'Manager'],
    });
    const [grant] = await w.sql<{ granted_by: string }>(
      'select granted_by from user_role where hr_user_id = ? and role_id = ?',
      [w.hr.megan, w.roles.Administrator],
    );
    expect(grant!.granted_by).toBe('hr');

    const before = await auditCount();
    expect((await w.api(`/api/admin/users/${w.hr.megan}/roles`, 'PUT', { roles: ['Employee', 'Wizard'] })).status).toBe(
      400,
    );
    expect((await w.api(`/api/admin/users/${randomUUID()}/roles`, 'PUT', { roles: [] })).status).toBe(404);
    expect(
      (await w.api(`/api/admin/users/${w.hr.megan}/roles`, 'PUT', { roles: ['Manager', 'Employee', 'Administrator'] }))
        .status,
    ).toBe(200);
    expect((await w.api(`/api/admin/users/${w.hr.megan}/roles/${w.roles.HR}`, 'DELETE')).status).toBe(200);
    expect((await w.api(`/api/admin/users/${w.hr.megan}/roles/${randomUUID()}`, 'DELETE')).status).toBe(404);
    expect(await auditCount()).toBe(before);

    const removed = await w.api<{ roles: string[] }>(
      `/api/admin/users/${w.hr.megan}/roles/${w.roles.Administrator}`,
      'DELETE',
    );
    expect(removed.body.roles).toEqual(['Employee', 'Manager']);
    expect(await lastAudit()).toMatchObject({
      action: 'user.roles.remove',
      old_value: ['Administrator', 'Employee', 'Manager'],
      new_value: ['Employee', 'Manager'],
    });
  });

  it('never takes the administrator role from the last active administrator', async () => {
    const [admin] = await w.sql<{ id: string }>(`select id from hr_user where email = 'admin@localhost'`);
    const res = await w.api(`/api/admin/users/${admin!.id}/roles/${w.roles.Administrator}`, 'DELETE');
    expect(res.status).toBe(409);
    expect(await w.rolesOf(admin!.id)).toEqual(['Administrator']);
  });

  it('answers 403 to a caller without an administrator role', async () => {
    const token = await w.api<{ token: string }>(`/api/admin/users/${w.hr.ray}/tokens`, 'POST', { name: 't' });
    for (const [path, method] of [
      ['/api/admin/roles', 'GET'],
      ['/api/admin/role-mappings', 'GET'],
      [`/api/admin/users/${w.hr.ray}/roles`, 'PUT'],
    ] as const) {
      const res = await w.h.service.api(path, {
        method,
        token: token.body.token,
        json: method === 'PUT' ? { roles: ['Administrator'] } : undefined,
      });
      expect(res.status).toBe(403);
    }
  });
});
