import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { EmulatorControlClient } from '../../../src/emulator/control-client.js';
import { GraphCaller, startTrusted } from './emulator-harness.js';
import type { RunningEmulator } from './emulator-harness.js';

/** The HTTP control API, driven the way a benchmark in another process drives it. */
describe('EmulatorControlClient over /_control', () => {
  let emulator: RunningEmulator;
  let control: EmulatorControlClient;
  let graph: GraphCaller;

  beforeAll(async () => {
    emulator = await startTrusted();
    control = new EmulatorControlClient(emulator.url, emulator.caCertPem);
    graph = await GraphCaller.create(emulator);
  });
  afterAll(() => emulator.close());

  it('starts with an empty tenant and resets to a seeded one', async () => {
    expect((await control.summary()).users).toBe(0);
    const summary = await control.reset({ users: 60, seed: 9 });
    expect(summary.users).toBe(60);
    expect(summary.groups.map((g) => g.displayName)).toEqual(
      expect.arrayContaining(['All Staff', 'HR', 'Managers', 'Employee']),
    );
    expect((await graph.get('/users/$count', { ConsistencyLevel: 'eventual' })).body).toBe('60');
  });

  it('creates, updates, disables, deletes and restores users seen by Graph', async () => {
    const manager = await control.createUser({
      displayName: 'Grace Hopper',
      userPrincipalName: 'grace@contoso.com',
      jobTitle: 'Admiral',
    });
    const user = await control.createUser({
      displayName: 'Ada Lovelace',
      userPrincipalName: 'ada@fabrikam.com',
      managerId: manager.id,
    });
    expect((await graph.get(`/users/${user.id}/manager?$select=id`)).body.id).toBe(manager.id);
    expect(await control.updateUser(user.id, { jobTitle: 'Analyst', department: 'Research' })).toEqual([
      'jobTitle',
      'department',
    ]);
    await control.disableUser(user.id);
    expect((await graph.get(`/users/${user.id}?$select=accountEnabled`)).body.accountEnabled).toBe(false);
    await control.deleteUser(user.id);
    expect((await control.getUser(user.id))?.deleted).toBe(true);
    await control.restoreUser(user.id);
    expect((await graph.get(`/users/${user.id}`)).status).toBe(200);
    await control.deleteUser(user.id, { hard: true });
    expect(await control.getUser(user.id)).toBeNull();
  });

  it('builds groups with users, nested groups and devices', async () => {
    const device = await control.createDirectoryObject({ type: 'device', displayName: 'LAPTOP-1' });
    const inner = await control.createGroup({ displayName: 'Inner' });
    const outer = await control.createGroup({ displayName: 'Outer', members: [inner.id, device.id] });
    const someone = await control.createUser({ displayName: 'Member One' });
    await control.addMember(inner.id, someone.id);
    const transitive = (await graph.get(`/groups/${outer.id}/transitiveMembers?$select=id`)).body.value.map(
      (m: { id: string }) => m.id,
    );
    expect(transitive.sort()).toEqual([inner.id, device.id, someone.id].sort());
    await control.removeMember(inner.id, someone.id);
    expect((await graph.get(`/groups/${inner.id}/members`)).body.value).toEqual([]);
  });

  it('sets photos, sync state, faults, latency, settings and time', async () => {
    const user = await control.createUser({ displayName: 'Photo Person' });
    await control.setPhoto(user.id, { base64: Buffer.from([0xff, 0xd8, 0xff, 0xd9]).toString('base64') });
    expect((await graph.get(`/users/${user.id}/photo/$value`)).status).toBe(200);
    await control.markSynced(user.id);
    expect((await graph.send('PATCH', `/users/${user.id}`, { jobTitle: 'x' })).status).toBe(400);
    await control.addFault({ kind: 'unavailable', path: '/users', count: 1 });
    expect(await control.listFaults()).toHaveLength(1);
    await control.clearFaults();
    await control.setLatency([{ ms: 1, path: '/groups' }]);
    await control.setSettings({ syncedManagerWritable: true });
    const { now } = await control.advanceTime(1000);
    expect(now).toBeGreaterThan(Date.now());
    await control.expireDeltaTokens();
    expect((await control.stats()).total).toBeGreaterThan(0);
  });
});
