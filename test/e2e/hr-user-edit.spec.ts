import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InboundWorld } from './inbound-support.js';

interface Detail {
  id: string;
  email: string;
  changed: string[];
  fields: Record<string, { value: string | null; source: string | null; readOnly: boolean }>;
}
interface Problem {
  status: number;
  code: string;
  detail: string;
  errors: Array<{ path: string; message: string }>;
}

describe('editing HR-owned fields through the admin API; Entra-owned ones are refused (rule 8.5)', () => {
  let w: InboundWorld;
  const user = (id: string) => w.ok<Detail>(`/api/admin/users/${id}`);
  const edit = (id: string, json: unknown) => w.api<Detail & Problem>(`/api/admin/users/${id}`, 'PATCH', json);
  const editProfile = (id: string, json: unknown) =>
    w.api<Problem & Record<string, unknown>>(`/api/admin/employee-profiles/${id}`, 'PATCH', json);
  const audit = async () =>
    (
      await w.ok<{ items: Array<{ action: string; target: string; oldValue: unknown; newValue: unknown }> }>(
        '/api/admin/audit-log?action=hr-user.update',
      )
    ).items;

  beforeAll(async () => {
    w = await InboundWorld.start();
  });
  afterAll(async () => w.close());

  it('edits every field of an HR user created in HR, records where the values came from, and audits the change', async () => {
    const { id } = await w.ok<{ id: string }>('/api/admin/users', 'POST', {
      email: 'adele@contoso.com',
      firstName: 'Adele',
      lastName: 'Vance',
    });
    const res = await edit(id, {
      firstName: 'Adèle',
      jobTitle: 'Buyer',
      hireDate: '2024-02-29',
      email: 'adele.vance@contoso.com',
      lastName: 'Vance',
    });
    expect(res.status).toBe(200);
    expect(res.body.changed.sort()).toEqual(['email', 'firstName', 'hireDate', 'jobTitle']);
    const detail = await user(id);
    expect(detail.email).toBe('adele.vance@contoso.com');
    expect(detail.fields.firstName).toMatchObject({ value: 'Adèle', source: 'hr', readOnly: false });
    expect(detail.fields.hireDate).toMatchObject({ value: '2024-02-29', source: 'hr' });
    expect((await audit())[0]).toMatchObject({
      target: id,
      oldValue: { firstName: 'Adele', email: 'adele@contoso.com' },
      newValue: { firstName: 'Adèle', email: 'adele.vance@contoso.com' },
    });
    expect((await edit(id, { jobTitle: null })).body.changed).toEqual(['jobTitle']);
    expect((await user(id)).fields.jobTitle!.value).toBeNull();
  });

  it('answers 400 for bad input and unknown fields, 404 for an unknown user, 409 for a taken e-mail; nothing changes', async () => {
    const { id } = await w.ok<{ id: string }>('/api/admin/users', 'POST', {
      email: 'joni@contoso.com',
      firstName: 'Joni',
      lastName: 'Sherman',
    });
    const bad = await edit(id, { firstName: '', hireDate: '2023-02-29', active: false });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.path).sort()).toEqual(['body.active', 'body.firstName', 'body.hireDate']);
    expect((await edit('00000000-0000-4000-8000-000000000000', { jobTitle: 'x' })).status).toBe(404);
    const taken = await edit(id, { email: 'ADELE.VANCE@contoso.com', jobTitle: 'Lawyer' });
    expect(taken.status).toBe(409);
    const detail = await user(id);
    expect(detail).toMatchObject({ email: 'joni@contoso.com' });
    expect(detail.fields.jobTitle!.value).toBeNull();
  });

  it('refuses the fields Entra owns for a synced user with 409 and the reason, until the ownership gives them to HR', async () => {
    const megan = await w.person('Megan', 'Bowen', { jobTitle: 'Marketing Manager', city: 'Seattle' });
    await w.setSyncedGroups([await w.group('Staff', [megan.id])]);
    await w.sync();
    const [row] = (
      await w.ok<{ items: Array<{ id: string; email: string }> }>(
        `/api/admin/users?search=${encodeURIComponent(megan.mail)}`,
      )
    ).items;
    const id = row!.id;
    expect((await user(id)).fields.jobTitle).toMatchObject({
      value: 'Marketing Manager',
      source: 'entra',
      readOnly: true,
    });

    const refused = await edit(id, { jobTitle: 'Director', city: 'Oslo', email: 'megan.hr@contoso.com' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('conflict');
    expect(refused.body.errors.map((e) => e.path).sort()).toEqual(['body.city', 'body.jobTitle']);
    expect(refused.body.errors[0]!.message).toMatch(/follows Entra.*read-only in HR \(rule 8\.5\)/);
    // Nothing changed, not even the e-mail, which HR owns.
    const unchanged = await user(id);
    expect(unchanged).toMatchObject({ email: megan.mail });
    expect(unchanged.fields.jobTitle!.value).toBe('Marketing Manager');
    // Entra's own value sent back unchanged is no edit (a form that sends every field).
    expect(await edit(id, { jobTitle: 'Marketing Manager', email: 'megan.hr@contoso.com' })).toMatchObject({
      status: 200,
      body: { changed: ['email'] },
    });

    // The admin gives the job title to HR: now HR edits it, and a later change in Entra does not undo it.
    await w.settings({ fieldOwners: { jobTitle: 'hr' } });
    expect((await user(id)).fields.jobTitle!.readOnly).toBe(false);
    expect((await edit(id, { jobTitle: 'Director' })).status).toBe(200);
    await w.control.updateUser(megan.id, { jobTitle: 'VP Marketing', city: 'Redmond' });
    await w.sync();
    const after = await user(id);
    expect(after.fields.jobTitle).toMatchObject({ value: 'Director', source: 'hr' });
    expect(after.fields.city).toMatchObject({ value: 'Redmond', source: 'entra' });
  });

  it('with an employee profile connected, refuses only the fields Entra owns for everyone, on the user and on the profile', async () => {
    const ray = await w.person('Ray', 'Tanaka', { department: 'Sales', city: 'Tokyo' });
    await w.setSyncedGroups([...(await w.syncedGroups()), await w.group('Sales', [ray.id])]);
    await w.sync();
    const [row] = (
      await w.ok<{ items: Array<{ id: string }> }>(`/api/admin/users?search=${encodeURIComponent(ray.mail)}`)
    ).items;
    const profile = await w.ok<{ id: string }>('/api/admin/employee-profiles', 'POST', {
      email: 'ray.profile@contoso.com',
      firstName: 'Ray',
      lastName: 'Tanaka',
    });
    await w.ok(`/api/admin/employee-profiles/${profile.id}/connect`, 'POST', { email: ray.mail });
    await w.settings({ fieldOwners: { jobTitle: 'hr', city: 'entra' } });

    // The profile owns the department now; Entra owns the city for everyone.
    expect((await edit(row!.id, { department: 'Field Sales' })).status).toBe(200);
    expect((await editProfile(profile.id, { department: 'Field Sales', jobTitle: 'Seller' })).status).toBe(200);
    const onUser = await edit(row!.id, { city: 'Osaka' });
    expect(onUser.status).toBe(409);
    expect(onUser.body.errors).toEqual([
      { path: 'body.city', message: expect.stringMatching(/owned by Entra for every user/) },
    ]);
    const onProfile = await editProfile(profile.id, { city: 'Osaka', department: 'Retail' });
    expect(onProfile.status).toBe(409);
    expect(onProfile.body.errors.map((e) => e.path)).toEqual(['body.city']);
    expect(await w.ok(`/api/admin/employee-profiles/${profile.id}`)).toMatchObject({
      department: 'Field Sales',
      city: null,
    });
    expect((await user(row!.id)).fields.city!.value).toBe('Tokyo');
    // An employee profile that is not connected owns all its fields.
    const alone = await w.ok<{ id: string }>('/api/admin/employee-profiles', 'POST', {
      email: 'alone@contoso.com',
      firstName: 'Al',
      lastName: 'One',
    });
    expect((await editProfile(alone.id, { city: 'Osaka' })).status).toBe(200);
  });
});
