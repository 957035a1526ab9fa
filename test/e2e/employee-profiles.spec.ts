import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { calendarToday } from '../../src/application/employee-profiles.service.js';
import { employmentLifecycleJob } from '../../src/jobs/employment-lifecycle.job.js';
import { startTestService, type TestService } from '../support/service.js';

interface Profile {
  id: string;
  email: string;
  jobTitle: string | null;
  department: string | null;
  hireDate: string | null;
  resignationDate: string | null;
  employmentStatus: string;
  managerProfileId: string | null;
  customFields: Record<string, unknown>;
  hrUser: { id: string; email: string; active: boolean; deactivatedReason: string | null } | null;
}
const DAY = 86_400_000;
const dayFrom = (days: number) => calendarToday(new Date(Date.now() + days * DAY));

describe('employee profiles API', () => {
  let service: TestService;
  const api = (path: string, method = 'GET', json?: unknown) =>
    service.api(`/api/admin/employee-profiles${path}`, { method, ...(json === undefined ? {} : { json }) });
  const create = async (json: Record<string, unknown>) => {
    const res = await api('', 'POST', { firstName: 'Test', lastName: 'Person', ...json });
    expect(res.status).toBe(201);
    return (await res.json()) as Profile;
  };
  const newHrUser = async (email: string) =>
    (
      (await (
        await service.api('/api/admin/users', { method: 'POST', json: { email, firstName: 'A', lastName: 'B' } })
      ).json()) as { id: string }
    ).id;
  const hrUser = async (id: string) =>
    (await (await service.api(`/api/admin/users/${id}`)).json()) as { active: boolean };
  const paths = async (res: Response) =>
    ((await res.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path).sort();
  const lifecycle = (today: string) =>
    employmentLifecycleJob(
      () => service.orm.em.fork(),
      () => today,
    )({}, { jobId: 'test', signal: new AbortController().signal });

  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(async () => service.close());

  it('creates a profile, refuses a second with the same e-mail in another case, and validates every field', async () => {
    const profile = await create({
      email: 'Ray@Contoso.com',
      jobTitle: 'Engineer',
      hireDate: '2024-02-29',
      customFields: { costCenter: 'CC-1', badge: 42 },
    });
    expect(profile).toMatchObject({
      email: 'Ray@Contoso.com',
      jobTitle: 'Engineer',
      hireDate: '2024-02-29',
      employmentStatus: 'active',
      resignationDate: null,
      hrUser: null,
      customFields: { costCenter: 'CC-1', badge: 42 },
    });
    expect((await api('', 'POST', { email: 'ray@contoso.COM', firstName: 'R', lastName: 'M' })).status).toBe(409);
    const res = await api('', 'POST', {
      email: 'nope',
      firstName: '',
      hireDate: '2023-02-29',
      customFields: { 'Bad Key': 1 },
      salary: 1,
    });
    expect(res.status).toBe(400);
    expect(await paths(res)).toEqual([
      'body.customFields.Bad Key',
      'body.email',
      'body.firstName',
      'body.hireDate',
      'body.lastName',
      'body.salary',
    ]);
    expect((await api(`/${profile.id}`)).status).toBe(200);
    expect((await api('/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('edits some fields, clears others with null, and keeps the manager chain free of loops', async () => {
    const boss = await create({ email: 'boss@contoso.com', department: 'Sales' });
    const worker = await create({
      email: 'worker@contoso.com',
      department: 'Sales',
      city: 'Oslo',
      managerProfileId: boss.id,
    });
    const edited = (await (
      await api(`/${worker.id}`, 'PATCH', { jobTitle: 'Seller', department: null })
    ).json()) as Profile & { city: string };
    expect(edited).toMatchObject({ jobTitle: 'Seller', department: null, city: 'Oslo', managerProfileId: boss.id });
    expect(await paths(await api(`/${worker.id}`, 'PATCH', { managerProfileId: worker.id }))).toEqual([
      'body.managerProfileId',
    ]);
    expect(await paths(await api(`/${boss.id}`, 'PATCH', { managerProfileId: worker.id }))).toEqual([
      'body.managerProfileId',
    ]);
    expect(
      await paths(
        await api('', 'POST', {
          email: 'x@contoso.com',
          firstName: 'X',
          lastName: 'Y',
          managerProfileId: '00000000-0000-4000-8000-000000000000',
        }),
      ),
    ).toEqual(['body.managerProfileId']);
    expect((await api(`/${worker.id}`, 'PATCH', { email: 'BOSS@contoso.com' })).status).toBe(409);
    expect((await api(`/${worker.id}`, 'PATCH', { firstName: null })).status).toBe(400);
  });

  it('lists profiles in keyset pages with filters', async () => {
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5'])
      await create({ email: `${name}@fabrikam.com`, department: name === 'p5' ? 'Legal' : 'Ops' });
    const first = (await (await api('?search=fabrikam&limit=2')).json()) as { items: Profile[]; next: string };
    expect(first.items.map((p) => p.email)).toEqual(['p1@fabrikam.com', 'p2@fabrikam.com']);
    const second = (await (await api(`?search=fabrikam&limit=2&after=${encodeURIComponent(first.next)}`)).json()) as {
      items: Profile[];
    };
    expect(second.items.map((p) => p.email)).toEqual(['p3@fabrikam.com', 'p4@fabrikam.com']);
    const legal = (await (await api('?department=legal')).json()) as { items: Profile[]; next: string | null };
    expect(legal).toMatchObject({ items: [{ email: 'p5@fabrikam.com' }], next: null });
    expect(((await (await api('?status=archived&search=fabrikam')).json()) as { items: Profile[] }).items).toEqual([]);
    expect((await api('?status=gone')).status).toBe(400);
  });

  it('connects to an HR user by e-mail in any case, once, and disconnects', async () => {
    const userId = await newHrUser('Megan@Contoso.com');
    const megan = await create({ email: 'megan.profile@contoso.com' });
    const other = await create({ email: 'other.profile@contoso.com' });
    const connected = (await (
      await api(`/${megan.id}/connect`, 'POST', { email: 'megan@CONTOSO.com' })
    ).json()) as Profile;
    expect(connected.hrUser).toMatchObject({ id: userId, email: 'Megan@Contoso.com', active: true });
    expect((await api(`/${megan.id}/connect`, 'POST', { email: 'megan@contoso.com' })).status).toBe(200);
    expect((await api(`/${other.id}/connect`, 'POST', { email: 'megan@contoso.com' })).status).toBe(409);
    await newHrUser('nestor@contoso.com');
    expect((await api(`/${megan.id}/connect`, 'POST', { email: 'nestor@contoso.com' })).status).toBe(409);
    expect((await api(`/${other.id}/connect`, 'POST', { email: 'nobody@contoso.com' })).status).toBe(404);
    const connectedList = (await (await api('?connected=true')).json()) as { items: Profile[] };
    expect(connectedList.items.map((p) => p.id)).toEqual([megan.id]);
    const disconnected = (await (await api(`/${megan.id}/disconnect`, 'POST')).json()) as Profile;
    expect(disconnected.hrUser).toBeNull();
    expect((await api(`/${other.id}/connect`, 'POST', { email: 'megan@contoso.com' })).status).toBe(200);
    const audit = (await (await service.api('/api/admin/audit-log?action=employee-profile.connect')).json()) as {
      items: unknown[];
    };
    expect(audit.items).toHaveLength(2);
  });

  it('archives on the resignation date and deactivates the HR user; pending before; clearing it undoes the archiving', async () => {
    const userId = await newHrUser('lee@contoso.com');
    const lee = await create({ email: 'lee.profile@contoso.com' });
    await api(`/${lee.id}/connect`, 'POST', { email: 'lee@contoso.com' });
    const pending = (await (await api(`/${lee.id}/resignation`, 'PUT', { date: dayFrom(10) })).json()) as Profile;
    expect(pending).toMatchObject({
      resignationDate: dayFrom(10),
      employmentStatus: 'pending',
      hrUser: { active: true },
    });
    const archived = (await (await api(`/${lee.id}/resignation`, 'PUT', { date: dayFrom(0) })).json()) as Profile;
    expect(archived).toMatchObject({
      employmentStatus: 'archived',
      hrUser: { active: false, deactivatedReason: 'employee-archived' },
    });
    expect((await hrUser(userId)).active).toBe(false);
    const cleared = (await (await api(`/${lee.id}/resignation`, 'PUT', { date: null })).json()) as Profile;
    expect(cleared).toMatchObject({
      resignationDate: null,
      employmentStatus: 'active',
      hrUser: { active: true, deactivatedReason: null },
    });
    expect((await api(`/${lee.id}/resignation`, 'PUT', { date: '2025-13-01' })).status).toBe(400);
    expect((await api(`/${lee.id}/resignation`, 'PUT', {})).status).toBe(400);
  });

  it('connecting an HR user to an archived profile deactivates it', async () => {
    const userId = await newHrUser('gone@contoso.com');
    const gone = await create({ email: 'gone.profile@contoso.com' });
    await api(`/${gone.id}/resignation`, 'PUT', { date: dayFrom(-3) });
    const connected = (await (
      await api(`/${gone.id}/connect`, 'POST', { email: 'gone@contoso.com' })
    ).json()) as Profile;
    expect(connected).toMatchObject({
      employmentStatus: 'archived',
      hrUser: { id: userId, active: false, deactivatedReason: 'employee-archived' },
    });
  });

  it('the daily lifecycle job archives employees whose date has come, deactivates their users, and is idempotent', async () => {
    const soonUser = await newHrUser('soon@contoso.com');
    const soon = await create({ email: 'soon.profile@contoso.com' });
    await api(`/${soon.id}/connect`, 'POST', { email: 'soon@contoso.com' });
    await api(`/${soon.id}/resignation`, 'PUT', { date: dayFrom(1) });
    const later = await create({ email: 'later.profile@contoso.com' });
    await api(`/${later.id}/resignation`, 'PUT', { date: dayFrom(5) });

    expect(await lifecycle(dayFrom(0))).toMatchObject({
      status: 'done',
      detail: expect.stringContaining('0 employee profile(s) archived'),
    });
    expect(((await (await api(`/${soon.id}`)).json()) as Profile).employmentStatus).toBe('pending');

    const result = await lifecycle(dayFrom(1));
    expect(result.detail).toContain('1 employee profile(s) archived, 1 HR user(s) deactivated');
    expect(await (await api(`/${soon.id}`)).json()).toMatchObject({
      employmentStatus: 'archived',
      hrUser: { active: false, deactivatedReason: 'employee-archived' },
    });
    expect((await hrUser(soonUser)).active).toBe(false);
    expect(((await (await api(`/${later.id}`)).json()) as Profile).employmentStatus).toBe('pending');
    expect((await lifecycle(dayFrom(1))).detail).toContain('0 employee profile(s) archived, 0 HR user(s) deactivated');
    await expect(lifecycle('tomorrow')).rejects.toThrow(RangeError);
  });

  it('schedules the lifecycle job daily just after midnight UTC', async () => {
    const { nextRunAt } = await service.scheduler.status('employment-lifecycle');
    expect(nextRunAt).not.toBeNull();
    expect(nextRunAt!.getUTCHours() * 60 + nextRunAt!.getUTCMinutes()).toBe(5);
    expect(nextRunAt!.getTime() - Date.now()).toBeLessThanOrEqual(DAY);
  });

  it('is for administrators only', async () => {
    const id = await newHrUser('plain@contoso.com');
    const { token } = (await (
      await service.api(`/api/admin/users/${id}/tokens`, { method: 'POST', json: { name: 't' } })
    ).json()) as { token: string };
    expect((await service.api('/api/admin/employee-profiles', { token })).status).toBe(403);
  });
});
