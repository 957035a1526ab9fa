import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { GraphUserRecord } from '../../../src/gateways/graph/index.js';
import {
  collect,
  gatewayOptions,
  startTrustedEmulator,
  type RunningEmulator,
  openGateways,
  type GraphGateways,
} from './graph-emulator.harness.js';

const USERS = 120;
let emulator: RunningEmulator;
let gateway: GraphGateways;

beforeAll(async () => {
  emulator = await startTrustedEmulator({ seed: { users: USERS, seed: 7 }, quota: false });
  gateway = openGateways(gatewayOptions(emulator));
});
afterAll(async () => {
  await emulator?.close();
});

describe('Graph gateways reading from the emulator (configured by options only)', () => {
  it('gets an MSAL token from the settings and pages through every user once, with $select', async () => {
    const pages = await collect(gateway.users.listUsers(['displayName', 'employeeId'], { top: 25 }));
    const users = pages.flat();
    expect(pages.map((page) => page.length)).toEqual([25, 25, 25, 25, 20]);
    expect(new Set(users.map((user) => user.id)).size).toBe(USERS);
    expect(Object.keys(users[0]?.properties ?? {}).sort()).toEqual(['displayName', 'employeeId']);
  });

  it('lists groups, searches them, and reads chosen groups by id', async () => {
    const all = (await collect(gateway.groups.listGroups())).flat();
    const hr = all.find((group) => group.displayName === 'HR');
    expect(hr).toMatchObject({ securityEnabled: true, groupTypes: [] });
    const found = (await collect(gateway.groups.listGroups({ search: 'HR Admins' }))).flat();
    expect(found.map((group) => group.displayName)).toContain('HR Admins');
    const chosen = await gateway.groups.getGroups([hr!.id, '00000000-0000-4000-8000-000000000000']);
    expect(chosen.map((group) => group.id)).toEqual([hr!.id]);
  });

  it('lists users only among direct and transitive members', async () => {
    const hr = await emulator.control.findGroup('HR');
    const direct = (await collect(gateway.groups.listDirectUserMembers(hr!.id, ['displayName']))).flat();
    const transitive = (await collect(gateway.groups.listTransitiveUserMembers(hr!.id, ['displayName']))).flat();
    expect(direct.length).toBeGreaterThan(0);
    // HR holds a nested group and a service principal: neither is listed as a user.
    expect(direct.length).toBe(hr!.members - 2);
    expect(new Set(transitive.map((user) => user.id))).toEqual(new Set(direct.map((user) => user.id)));
  });

  it("counts each group's users, nested groups followed, in one $batch call per 20 groups; an unknown group is left out", async () => {
    const all = (await collect(gateway.groups.listGroups())).flat();
    const hr = all.find((group) => group.displayName === 'HR')!;
    const users = (await collect(gateway.groups.listTransitiveUserMembers(hr.id, []))).flat().length;
    // Groups that do not exist (gone since the listing) fill the list past one call of 20.
    const gone = Array.from(
      { length: 10 },
      (_, i) => `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`,
    );
    const ids = [...all.slice(0, 24).map((group) => group.id.toUpperCase()), hr.id, ...gone];
    const expected = new Map<string, number>();
    for (const group of all.slice(0, 24))
      expected.set(
        group.id.toLowerCase(),
        (await collect(gateway.groups.listTransitiveUserMembers(group.id, []))).flat().length,
      );
    await emulator.control.resetStats();
    const counts = await gateway.groups.userCounts(ids);
    expect(counts.get(hr.id.toLowerCase())).toBe(users);
    expect(gone.filter((id) => counts.has(id))).toEqual([]);
    expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(expected.set(hr.id.toLowerCase(), users)));
    const unique = new Set(ids.map((id) => id.toLowerCase())).size;
    expect(unique).toBeGreaterThan(20);
    expect((await emulator.control.stats()).httpRequests).toBe(Math.ceil(unique / 20));
  });

  it('reads a user, the manager (null when none) and the photo (null when none)', async () => {
    const [first] = (await collect(gateway.users.listUsers(['displayName'], { top: 5 })))[0] as GraphUserRecord[];
    const user = await gateway.users.getUser(first!.id, ['displayName', 'department']);
    expect(user.id).toBe(first!.id);
    expect(Object.keys(user.properties).sort()).toEqual(['department', 'displayName']);
    await emulator.control.setManager(first!.id, null);
    expect(await gateway.users.getManager(first!.id)).toBeNull();
    const other = (await collect(gateway.users.listUsers([], { top: 2 })))[0]![1]!;
    await emulator.control.setManager(first!.id, other.id);
    expect(await gateway.users.getManager(first!.id)).toEqual({ id: other.id, type: 'user' });
    await emulator.control.setPhoto(first!.id, null);
    expect(await gateway.users.getPhoto(first!.id)).toBeNull();
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
    await emulator.control.setPhoto(first!.id, { base64: jpeg.toString('base64'), contentType: 'image/jpeg' });
    expect(await gateway.users.getPhoto(first!.id)).toEqual({ bytes: new Uint8Array(jpeg), contentType: 'image/jpeg' });
  });

  it('throws not-found for an unknown user', async () => {
    await expect(gateway.users.getUser('00000000-0000-4000-8000-000000000001', ['displayName'])).rejects.toMatchObject({
      kind: 'not-found',
      status: 404,
    });
  });
});

