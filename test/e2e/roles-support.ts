import { expect } from '@jest/globals';
import { startSyncHarness, type RunView, type SyncHarness } from '../support/entra.js';

export interface Change {
  field: string;
  old: unknown;
  new: unknown;
}

export interface OutcomeView {
  email: string | null;
  outcome: string;
  changes: Change[];
}

/**
 * The seed's worked example (domain rules 5.5) in one tenant: groups Employee and HR, both synced
 * and mapped to the roles of the same names; Megan (no employee profile) and Ray (with one) are in
 * both groups and hold Employee, HR and Manager; role sync has been on for two runs.
 */
export interface RolesWorld {
  h: SyncHarness;
  groups: { employee: string; hr: string };
  roles: Record<'Employee' | 'HR' | 'Manager' | 'New employee' | 'Administrator', string>;
  entra: { megan: string; ray: string };
  hr: { megan: string; ray: string };
  mappings: { employee: string; hr: string };
  api<T = unknown>(path: string, method?: string, json?: unknown): Promise<{ status: number; body: T }>;
  rolesOf(hrUserId: string): Promise<string[]>;
  outcomes(runId: string): Promise<OutcomeView[]>;
  auditActions(): Promise<string[]>;
  sql<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  syncNow(): Promise<RunView>;
}

export const MEGAN = 'megan@contoso.com';
export const RAY = 'ray@contoso.com';

export async function startRolesWorld(): Promise<RolesWorld> {
  const h = await startSyncHarness();
  const c = h.emulator.control;
  const api: RolesWorld['api'] = async (path, method = 'GET', json) => {
    const res = await h.service.api(path, { method, ...(json === undefined ? {} : { json }) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as never };
  };
  const ok = async <T>(path: string, method: string, json?: unknown): Promise<T> => {
    const res = await api<T>(path, method, json);
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const sql: RolesWorld['sql'] = (text, params = []) => h.service.orm.em.fork().execute(text, params);

  const megan = await c.createUser({
    displayName: 'Megan Bowen',
    givenName: 'Megan',
    surname: 'Bowen',
    mail: MEGAN,
    userPrincipalName: MEGAN,
    accountEnabled: true,
  });
  const ray = await c.createUser({
    displayName: 'Ray Smith',
    givenName: 'Ray',
    surname: 'Smith',
    mail: RAY,
    userPrincipalName: RAY,
    accountEnabled: true,
  });
  const employee = (await c.createGroup({ displayName: 'Employee', members: [megan.id, ray.id] })).id;
  const hrGroup = (await c.createGroup({ displayName: 'HR', members: [megan.id, ray.id] })).id;
  await ok('/api/admin/synced-groups', 'PUT', { groupIds: [employee, hrGroup] });

  const roleIds: Record<string, string> = {};
  for (const name of ['Employee', 'HR', 'Manager', 'New employee'])
    roleIds[name] = (await ok<{ id: string }>('/api/admin/roles', 'POST', { name })).id;
  const [admin] = await sql<{ id: string }>(`select id from role where name = 'Administrator'`);
  roleIds.Administrator = admin!.id;
  const mapEmployee = await ok<{ id: string }>('/api/admin/role-mappings', 'POST', {
    groupId: employee,
    roleId: roleIds.Employee,
  });
  const mapHr = await ok<{ id: string }>('/api/admin/role-mappings', 'POST', { groupId: hrGroup, roleId: roleIds.HR });
  await ok('/api/admin/settings', 'PATCH', { roleSync: true });

  const world: RolesWorld = {
    h,
    api,
    sql,
    groups: { employee, hr: hrGroup },
    roles: roleIds as RolesWorld['roles'],
    entra: { megan: megan.id, ray: ray.id },
    hr: { megan: '', ray: '' },
    mappings: { employee: mapEmployee.id, hr: mapHr.id },
    async rolesOf(hrUserId) {
      const rows = await sql<{ name: string }>(
        'select r.name from user_role ur join role r on r.id = ur.role_id where ur.hr_user_id = ? order by r.name',
        [hrUserId],
      );
      return rows.map((r) => r.name);
    },
    async outcomes(runId) {
      return (await ok<{ items: OutcomeView[] }>(`/api/admin/sync/runs/${runId}/outcomes`, 'GET')).items;
    },
    async auditActions() {
      return (await sql<{ action: string }>('select action from audit_log order by id')).map((r) => r.action);
    },
    async syncNow() {
      const run = await h.syncNow();
      expect(run).toMatchObject({ status: 'succeeded' });
      return run;
    },
  };

  // Run 1 creates both users with their mapped roles; Ray is then connected to an employee profile.
  await world.syncNow();
  const users = await sql<{ id: string; email: string }>('select id, email from hr_user where email in (?, ?)', [
    MEGAN,
    RAY,
  ]);
  world.hr.megan = users.find((u) => u.email === MEGAN)!.id;
  world.hr.ray = users.find((u) => u.email === RAY)!.id;
  const profile = await ok<{ id: string }>('/api/admin/employee-profiles', 'POST', {
    email: RAY,
    firstName: 'Ray',
    lastName: 'Smith',
  });
  await ok(`/api/admin/employee-profiles/${profile.id}/connect`, 'POST', { email: RAY });
  for (const id of [world.hr.megan, world.hr.ray])
    await ok(`/api/admin/users/${id}/roles`, 'PUT', { roles: ['Employee', 'HR', 'Manager'] });
  // Run 2: role sync on, nothing to change.
  const run = await world.syncNow();
  expect(await world.outcomes(run.id)).toEqual([]);
  expect(await world.rolesOf(world.hr.megan)).toEqual(['Employee', 'HR', 'Manager']);
  expect(await world.rolesOf(world.hr.ray)).toEqual(['Employee', 'HR', 'Manager']);
  return world;
}

/** The 'roles' changes of one user in a run's outcomes, as "+name" / "-name". */
export function roleChanges(outcomes: OutcomeView[], email: string): string[] {
  return outcomes
    .filter((o) => o.email === email)
    .flatMap((o) => o.changes.filter((c) => c.field === 'roles'))
    .map((c) => (c.new === null ? `-${String(c.old)}` : `+${String(c.new)}`))
    .sort();
}
