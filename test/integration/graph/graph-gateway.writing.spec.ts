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

let emulator: RunningEmulator;
let gateway: GraphGateways;
let users: GraphUserRecord[];

beforeAll(async () => {
  emulator = await startTrustedEmulator({ seed: { users: 30, seed: 5 }, quota: false });
  gateway = openGateways(gatewayOptions(emulator));
  users = (await collect(gateway.users.listUsers(['userPrincipalName'], { top: 30 }))).flat();
});
afterAll(async () => {
  await emulator?.close();
});

describe('GraphUserWritesGateway (for write-back)', () => {
  it('updates only the given properties', async () => {
    const id = users[0]!.id;
    await gateway.writes.updateUser(id, { jobTitle: 'Payroll Lead', department: 'Finance' });
    expect((await gateway.users.getUser(id, ['jobTitle', 'department'])).properties).toEqual({
      jobTitle: 'Payroll Lead',
      department: 'Finance',
    });
  });

  it('names a refused PATCH on a synced user on-premises-mastered (from the flag, not the text)', async () => {
    const id = users[1]!.id;
    await emulator.control.markSynced(id, true);
    await expect(
      gateway.writes.updateUser(id, { employeeId: 'E-1' }, { onPremisesSynced: true }),
    ).rejects.toMatchObject({
      kind: 'on-premises-mastered',
      status: 400,
      code: 'Request_BadRequest',
    });
  });

  it('creates and deletes a user, deleting twice is not an error', async () => {
    const domain = users[0]!.properties.userPrincipalName!.toString().split('@')[1];
    const created = await gateway.writes.createUser({
      accountEnabled: true,
      displayName: 'Nora Newhire',
      mailNickname: 'nora.newhire',
      userPrincipalName: `nora.newhire@${domain}`,
      passwordProfile: { password: 'Xy9!long-enough-pass', forceChangePasswordNextSignIn: true },
    });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.properties.displayName).toBe('Nora Newhire');
    await gateway.writes.deleteUser(created.id);
    await expect(gateway.users.getUser(created.id, [])).rejects.toMatchObject({ kind: 'not-found' });
    await expect(gateway.writes.deleteUser(created.id)).resolves.toBeUndefined();
  });

  it('a duplicate UPN is a bad request', async () => {
    await expect(
      gateway.writes.createUser({
        accountEnabled: true,
        displayName: 'Dup',
        mailNickname: 'dup',
        userPrincipalName: String(users[2]!.properties.userPrincipalName),
        passwordProfile: { password: 'Xy9!long-enough-pass' },
      }),
    ).rejects.toMatchObject({ kind: 'bad-request', status: 400 });
  });

  it('sets and removes a manager; removing an absent manager is not an error', async () => {
    const [user, manager] = [users[3]!.id, users[4]!.id];
    await gateway.writes.setManager(user, manager);
    expect(await gateway.users.getManager(user)).toEqual({ id: manager, type: 'user' });
    await gateway.writes.setManager(user, null);
    expect(await gateway.users.getManager(user)).toBeNull();
    await expect(gateway.writes.setManager(user, null)).resolves.toBeUndefined();
  });

  it('names the missing permission when writes are not granted', async () => {
    await emulator.control.setClientRoles('demo-client-id', [
      'User.Read.All',
      'Group.Read.All',
      'GroupMember.Read.All',
    ]);
    try {
      const readOnly = openGateways(gatewayOptions(emulator));
      await expect(readOnly.writes.updateUser(users[5]!.id, { jobTitle: 'x' })).rejects.toMatchObject({
        kind: 'permission-missing',
        status: 403,
        missingPermission: 'User.ReadWrite.All',
      });
    } finally {
      await emulator.control.setClientRoles('demo-client-id', [
        'User.Read.All',
        'Group.Read.All',
        'GroupMember.Read.All',
        'User.ReadWrite.All',
        'Calendars.ReadWrite',
      ]);
    }
  });
});
