import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GROUP_SCHEMA, LIST, ScimWorld, entraUser, patchOp } from './scim-support.js';

type Group = {
  id: string;
  displayName: string;
  externalId?: string;
  members?: Array<{ value: string; display?: string }>;
  meta: { version: string };
};
type List<T> = { totalResults: number; Resources: T[] };

const SALES_OBJECT_ID = '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159';
/** Microsoft's "Create Group" body, with the extra Microsoft schema URI Entra sends. */
const entraGroup = (displayName: string, externalId: string) => ({
  schemas: [GROUP_SCHEMA, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
  externalId,
  displayName,
  meta: { resourceType: 'Group' },
});

/**
 * Groups as Entra's provisioning service pushes them (Microsoft Learn, "Group Operations"):
 * matched on displayName, created empty, members added and removed by PATCH (both removal forms),
 * renamed, deleted; and group-to-role mappings that take effect for pushed groups (rules 5.1, 5.5).
 */
describe('SCIM Groups, as Entra provisions them', () => {
  let world: ScimWorld;
  let alice: string;
  let bob: string;
  let carol: string;
  beforeAll(async () => {
    world = await ScimWorld.start({ userSource: 'push' });
    const user = async (name: string) => (await world.scim<{ id: string }>('POST', '/Users', entraUser(name))).body.id;
    [alice, bob, carol] = [
      await user('alice.g@contoso.com'),
      await user('bob.g@contoso.com'),
      await user('carol.g@contoso.com'),
    ];
  });
  afterAll(async () => world?.close());

  const rolesOf = async (id: string) =>
    (await world.admin<{ roles: string[] }>(`/api/admin/users/${id}`)).roles.filter((r) => r !== 'Administrator');
  const membersOf = async (id: string) =>
    ((await world.scim<Group>('GET', `/Groups/${id}`)).body.members ?? []).map((m) => m.value).sort();

  it('match, create, add members, remove them both ways, rename, delete', async () => {
    const match = await world.scim<List<Group>>(
      'GET',
      `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Sales"')}`,
    );
    expect([match.status, match.body.totalResults]).toEqual([200, 0]);

    const created = await world.scim<Group>('POST', '/Groups', entraGroup('Sales', SALES_OBJECT_ID));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      schemas: [GROUP_SCHEMA],
      displayName: 'Sales',
      externalId: SALES_OBJECT_ID,
      members: [],
    });
    const id = created.body.id;

    const added = await world.scim(
      'PATCH',
      `/Groups/${id}`,
      patchOp({
        op: 'Add',
        path: 'members',
        value: [
          { $ref: null, value: alice },
          { $ref: null, value: bob },
          { $ref: null, value: carol },
        ],
      }),
    );
    expect([added.status, added.body]).toEqual([204, null]);
    expect(await membersOf(id)).toEqual([alice, bob, carol].sort());
    const read = await world.scim<Group>('GET', `/Groups/${id}`);
    expect(read.body.members!.find((m) => m.value === alice)).toMatchObject({
      display: 'alice g',
      $ref: expect.stringContaining(`/Users/${alice}`),
    });

    // Without the compliance flag: a value list removes only those.
    const removed = await world.scim(
      'PATCH',
      `/Groups/${id}`,
      patchOp({ op: 'Remove', path: 'members', value: [{ value: bob }] }),
    );
    expect([removed.status, removed.body]).toEqual([204, null]);
    expect(await membersOf(id)).toEqual([alice, carol].sort());
    // With aadOptscim062020: a filter path.
    const filtered = await world.scim(
      'PATCH',
      `/Groups/${id}`,
      patchOp({ op: 'remove', path: `members[value eq "${carol}"]` }),
    );
    expect([filtered.status, filtered.body]).toEqual([204, null]);
    expect(await membersOf(id)).toEqual([alice]);

    const renamed = await world.scim(
      'PATCH',
      `/Groups/${id}`,
      patchOp({ op: 'Replace', path: 'displayName', value: 'Sales EMEA' }),
    );
    expect(renamed.status).toBe(204);
    const excluded = await world.scim<Group>('GET', `/Groups/${id}?excludedAttributes=members`);
    expect(excluded.body).toMatchObject({ displayName: 'Sales EMEA' });
    expect(excluded.body).not.toHaveProperty('members');
    const byName = await world.scim<List<Group>>(
      'GET',
      `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "sales emea"')}`,
    );
    expect(byName.body.Resources.map((g) => g.id)).toEqual([id]);
    const byMember = await world.scim<List<Group>>(
      'GET',
      `/Groups?filter=${encodeURIComponent(`members[value eq "${alice}"]`)}`,
    );
    expect(byMember.body.Resources.map((g) => g.id)).toEqual([id]);

    ScimWorld.expectError(await world.scim('POST', '/Groups', entraGroup('SALES emea', 'other')), 409, 'uniqueness');
    ScimWorld.expectError(
      await world.scim(
        'PATCH',
        `/Groups/${id}`,
        patchOp({ op: 'Add', path: 'members', value: [{ value: '00000000-0000-4000-8000-000000000000' }] }),
      ),
      400,
      'invalidValue',
    );
    expect((await world.scim('DELETE', `/Groups/${id}`)).status).toBe(204);
    ScimWorld.expectError(await world.scim('GET', `/Groups/${id}`), 404);
    ScimWorld.expectError(await world.scim('DELETE', `/Groups/${id}`), 404);
  });

  it('a PUT sets name and members as sent; add of a present member and removal of an absent one change nothing', async () => {
    const group = (
      await world.scim<Group>('POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Ops',
        members: [{ value: alice }],
      })
    ).body;
    expect(group.members!.map((m) => m.value)).toEqual([alice]);
    const put = await world.scim<Group>('PUT', `/Groups/${group.id}`, {
      schemas: [GROUP_SCHEMA],
      displayName: 'Ops Team',
      members: [{ value: bob }, { value: carol }],
    });
    expect([put.status, put.body.displayName, put.body.members!.map((m) => m.value).sort()]).toEqual([
      200,
      'Ops Team',
      [bob, carol].sort(),
    ]);
    const before = (await world.scim<Group>('GET', `/Groups/${group.id}`)).body.meta.version;
    await world.scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchOp(
        { op: 'add', path: 'members', value: [{ value: bob }] },
        { op: 'remove', path: `members[value eq "${alice}"]` },
      ),
    );
    expect((await world.scim<Group>('GET', `/Groups/${group.id}`)).body.meta.version).toBe(before);
    // The reference collection's "remove path members": every member goes.
    const emptied = await world.scim('PATCH', `/Groups/${group.id}`, patchOp({ op: 'Remove', path: 'members' }));
    expect([emptied.status, emptied.body]).toEqual([204, null]);
    expect(await membersOf(group.id)).toEqual([]);
    const list = await world.scim<List<Group>>('GET', '/Groups');
    expect(list.body).toMatchObject({ schemas: [LIST], totalResults: 1 });
  });

  it('group-to-role mappings work for pushed groups: named by the Entra group id, at once for members old and new', async () => {
    await world.admin('/api/admin/settings', 'PATCH', { roleSync: true });
    const role = await world.admin<{ id: string }>('/api/admin/roles', 'POST', { name: 'Sales Staff' });
    const group = (await world.scim<Group>('POST', '/Groups', entraGroup('Sales DACH', SALES_OBJECT_ID.toUpperCase())))
      .body;
    await world.scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchOp({ op: 'Add', path: 'members', value: [{ value: alice }] }),
    );
    expect(await rolesOf(alice)).toEqual([]);

    // A mapping named by the Entra group's object id (the pushed group's externalId), with no Graph connection at all.
    await world.admin('/api/admin/role-mappings', 'POST', { groupId: SALES_OBJECT_ID, roleId: role.id });
    expect(await rolesOf(alice)).toEqual(['Sales Staff']);

    await world.scim('PATCH', `/Groups/${group.id}`, patchOp({ op: 'Add', path: 'members', value: [{ value: bob }] }));
    expect(await rolesOf(bob)).toEqual(['Sales Staff']);

    // Leaving the group keeps the role, as an ordinary one (rule 5.5 c).
    await world.scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchOp({ op: 'Remove', path: 'members', value: [{ value: bob }] }),
    );
    expect(await rolesOf(bob)).toEqual(['Sales Staff']);

    const runs = await world.admin<{ items: Array<{ id: string; trigger: string }> }>('/api/admin/sync/runs');
    const day = runs.items.find((r) => r.trigger === 'scim')!;
    const outcomes = await world.admin<{
      items: Array<{ hrUserId: string | null; changes: Array<{ field: string; old: unknown; new: unknown }> }>;
    }>(`/api/admin/sync/runs/${day.id}/outcomes?limit=1000`);
    expect(outcomes.items.filter((o) => o.hrUserId === bob).flatMap((o) => o.changes)).toEqual(
      expect.arrayContaining([
        { field: 'groups', old: null, new: 'Sales DACH' },
        { field: 'roles', old: null, new: 'Sales Staff' },
        { field: 'groups', old: 'Sales DACH', new: null },
      ]),
    );
  });
});
