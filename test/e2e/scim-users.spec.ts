import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ENTERPRISE, LIST, ScimWorld, USER_SCHEMA, entraUser, patchOp } from './scim-support.js';

type User = Record<string, unknown> & { id: string; meta: { version: string; location: string } };
type List = { schemas: string[]; totalResults: number; startIndex: number; itemsPerPage: number; Resources: User[] };

/**
 * Entra's provisioning service against the SCIM endpoint, request by request as Microsoft documents
 * it ("Tutorial: Develop and plan provisioning for a SCIM endpoint",
 * https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups;
 * "Known issues and resolutions with SCIM 2.0 protocol compliance"): test connection, match, create,
 * update with each PATCH form, deactivate, reactivate, delete.
 */
describe('SCIM Users, as Entra provisions them', () => {
  let world: ScimWorld;
  beforeAll(async () => {
    world = await ScimWorld.start({ userSource: 'push' });
  });
  afterAll(async () => world?.close());

  const hrUser = async (email: string) => {
    const rows = await world.admin<Array<Record<string, unknown>>>('/api/admin/export/hr-users?format=json');
    return rows.filter((r) => String(r.email).toLowerCase() === email.toLowerCase());
  };

  it('test connection: a filter on a random GUID answers 200 with an empty ListResponse', async () => {
    const res = await world.scim<List>('GET', '/Users?filter=userName+eq+%220f6b5e92-6c4b-4a8b-9e1a-2d7a1c0b4f11%22');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it('match (none) -> POST -> PATCH replace -> PATCH active "False" -> GET by id', async () => {
    const match = await world.scim<List>(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "alice.doe@contoso.com"')}`,
    );
    expect(match.body.totalResults).toBe(0);

    const created = await world.scim<User>('POST', '/Users', entraUser('alice.doe@contoso.com'));
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.headers.get('location')).toBe(created.body.meta.location);
    expect(created.headers.get('etag')).toBe(created.body.meta.version);
    expect(created.body).toMatchObject({
      schemas: [USER_SCHEMA, ENTERPRISE],
      userName: 'alice.doe@contoso.com',
      externalId: 'ext-alice.doe@contoso.com',
      active: true,
      name: { givenName: 'alice', familyName: 'doe', formatted: 'alice doe' },
      emails: [{ primary: true, type: 'work', value: 'alice.doe@contoso.com' }],
      [ENTERPRISE]: { employeeNumber: 'E-1001', department: 'R&D' },
      meta: { resourceType: 'User', location: expect.stringMatching(new RegExp(`/scim/v2/Users/${id}$`)) },
    });
    expect(await hrUser('alice.doe@contoso.com')).toEqual([
      expect.objectContaining({
        firstName: 'alice',
        lastName: 'doe',
        jobTitle: 'Engineer',
        city: 'Berlin',
        active: true,
        origin: 'scim',
      }),
    ]);

    const found = await world.scim<List>(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "ALICE.DOE@contoso.com"')}`,
    );
    expect(found.body.Resources.map((u) => u.id)).toEqual([id]);

    const replaced = await world.scim<User>(
      'PATCH',
      `/Users/${id}`,
      patchOp(
        { op: 'Replace', path: 'title', value: 'Lead' },
        { op: 'Replace', path: 'name.familyName', value: 'Smith' },
        { op: 'Add', path: 'nickName', value: 'Al' },
      ),
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ title: 'Lead', nickName: 'Al', name: { familyName: 'Smith' } });

    const disabled = await world.scim<User>(
      'PATCH',
      `/Users/${id}`,
      patchOp({ op: 'Replace', path: 'active', value: 'False' }),
    );
    expect(disabled.body.active).toBe(false);

    const read = await world.scim<User>('GET', `/Users/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(disabled.body);
    expect(await hrUser('alice.doe@contoso.com')).toEqual([
      expect.objectContaining({
        active: false,
        deactivatedReason: 'inactive-in-provisioning',
        jobTitle: 'Lead',
        lastName: 'Smith',
      }),
    ]);
  });

  it('reads every PATCH form Entra sends (Microsoft Learn, "Known issues and resolutions")', async () => {
    const manager = (await world.scim<User>('POST', '/Users', entraUser('mary.boss@contoso.com'))).body.id;
    const id = (await world.scim<User>('POST', '/Users', entraUser('bob.jones@contoso.com'))).body.id;
    const patch = async (...operations: unknown[]) => {
      const res = await world.scim<User>('PATCH', `/Users/${id}`, patchOp(...operations));
      expect(res.status).toBe(200);
      return res.body;
    };
    // (c) rename, (e) add on a single-valued attribute, (f) an extension attribute behind its URN.
    expect(
      await patch(
        { op: 'Replace', path: 'userName', value: 'bob.jones2@contoso.com' },
        { op: 'Add', path: 'nickName', value: 'Babs' },
        { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: 'E-7' },
      ),
    ).toMatchObject({ userName: 'bob.jones2@contoso.com', nickName: 'Babs', [ENTERPRISE]: { employeeNumber: 'E-7' } });
    // (g) replace without a path: keys are paths.
    expect(
      await patch({
        op: 'replace',
        value: { displayName: 'Bjfe', 'name.givenName': 'Kkom', [`${ENTERPRISE}:department`]: 'Sales' },
      }),
    ).toMatchObject({ displayName: 'Bjfe', name: { givenName: 'Kkom' }, [ENTERPRISE]: { department: 'Sales' } });
    // (j) typed multi-valued elements, one created.
    const phones = await patch(
      { op: 'Replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+49 170 2' },
      { op: 'Add', path: 'phoneNumbers[type eq "fax"].value', value: '+49 30 9' },
      { op: 'Replace', path: 'addresses[type eq "work"].locality', value: 'Hamburg' },
    );
    expect(phones.phoneNumbers).toEqual([
      { type: 'work', value: '+49 30 1234' },
      { type: 'mobile', value: '+49 170 2' },
      { type: 'fax', value: '+49 30 9' },
    ]);
    // (h) the manager as a bare id, (h'') as an object, (i) removed.
    const withManager = await patch({ op: 'Add', path: `${ENTERPRISE}:manager`, value: manager });
    expect((withManager[ENTERPRISE] as { manager: unknown }).manager).toEqual({
      value: manager,
      $ref: expect.stringMatching(new RegExp(`/scim/v2/Users/${manager}$`)),
    });
    await patch({ op: 'replace', path: `${ENTERPRISE}:manager`, value: { value: manager } });
    expect((await hrUser('bob.jones@contoso.com'))[0]).toMatchObject({
      managerId: manager,
      city: 'Hamburg',
      mobilePhone: '+49 170 2',
    });
    const noManager = await patch({ op: 'Remove', path: `${ENTERPRISE}:manager` });
    expect(noManager[ENTERPRISE]).not.toHaveProperty('manager');
    // (k) roles as a JSON string in value, kept as sent; (d) active as a boolean.
    const roles = [{ value: '{"id":"06b0","value":"25","displayName":"Role1234"}' }];
    expect(
      await patch({ op: 'Add', path: 'roles', value: roles }, { op: 'replace', path: 'active', value: false }),
    ).toMatchObject({
      roles,
      active: false,
    });
    // Reactivation: Entra's "True".
    expect((await patch({ op: 'Replace', path: 'active', value: 'True' })).active).toBe(true);
    expect((await hrUser('bob.jones@contoso.com'))[0]).toMatchObject({ active: true, deactivatedReason: null });
    // A filter on the new userName and on the work e-mail find the user.
    for (const filter of [
      'userName eq "BOB.JONES2@contoso.com"',
      'emails[type eq "work"].value eq "bob.jones@contoso.com"',
    ]) {
      const list = await world.scim<List>('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect([filter, list.body.Resources.map((u) => u.id)]).toEqual([filter, [id]]);
    }
  });

  it("takes the SCIM Validator's create with every core attribute and a made-up manager, kept as sent until one is linked", async () => {
    // scim-facts 6.3: the validator's "Create a new User" sends all of these, roles with "primary" as
    // a string, and a manager id that names nobody here; "Patch User - Add Manager" then names a user.
    const body = {
      schemas: [USER_SCHEMA, ENTERPRISE],
      userName: 'vera.validator@contoso.com',
      active: true,
      displayName: 'Vera Validator',
      nickName: 'Vee',
      title: 'Tester',
      userType: 'Employee',
      locale: 'de-DE',
      timezone: 'Europe/Berlin',
      profileUrl: 'https://contoso.example/vera',
      preferredLanguage: 'de',
      name: {
        formatted: 'Dr. Vera Q. Validator III',
        familyName: 'Validator',
        givenName: 'Vera',
        middleName: 'Q.',
        honorificPrefix: 'Dr.',
        honorificSuffix: 'III',
      },
      emails: [{ type: 'work', primary: true, value: 'vera.validator@contoso.com' }],
      roles: [{ primary: 'True', display: 'Tester', value: 'tester', type: 'WindowsAzureActiveDirectoryRole' }],
      [ENTERPRISE]: {
        employeeNumber: 'E-77',
        department: 'QA',
        costCenter: 'CC-1',
        organization: 'Contoso',
        division: 'Quality',
        manager: { value: 'XYMKVVRYDIOO' },
      },
    };
    const created = await world.scim<User>('POST', '/Users', body);
    expect(created.status).toBe(201);
    const { schemas: _schemas, ...sent } = body;
    expect(created.body).toMatchObject({
      ...sent,
      roles: [{ primary: true, display: 'Tester', value: 'tester', type: 'WindowsAzureActiveDirectoryRole' }],
    });
    expect((await hrUser('vera.validator@contoso.com'))[0]).toMatchObject({ managerId: null, department: 'QA' });
    expect((await world.scim<User>('GET', `/Users/${created.body.id}`)).body).toEqual(created.body);

    const manager = (await world.scim<User>('POST', '/Users', entraUser('mona.manager@contoso.com'))).body.id;
    const linked = await world.scim<User>(
      'PATCH',
      `/Users/${created.body.id}`,
      patchOp({ op: 'Add', path: `${ENTERPRISE}:manager`, value: manager }),
    );
    expect((linked.body[ENTERPRISE] as { manager: { value: string } }).manager.value).toBe(manager);
    expect((await hrUser('vera.validator@contoso.com'))[0]).toMatchObject({ managerId: manager });
    ScimWorld.expectError(await world.scim('POST', '/Users', body), 409, 'uniqueness');
    // A user named as its own manager is bad input, and changes nothing.
    const own = patchOp({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: created.body.id });
    ScimWorld.expectError(await world.scim('PATCH', `/Users/${created.body.id}`, own), 400, 'invalidValue');
    expect((await world.scim<User>('GET', `/Users/${created.body.id}`)).body).toEqual(linked.body);
  });

  it('deactivates on DELETE, never deletes; then answers 404, and a POST of the same person claims the same HR user again', async () => {
    const user = (await world.scim<User>('POST', '/Users', entraUser('carl.gone@contoso.com'))).body;
    const deleted = await world.scim('DELETE', `/Users/${user.id}`);
    expect([deleted.status, deleted.body]).toEqual([204, null]);
    ScimWorld.expectError(await world.scim('GET', `/Users/${user.id}`), 404);
    ScimWorld.expectError(await world.scim('DELETE', `/Users/${user.id}`), 404);
    const filter = await world.scim<List>(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "carl.gone@contoso.com"')}`,
    );
    expect(filter.body.totalResults).toBe(0);
    expect(await hrUser('carl.gone@contoso.com')).toEqual([
      expect.objectContaining({ id: user.id, active: false, deactivatedReason: 'deleted-in-provisioning' }),
    ]);
    const again = await world.scim<User>('POST', '/Users', entraUser('carl.gone@contoso.com'));
    expect([again.status, again.body.id, again.body.active]).toEqual([201, user.id, true]);
    expect(await hrUser('carl.gone@contoso.com')).toEqual([expect.objectContaining({ active: true })]);
  });

  it('answers a duplicate userName with 409 uniqueness, also on a rename', async () => {
    await world.scim('POST', '/Users', entraUser('dora.dup@contoso.com'));
    const duplicate = await world.scim('POST', '/Users', entraUser('DORA.dup@contoso.com', { emails: [] }));
    expect(ScimWorld.expectError(duplicate, 409, 'uniqueness')).toContain('DORA.dup@contoso.com');
    const other = (await world.scim<User>('POST', '/Users', entraUser('ed.two@contoso.com'))).body;
    const rename = await world.scim(
      'PATCH',
      `/Users/${other.id}`,
      patchOp({ op: 'Replace', path: 'userName', value: 'Dora.Dup@contoso.com' }),
    );
    ScimWorld.expectError(rename, 409, 'uniqueness');
    expect((await world.scim<User>('GET', `/Users/${other.id}`)).body.userName).toBe('ed.two@contoso.com');
  });

  it('matches an HR user by e-mail, created once: the first push keeps its HR data (rule 2.8), later ones update it', async () => {
    const existing = await world.admin<{ id: string }>('/api/admin/users', 'POST', {
      email: 'Fay.Hr@contoso.com',
      firstName: 'Fay',
      lastName: 'Hrname',
    });
    const found = await world.scim<List>(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "fay.hr@contoso.com"')}`,
    );
    expect(found.body.Resources.map((u) => u.id)).toEqual([existing.id]);
    const claimed = await world.scim<User>('POST', '/Users', entraUser('fay.hr@contoso.com'));
    expect([claimed.status, claimed.body.id]).toEqual([201, existing.id]);
    expect(claimed.body.name).toEqual({ givenName: 'Fay', familyName: 'Hrname', formatted: 'fay hr' });
    const later = await world.scim<User>(
      'PATCH',
      `/Users/${existing.id}`,
      patchOp({ op: 'Replace', path: 'name.familyName', value: 'Pushed' }),
    );
    expect(later.body.name).toMatchObject({ familyName: 'Pushed' });
    expect(await hrUser('fay.hr@contoso.com')).toEqual([
      expect.objectContaining({ id: existing.id, lastName: 'Pushed', origin: 'hr' }),
    ]);
  });

  it('leaves the data of a user with an employee profile to the profile (rule 2.4), but not its status', async () => {
    const user = (await world.scim<User>('POST', '/Users', entraUser('gus.profile@contoso.com'))).body;
    const profile = await world.admin<{ id: string }>('/api/admin/employee-profiles', 'POST', {
      email: 'profile.gus@contoso.com',
      firstName: 'Gus',
      lastName: 'Profile',
    });
    await world.admin(`/api/admin/employee-profiles/${profile.id}/connect`, 'POST', {
      email: 'gus.profile@contoso.com',
    });
    const res = await world.scim<User>(
      'PATCH',
      `/Users/${user.id}`,
      patchOp({ op: 'Replace', path: 'title', value: 'Changed' }, { op: 'Replace', path: 'active', value: false }),
    );
    expect(res.body).toMatchObject({ title: 'Engineer', active: false });
  });

  it('pages with startIndex and count, and answers only the attributes asked for', async () => {
    const all = await world.scim<List>('GET', '/Users?count=1000');
    const total = all.body.totalResults;
    expect(all.body.itemsPerPage).toBe(Math.min(total, 200));
    const page = await world.scim<List>(
      'GET',
      '/Users?startIndex=2&count=2&attributes=userName,emails&aadOptscim062020',
    );
    expect(page.body).toMatchObject({ totalResults: total, startIndex: 2, itemsPerPage: 2 });
    expect(page.body.Resources.map((u) => u.id)).toEqual(all.body.Resources.slice(1, 3).map((u) => u.id));
    for (const user of page.body.Resources)
      expect(Object.keys(user).sort()).toEqual(expect.arrayContaining(['id', 'schemas', 'userName']));
    expect(page.body.Resources.every((u) => u.title === undefined && u.meta === undefined)).toBe(true);
    const one = await world.scim<User>('GET', `/Users/${all.body.Resources[0]!.id}?excludedAttributes=emails,name`);
    expect(one.body).not.toHaveProperty('emails');
    expect(one.body).not.toHaveProperty('name');
    expect(one.body.id).toBe(all.body.Resources[0]!.id);
  });

  it('honours If-Match: a stale version is 412 and changes nothing', async () => {
    const user = (await world.scim<User>('POST', '/Users', entraUser('hal.etag@contoso.com'))).body;
    const stale = await world.scim(
      'PATCH',
      `/Users/${user.id}`,
      patchOp({ op: 'Replace', path: 'title', value: 'X' }),
      {
        'If-Match': 'W/"not-the-version"',
      },
    );
    ScimWorld.expectError(stale, 412);
    const fresh = await world.scim<User>(
      'PATCH',
      `/Users/${user.id}`,
      patchOp({ op: 'Replace', path: 'title', value: 'Y' }),
      {
        'If-Match': user.meta.version,
      },
    );
    expect([fresh.status, fresh.body.title]).toEqual([200, 'Y']);
    expect(fresh.body.meta.version).not.toBe(user.meta.version);
  });

  it('applies concurrent PATCHes of one user one after the other, each recorded once', async () => {
    // A PATCH writes only if the user is as it read it, else plans again under a row lock.
    const user = (await world.scim<User>('POST', '/Users', entraUser('paula.parallel@contoso.com'))).body;
    const titles = Array.from({ length: 8 }, (_, i) => `Title ${i}`);
    const answers = await Promise.all(
      titles.map((value) =>
        world.scim<User>('PATCH', `/Users/${user.id}`, patchOp({ op: 'Replace', path: 'title', value })),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(titles.map(() => 200));
    const final = (await world.scim<User>('GET', `/Users/${user.id}`)).body;
    expect(titles).toContain(final.title);
    const runs = await world.admin<{ items: Array<{ id: string; trigger: string }> }>('/api/admin/sync/runs');
    const day = runs.items.find((r) => r.trigger === 'scim')!;
    const outcomes = await world.admin<{
      items: Array<{ email: string; outcome: string; changes: Array<{ field: string; old: unknown; new: unknown }> }>;
    }>(`/api/admin/sync/runs/${day.id}/outcomes?limit=1000`);
    const mine = outcomes.items.filter((o) => o.email === 'paula.parallel@contoso.com' && o.outcome === 'updated');
    const changes = mine.flatMap((o) => o.changes.filter((c) => c.field === 'jobTitle'));
    // Every PATCH changed the title once, each from what the one before it left: no update was lost
    // (two writes from the same read would both start from the same title).
    expect(changes.map((c) => c.new).sort()).toEqual([...titles].sort());
    const starts = changes.map((c) => c.old);
    expect(new Set(starts).size).toBe(titles.length);
    expect(starts.filter((old) => !titles.includes(old as string))).toEqual(['Engineer']);
  });

  it("takes Entra's older documented create (nulls, a misspelled URN) and the e-mail and manager forms left: (a), (h'), (i) with an empty string", async () => {
    // The older "Create User" example of the Learn tutorial: null values at the top level (absent) and
    // the enterprise URN without its last colon (tolerated, never refused); the office in
    // addresses[type eq "work"].formatted (docs/rules.md 7.2).
    const created = await world.scim<User>('POST', '/Users', {
      schemas: [USER_SCHEMA, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User'],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'ivy.older@contoso.com',
      active: true,
      displayName: 'Ivy Older',
      emails: [{ primary: true, type: 'work', value: 'ivy.older@contoso.com' }],
      name: { formatted: 'Ivy Older', familyName: 'Older', givenName: 'Ivy' },
      addresses: [{ type: 'work', locality: 'Berlin', formatted: 'Building 5' }],
      phoneNumbers: null,
      title: null,
      meta: { resourceType: 'User' },
      roles: [],
    });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('title');
    expect(created.body).not.toHaveProperty('phoneNumbers');
    expect((await hrUser('ivy.older@contoso.com'))[0]).toMatchObject({ officeLocation: 'Building 5', city: 'Berlin' });
    const id = created.body.id;
    const patch = async (...operations: unknown[]) => {
      const res = await world.scim<User>('PATCH', `/Users/${id}`, patchOp(...operations));
      expect(res.status).toBe(200);
      return res.body;
    };

    // (a) the work e-mail through a typed path: the element's value changes, and a filter finds it.
    const mailed = await patch({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'ivy.new@contoso.com' });
    expect(mailed.emails).toEqual([{ primary: true, type: 'work', value: 'ivy.new@contoso.com' }]);
    const byMail = await world.scim<List>(
      'GET',
      `/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "IVY.NEW@contoso.com"')}`,
    );
    expect(byMail.body.Resources.map((u) => u.id)).toEqual([id]);
    // HR's login is not rewritten (rules 2.2, 7.4).
    expect(await hrUser('ivy.older@contoso.com')).toEqual([expect.objectContaining({ id })]);
    // (a) with Add on a user that has no work e-mail creates the element.
    const bare = (
      await world.scim<User>('POST', '/Users', entraUser('jon.nomail@contoso.com', { emails: [], externalId: 'jon' }))
    ).body;
    const added = await world.scim<User>(
      'PATCH',
      `/Users/${bare.id}`,
      patchOp({ op: 'Add', path: 'emails[type eq "work"].value', value: 'jon.nomail@contoso.com' }),
    );
    // Its only e-mail, and the HR user's: marked primary as Entra marks the work e-mail.
    expect([added.status, added.body.emails]).toEqual([
      200,
      [{ primary: true, type: 'work', value: 'jon.nomail@contoso.com' }],
    ]);

    // (h') the manager as a one-element list, without the URN, then (i) cleared with an empty string.
    const boss = (await world.scim<User>('POST', '/Users', entraUser('kim.boss@contoso.com'))).body;
    const managed = await patch({
      op: 'Add',
      path: 'manager',
      value: [{ $ref: boss.meta.location, value: boss.id }],
    });
    expect((managed[ENTERPRISE] as { manager: { value: string } }).manager.value).toBe(boss.id);
    expect((await hrUser('ivy.older@contoso.com'))[0]).toMatchObject({ managerId: boss.id });
    const cleared = await patch({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: '' });
    expect(cleared[ENTERPRISE] ?? {}).not.toHaveProperty('manager');
    expect((await hrUser('ivy.older@contoso.com'))[0]).toMatchObject({ managerId: null });
  });

  it('replaces a user with PUT (the reference Postman collection): the resource as sent, the HR fields with it', async () => {
    const user = (await world.scim<User>('POST', '/Users', entraUser('liv.put@contoso.com'))).body;
    const { id: _id, meta: _meta, ...rest } = user;
    const replaced = await world.scim<User>('PUT', `/Users/${user.id}`, {
      ...rest,
      schemas: [USER_SCHEMA, ENTERPRISE],
      title: 'Director',
      name: { formatted: 'NewName', givenName: 'Liv', familyName: 'Putnam' },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: user.id, title: 'Director', name: { formatted: 'NewName' } });
    expect(replaced.body.meta.version).not.toBe(user.meta.version);
    expect((await world.scim<User>('GET', `/Users/${user.id}`)).body).toEqual(replaced.body);
    expect((await hrUser('liv.put@contoso.com'))[0]).toMatchObject({ jobTitle: 'Director', lastName: 'Putnam' });
    // A PUT is the whole resource: one without userName is bad input and changes nothing.
    const { userName: _userName, ...noName } = rest;
    ScimWorld.expectError(await world.scim('PUT', `/Users/${user.id}`, { ...noName, title: 'X' }), 400, 'invalidValue');
    expect((await world.scim<User>('GET', `/Users/${user.id}`)).body).toEqual(replaced.body);
  });

  it('records every change in the run history, one run of trigger scim per day', async () => {
    const runs = await world.admin<{
      items: Array<{ id: string; trigger: string; status: string; counts: Record<string, number> }>;
    }>('/api/admin/sync/runs');
    const day = runs.items.filter((r) => r.trigger === 'scim');
    expect(day).toHaveLength(1);
    expect(day[0]!.counts).toMatchObject({ created: expect.any(Number), deactivated: expect.any(Number) });
    expect(day[0]!.counts.created).toBeGreaterThanOrEqual(7);
    const outcomes = await world.admin<{
      items: Array<{ email: string; outcome: string; changes: Array<{ field: string }> }>;
    }>(`/api/admin/sync/runs/${day[0]!.id}/outcomes?limit=1000`);
    const alice = outcomes.items.filter((o) => o.email === 'alice.doe@contoso.com').map((o) => o.outcome);
    expect(alice).toEqual(['created', 'updated', 'deactivated']);
    expect(
      outcomes.items.find((o) => o.email === 'carl.gone@contoso.com' && o.outcome === 'deactivated'),
    ).toBeDefined();
  });
});