describe('delta rounds', () => {
  it('runs a full users round, then sees a change, a manager change and a removal from the deltaLink', async () => {
    let cursor: string | null = null;
    const seen = new Set<string>();
    for await (const page of gateway.directory.readUsersDelta(null, ['displayName', 'jobTitle', 'manager'])) {
      for (const user of page.users) seen.add(user.id);
      cursor = page.cursor;
      if (page.done) expect(page.cursor).toContain('deltatoken');
    }
    expect(seen.size).toBe(USERS);

    const [a, b, c] = (await collect(gateway.users.listUsers([], { top: 3 })))[0]!;
    await emulator.control.updateUser(a!.id, { jobTitle: 'Chief Delta Officer' });
    await emulator.control.setManager(b!.id, a!.id);
    await emulator.control.deleteUser(c!.id);
    const changes = [];
    for await (const page of gateway.directory.readUsersDelta(cursor, [])) changes.push(...page.users);
    expect(changes.find((user) => user.id === a!.id)?.properties.jobTitle).toBe('Chief Delta Officer');
    expect(changes.find((user) => user.id === b!.id)?.managerId).toBe(a!.id);
    expect(changes.find((user) => user.id === c!.id)?.removed).toBe('changed');
  });

  it('rejects an expired cursor as cursor-invalid, so the engine restarts a full round', async () => {
    let cursor: string | null = null;
    for await (const page of gateway.directory.readUsersDelta(null, ['displayName'])) cursor = page.cursor;
    await emulator.control.expireDeltaTokens();
    const next = gateway.directory.readUsersDelta(cursor, ['displayName']).next();
    await expect(next).rejects.toMatchObject({ kind: 'cursor-invalid', status: 400, code: 'syncStateNotFound' });

    await emulator.control.setSettings({ deltaExpiredMode: '410' });
    await expect(gateway.directory.readUsersDelta(cursor, ['displayName']).next()).rejects.toMatchObject({
      kind: 'cursor-invalid',
    });
    await emulator.control.setSettings({ deltaExpiredMode: '400' });
  });

  it('reads group membership changes from groups delta', async () => {
    const hr = await emulator.control.findGroup('HR Admins');
    let cursor: string | null = null;
    let initial: { membersAdded: { id: string }[] } | undefined;
    for await (const page of gateway.directory.readGroupsDelta(null, { groupIds: [hr!.id] })) {
      initial ??= page.groups.find((group) => group.id === hr!.id);
      cursor = page.cursor;
    }
    expect(initial?.membersAdded).toHaveLength(3);
    const [user] = (await collect(gateway.users.listUsers([], { top: 1 })))[0]!;
    await emulator.control.addMember(hr!.id, user!.id);
    await emulator.control.removeMember(hr!.id, initial!.membersAdded[0]!.id);
    const groups = [];
    for await (const page of gateway.directory.readGroupsDelta(cursor)) groups.push(...page.groups);
    const change = groups.find((group) => group.id === hr!.id);
    expect(change?.membersAdded).toEqual([{ id: user!.id, type: 'user' }]);
    expect(change?.membersRemoved).toEqual([{ id: initial!.membersAdded[0]!.id, type: 'user' }]);
  });
});

