import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import type { ConnectionTestResult } from '../../../src/gateways/graph/index.js';
import { gatewayOptions, startTrustedEmulator, type RunningEmulator, openGateways } from './graph-emulator.harness.js';

const ALL_ROLES = [
  'User.Read.All',
  'Group.Read.All',
  'GroupMember.Read.All',
  'User.ReadWrite.All',
  'Calendars.ReadWrite',
];
const READ_FEATURES = { writeBack: false, createUsers: false, calendars: false };
const ALL_FEATURES = { writeBack: true, createUsers: false, calendars: true };
const WRONG_SECRET = 'not-the-secret-7f3a';

let emulator: RunningEmulator;
let hrGroupId: string;
let certificate: { thumbprintSha256: string; privateKeyPem: string };

beforeAll(async () => {
  const pems = await generate([{ name: 'commonName', value: 'hr-connector' }], { keySize: 2048, algorithm: 'sha256' });
  const thumbprintSha256 = new X509Certificate(pems.cert).fingerprint256.replace(/:/g, '');
  certificate = { thumbprintSha256, privateKeyPem: pems.private };
  emulator = await startTrustedEmulator({
    seed: { users: 40, seed: 3 },
    quota: false,
    clients: [
      { clientId: 'demo-client-id', clientSecret: 'demo-client-secret', roles: ALL_ROLES },
      {
        clientId: 'cert-client-id',
        certificateThumbprintSha256: thumbprintSha256,
        certificatePem: pems.cert,
        roles: ALL_ROLES,
      },
    ],
  });
  hrGroupId = (await emulator.control.findGroup('HR'))!.id;
});
afterAll(async () => {
  await emulator?.close();
});
afterEach(async () => {
  await emulator.control.setClientRoles('demo-client-id', ALL_ROLES);
});

function expectNoSecret(result: ConnectionTestResult): void {
  expect(JSON.stringify(result)).not.toContain(WRONG_SECRET);
  expect(JSON.stringify(result)).not.toContain('demo-client-secret');
}

describe('testConnection', () => {
  it('passes with every permission granted, probing users, groups and a synced group', async () => {
    const gateway = openGateways(gatewayOptions(emulator));
    const result = await gateway.tester.testConnection(ALL_FEATURES, [hrGroupId]);
    expect(result).toMatchObject({
      ok: true,
      credentials: { ok: true },
      missingPermissions: [],
      problems: [],
      warnings: [],
    });
    expect(result.probes.map((probe) => [probe.name, probe.ok])).toEqual([
      ['list-users', true],
      ['list-groups', true],
      ['list-group-members', true],
    ]);
    expectNoSecret(result);
  });

  it('names the permission an admin withdrew, from a new token, and the probe Graph refused', async () => {
    const gateway = openGateways(gatewayOptions(emulator));
    expect((await gateway.tester.testConnection(READ_FEATURES, [hrGroupId])).ok).toBe(true);
    await emulator.control.setClientRoles('demo-client-id', ['User.Read.All', 'GroupMember.Read.All']);
    const result = await gateway.tester.testConnection(READ_FEATURES, [hrGroupId]);
    expect(result.ok).toBe(false);
    expect(result.missingPermissions).toEqual(['Group.Read.All']);
    expect(result.grantedPermissions).toEqual(['GroupMember.Read.All', 'User.Read.All']);
    const failed = result.probes.filter((probe) => !probe.ok);
    expect(failed).toEqual([
      expect.objectContaining({
        name: 'list-groups',
        status: 403,
        code: 'Authorization_RequestDenied',
        permission: 'Group.Read.All',
      }),
    ]);
    expect(result.problems).toEqual([
      'The app lacks the application permission Group.Read.All (grant it and give admin consent).',
      'GET /groups was refused (Authorization_RequestDenied): the app needs Group.Read.All.',
    ]);
  });

  it('asks for User.ReadWrite.All only when write-back is on; a higher permission satisfies a lower one', async () => {
    await emulator.control.setClientRoles('demo-client-id', ['Directory.Read.All']);
    const gateway = openGateways(gatewayOptions(emulator));
    expect((await gateway.tester.testConnection(READ_FEATURES, [hrGroupId])).missingPermissions).toEqual([]);
    expect(
      (await gateway.tester.testConnection({ writeBack: true, createUsers: false, calendars: true }, [hrGroupId]))
        .missingPermissions,
    ).toEqual(['User.ReadWrite.All', 'Calendars.ReadWrite']);
  });

  it('names a wrong secret plainly and never repeats it', async () => {
    const gateway = openGateways(
      gatewayOptions(emulator, { credential: { kind: 'secret', clientSecret: WRONG_SECRET } }),
    );
    const result = await gateway.tester.testConnection(READ_FEATURES, [hrGroupId]);
    expect(result.credentials).toEqual({
      ok: false,
      failure: 'secret-invalid',
      code: 'AADSTS7000215',
      message: "The client secret is wrong (AADSTS7000215). Enter the secret's value, not its ID.",
    });
    expect(result.probes).toEqual([]);
    expectNoSecret(result);
  });

  it('names an unknown client and an unknown tenant', async () => {
    const unknownClient = openGateways(gatewayOptions(emulator, { clientId: '11111111-2222-4333-8444-555555555555' }));
    expect((await unknownClient.tester.testConnection(READ_FEATURES, [])).credentials).toMatchObject({
      ok: false,
      failure: 'client-not-found',
      code: 'AADSTS700016',
    });
    const unknownTenant = openGateways(gatewayOptions(emulator, { tenantId: '99999999-2222-4333-8444-555555555555' }));
    expect((await unknownTenant.tester.testConnection(READ_FEATURES, [])).credentials).toMatchObject({
      ok: false,
      failure: 'tenant-not-found',
      code: 'AADSTS90002',
    });
  });

  it('warns about a client secret expiring within 30 days', async () => {
    const now = Date.parse('2026-03-01T00:00:00Z');
    const gateway = openGateways(gatewayOptions(emulator, { now: () => now }));
    const soon = await gateway.tester.testConnection(READ_FEATURES, [hrGroupId], new Date('2026-03-20T00:00:00Z'));
    expect(soon.warnings).toEqual([
      'The client secret expires on 2026-03-20, in 19 day(s). Create a new one before then.',
    ]);
    expect(soon.ok).toBe(true);
    expect(
      (await gateway.tester.testConnection(READ_FEATURES, [hrGroupId], new Date('2026-06-01T00:00:00Z'))).warnings,
    ).toEqual([]);
  });

  it('signs in with a certificate instead of a secret', async () => {
    const gateway = openGateways(
      gatewayOptions(emulator, { clientId: 'cert-client-id', credential: { kind: 'certificate', ...certificate } }),
    );
    expect((await gateway.tester.testConnection(ALL_FEATURES, [hrGroupId])).ok).toBe(true);
  });

  it('fails Graph calls with a classified auth error when the secret is wrong', async () => {
    const gateway = openGateways(
      gatewayOptions(emulator, { credential: { kind: 'secret', clientSecret: WRONG_SECRET } }),
    );
    const error = await gateway.users.getUser('x', []).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth-failed', authFailure: 'secret-invalid', code: 'AADSTS7000215' });
    expect(String(error)).not.toContain(WRONG_SECRET);
  });
});