describe('GraphDirectoryGateway as the inbound engine reads it', () => {
  it('reads one user with its manager, null for an unknown id, and accepts only cursors of its own host', async () => {
    const [a, b] = (await collect(gateway.users.listUsers([], { top: 2 })))[0]!;
    await emulator.control.setManager(a!.id, b!.id);
    expect(await gateway.directory.user(a!.id, ['displayName', 'manager'])).toEqual({
      id: a!.id,
      properties: { displayName: expect.any(String) },
      managerId: b!.id,
    });
    expect(await gateway.directory.user('00000000-0000-4000-8000-000000000001', ['displayName'])).toBeNull();
    let cursor = '';
    for await (const page of gateway.directory.userChanges(null, ['displayName'])) cursor = page.cursor;
    expect(gateway.directory.accepts(cursor)).toBe(true);
    expect(gateway.directory.accepts(cursor.replace(/^https:\/\/[^/]+/, 'https://graph.microsoft.com'))).toBe(false);
  });

  it('runs a full users round by listing: every user once with its manager, then the deltaLink taken first', async () => {
    // No slice of the user principal names holds this one: the id-only listing finds it, read alone.
    const odd = await emulator.control.createUser({ displayName: 'Odd Name', userPrincipalName: '$odd@contoso.com' });
    const [a, b] = (await collect(gateway.users.listUsers([], { top: 2 })))[0]!;
    await emulator.control.setManager(a!.id, b!.id);
    await emulator.control.resetStats();
    const pages = [];
    for await (const page of gateway.directory.userChanges(null, ['displayName', 'manager'])) {
      pages.push(page);
      // A change made while the round lists comes again from the round's deltaLink.
      if (pages.length === 1) await emulator.control.updateUser(b!.id, { displayName: 'Changed While Listing' });
    }
    const users = pages.flatMap((page) => page.items);
    const all = (await collect(gateway.users.listUsers(['displayName'], { top: 999 }))).flat();
    expect(new Set(users.map((user) => user.id))).toEqual(new Set(all.map((user) => user.id)));
    expect(users.find((user) => user.id === a!.id)?.managerId).toBe(b!.id);
    expect(users.find((user) => user.id === odd.id)).toMatchObject({ properties: { displayName: 'Odd Name' } });
    expect(pages.slice(0, -1).every((page) => !page.done && page.cursor.endsWith('#full-round-listing'))).toBe(true);
    const last = pages.at(-1)!;
    expect(last).toMatchObject({ items: [], done: true });
    expect(last.cursor).toMatch(/\/users\/delta\?\$deltatoken=/);
    const stats = await emulator.control.stats();
    // The latest cursor, the id-only listing, a slice per first character, the odd user alone.
    expect(stats.requests).toBeLessThan(60);
    const next = [];
    for await (const page of gateway.directory.userChanges(last.cursor, ['displayName', 'manager']))
      next.push(...page.items);
    expect(next.map((user) => [user.id, user.properties.displayName])).toContainEqual([b!.id, 'Changed While Listing']);
  });

  it('runs a full groups round by listing each group and its direct members, and resumes a listing', async () => {
    const hr = (await emulator.control.findGroup('HR'))!;
    const pages = [];
    for await (const page of gateway.directory.groupChanges(null)) pages.push(page);
    const listed = pages.flatMap((page) => page.items).filter((group) => group.id === hr.id);
    expect(listed[0]).toMatchObject({ displayName: 'HR' });
    const members = listed.flatMap((group) => group.membersAdded);
    expect(members).toHaveLength(hr.members);
    expect(new Set(members.map((m) => m.type))).toEqual(new Set(['user', 'group', 'other']));
    const deltaLink = pages.at(-1)!.cursor;
    expect(deltaLink).toMatch(/\/groups\/delta\?\$deltatoken=/);
    // A run stopped while listing resumes from its stored cursor: it lists again and ends on the same link.
    const resumed = [];
    for await (const page of gateway.directory.groupChanges(pages[0]!.cursor)) resumed.push(page);
    expect(resumed.at(-1)!.cursor).toBe(deltaLink);
    expect(
      resumed
        .flatMap((page) => page.items)
        .filter((g) => g.id === hr.id)
        .flatMap((g) => g.membersAdded),
    ).toHaveLength(hr.members);
  });
});
