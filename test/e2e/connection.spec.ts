import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { generate } from 'selfsigned';
import { loadConfig } from '../../src/config/config.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { selfSignedCertificate } from '../../src/emulator/core/tls-certificate.js';
import { startService, type RunningService } from '../../src/service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ADMIN_TOKEN } from '../support/service.js';

const CLIENT_ID = '3f1d2c4b-8a7e-4d21-9b0c-5e6f7a8b9c0d';
const CERT_CLIENT_ID = '9c8b7a6f-5e4d-4c3b-8a29-1f0e0d0c0b0a';
const SECRET = 'Recognisable~S3cret.4711-connection-spec';
const WRONG_SECRET = 'Wr0ng~Secret.0815-connection-spec';
const ALL_ROLES = [
  'User.Read.All',
  'Group.Read.All',
  'GroupMember.Read.All',
  'User.ReadWrite.All',
  'Calendars.ReadWrite',
];
const ENCRYPTION_KEY = 'ab'.repeat(32);

interface View {
  connected: boolean;
  source: string | null;
  tenantId: string | null;
  clientId: string | null;
  credentialKind: string | null;
  clientSecretExpiresAt: string | null;
  secretExpiryWarning: string | null;
  lastTestedAt: string | null;
}
interface TestResult {
  ok: boolean;
  requiredPermissions: string[];
  missingPermissions: string[];
  probes: Array<{ name: string; ok: boolean; status?: number; permission: string }>;
  credentialError?: { failure: string; code: string; message: string };
  warnings: string[];
}

let emulator: RunningEmulator;
let db: TestDatabase;
let caFile: string;
let dataDir: string;
let service: RunningService;
let groupId: string;
let certificate: { privateKeyPem: string; thumbprintSha256: string };
/** Every response body and log line of the file, searched for the secrets at the end. */
const bodies: string[] = [];
const logLines: string[] = [];

async function start(env: Record<string, string> = {}): Promise<RunningService> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'trace',
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    ADMIN_TOKEN,
    DEMO_MODE: 'off',
    JOB_POLL_INTERVAL: '1 second',
    RATE_LIMIT_PER_MINUTE: '100000',
    SHUTDOWN_TIMEOUT_MS: '5000',
    GRAPH_CA_CERT_FILE: caFile,
    ENCRYPTION_KEY,
    GRAPH_AUTHORITY_HOST: emulator.url,
    GRAPH_BASE_URL: emulator.url,
    ...env,
  });
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      logLines.push(chunk.toString());
      done();
    },
  });
  return startService(config, pino({ level: 'trace' }, sink));
}

async function api(
  path: string,
  init: { method?: string; json?: unknown } = {},
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${service.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(init.json === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

const connectionInput = (overrides: Record<string, unknown> = {}) => ({
  tenantId: emulator.tenantId,
  clientId: CLIENT_ID,
  clientSecret: SECRET,
  authorityHost: emulator.url,
  graphBaseUrl: emulator.url,
  ...overrides,
});
const putConnection = (overrides: Record<string, unknown> = {}) =>
  api('/api/admin/connection', { method: 'PUT', json: connectionInput(overrides) });
const testConnection = async () => {
  const res = await api('/api/admin/connection/test', { method: 'POST' });
  expect(res.status).toBe(200);
  return res.body as TestResult;
};
const getConnection = async () => (await api('/api/admin/connection')).body as View;
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function syncNow(): Promise<{ id: string; status: string; counts: Record<string, number> }> {
  const res = await api('/api/admin/sync/run', { method: 'POST', json: {} });
  expect(res.status).toBe(202);
  const { runId } = res.body as { runId: string };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const { body } = await api(`/api/admin/sync/runs/${runId}`);
    const run = body as { id: string; status: string; counts: Record<string, number> };
    if (run.status !== 'queued' && run.status !== 'running') return run;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the sync run did not finish within 60 s');
}

async function latestRunId(): Promise<string | undefined> {
  const { body } = await api('/api/admin/sync/runs?limit=1');
  return (body as { items: Array<{ id: string }> }).items[0]?.id;
}

async function hrUsers(): Promise<Array<{ email: string; active: boolean }>> {
  const { body } = await api('/api/admin/users?search=connspec');
  return (body as { items: Array<{ email: string; active: boolean }> }).items
    .map(({ email, active }) => ({ email, active }))
    .sort((a, b) => a.email.localeCompare(b.email));
}

async function auditCount(): Promise<number> {
  const [row] = await service.orm.em.fork().execute<Array<{ n: string }>>('select count(*) as n from audit_log');
  return Number(row!.n);
}

/** Newest first, through the admin API. */
async function auditRows(
  action: string,
): Promise<Array<{ actor_email: string | null; old_value: unknown; new_value: Record<string, unknown> }>> {
  const { body } = await api(`/api/admin/audit-log?action=${action}&limit=5`);
  return (
    body as { items: Array<{ actorEmail: string | null; oldValue: unknown; newValue: Record<string, unknown> }> }
  ).items.map((i) => ({ actor_email: i.actorEmail, old_value: i.oldValue, new_value: i.newValue }));
}

/** A second HTTPS server on port 0 playing the attacker: it counts connections and keeps every request. */
async function startAttacker(): Promise<{
  url: string;
  connections: number;
  requests: string[];
  close(): Promise<void>;
}> {
  const { certPem, keyPem } = await selfSignedCertificate();
  const state = { connections: 0, requests: [] as string[] };
  const server: HttpsServer = createHttpsServer({ cert: certPem, key: keyPem }, (req, res) => {
    let text = `${req.method} ${req.url}\n`;
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    req.on('end', () => {
      state.requests.push(text);
      res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"error":"invalid_request"}');
    });
  });
  server.on('connection', () => {
    state.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    get connections() {
      return state.connections;
    },
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function storedRow(): Promise<{ connected: boolean; credential_encrypted: string } | undefined> {
  return (
    await service.orm.em
      .fork()
      .execute<Array<{ connected: boolean; credential_encrypted: string }>>(
        'select connected, credential_encrypted from entra_connection where id = 1',
      )
  )[0];
}

beforeAll(async () => {
  const pems = await generate([{ name: 'commonName', value: 'hr-connector' }], { keySize: 2048, algorithm: 'sha256' });
  certificate = { privateKeyPem: pems.private, thumbprintSha256: new X509Certificate(pems.cert).fingerprint256 };
  emulator = await startEmulator({
    quota: false,
    seed: false,
    clients: [
      { clientId: CLIENT_ID, clientSecret: SECRET, roles: ALL_ROLES },
      {
        clientId: CERT_CLIENT_ID,
        certificateThumbprintSha256: certificate.thumbprintSha256.replace(/:/g, ''),
        certificatePem: pems.cert,
        roles: ALL_ROLES,
      },
    ],
  });
  dataDir = mkdtempSync(join(tmpdir(), 'ehc-connection-'));
  caFile = join(dataDir, 'emulator-ca.pem');
  writeFileSync(caFile, emulator.caCertPem);
  db = await createTestDatabase();
  const c = emulator.control;
  const ada = await c.createUser({
    displayName: 'Ada',
    givenName: 'Ada',
    surname: 'Connspec',
    mail: 'ada.connspec@contoso.com',
    userPrincipalName: 'ada.connspec@contoso.com',
    accountEnabled: true,
  });
  const bob = await c.createUser({
    displayName: 'Bob',
    givenName: 'Bob',
    surname: 'Connspec',
    mail: 'bob.connspec@contoso.com',
    userPrincipalName: 'bob.connspec@contoso.com',
    accountEnabled: true,
  });
  groupId = (await c.createGroup({ displayName: 'Connspec Staff', members: [ada.id, bob.id] })).id;
  service = await start();
});

afterAll(async () => {
  await service?.stop();
  await emulator?.close();
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Entra connection through the admin API', () => {
  it('starts disconnected when neither configuration nor a stored connection exists', async () => {
    expect(await getConnection()).toEqual({
      connected: false,
      source: null,
      tenantId: null,
      clientId: null,
      credentialKind: null,
      clientSecretExpiresAt: null,
      secretExpiryWarning: null,
      lastTestedAt: null,
    });
    expect((await api('/api/admin/connection/test', { method: 'POST' })).status).toBe(409);
  });

  it.each([
    ['a tenant that is neither GUID nor domain', { tenantId: 'not a tenant' }],
    ['a client id that is not a GUID', { clientId: 'demo-client-id' }],
    ['an http Graph host', { graphBaseUrl: 'http://graph.example.com' }],
    ['a Graph host with the version', { graphBaseUrl: 'https://graph.microsoft.com/v1.0' }],
    [
      'a secret and a certificate',
      { certificate: { privateKeyPem: '-----BEGIN PRIVATE KEY-----', thumbprintSha256: 'ab'.repeat(32) } },
    ],
    [
      'a certificate key that is not PEM',
      {
        clientSecret: undefined,
        certificate: { privateKeyPem: 'PRIVATE KEY nonsense', thumbprintSha256: 'ab'.repeat(32) },
      },
    ],
    ['no credential at all', { clientSecret: undefined }],
    ['an impossible expiry date', { clientSecretExpiresAt: '2026-02-30' }],
    ['an unknown field', { secret: SECRET }],
    ['the secret in the wrong field', { tenantId: SECRET }],
  ])('refuses %s with 400 and changes nothing', async (_name, overrides) => {
    const res = await putConnection(overrides);
    expect(res.status).toBe(400);
    expect((res.body as { code: string }).code).toBe('validation_failed');
    expect((await getConnection()).connected).toBe(false);
    expect(await storedRow()).toBeUndefined();
  });

  it('connects at once, stores the secret sealed and audits what was set, the secret only as "set"', async () => {
    const res = await putConnection({ clientSecretExpiresAt: daysFromNow(200) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      connected: true,
      source: 'admin',
      tenantId: emulator.tenantId,
      clientId: CLIENT_ID,
      credentialKind: 'secret',
      clientSecretExpiresAt: daysFromNow(200),
      secretExpiryWarning: null,
      lastTestedAt: null,
    });
    const row = await storedRow();
    expect(row?.connected).toBe(true);
    expect(row?.credential_encrypted).toMatch(/^v1:/);
    expect(row?.credential_encrypted).not.toContain(SECRET);
    const audit = await service.orm.em
      .fork()
      .execute<Array<{ old_value: unknown; new_value: Record<string, unknown> }>>(
        "select old_value, new_value from audit_log where action = 'entra-connection.set' order by id desc limit 1",
      );
    expect(audit[0]).toEqual({
      old_value: null,
      new_value: {
        tenantId: emulator.tenantId,
        clientId: CLIENT_ID,
        authorityHost: emulator.url,
        graphBaseUrl: emulator.url,
        credentialKind: 'secret',
        clientSecretExpiresAt: daysFromNow(200),
        connected: true,
        credential: 'set',
        changed: [
          'tenantId',
          'clientId',
          'authorityHost',
          'graphBaseUrl',
          'credentialKind',
          'clientSecretExpiresAt',
          'credential',
        ],
      },
    });

    expect((await api('/api/admin/synced-groups', { method: 'PUT', json: { groupIds: [groupId] } })).status).toBe(200);
    const run = await syncNow();
    expect(run).toMatchObject({ status: 'succeeded', counts: { created: 2, failed: 0 } });
  });

  it('test connection passes with every permission and records when it ran', async () => {
    const result = await testConnection();
    expect(result).toMatchObject({ ok: true, missingPermissions: [], warnings: [] });
    expect(result.probes.map((p) => [p.name, p.ok])).toEqual([
      ['list-users', true],
      ['list-groups', true],
      ['list-group-members', true],
    ]);
    expect((await getConnection()).lastTestedAt).not.toBeNull();
  });

  it('names the group permissions an admin withheld, and the probe Graph refused', async () => {
    await emulator.control.setClientRoles(CLIENT_ID, ['User.Read.All']);
    try {
      const result = await testConnection();
      expect(result.ok).toBe(false);
      expect(result.missingPermissions).toEqual(['Group.Read.All', 'GroupMember.Read.All']);
      expect(result.probes.find((p) => p.name === 'list-group-members')).toMatchObject({
        ok: false,
        status: 403,
        permission: 'GroupMember.Read.All',
      });
    } finally {
      await emulator.control.setClientRoles(CLIENT_ID, ALL_ROLES);
    }
  });

  it('asks for User.ReadWrite.All once write-back is on in the settings', async () => {
    const em = service.orm.em.fork();
    await em.execute('update integration_settings set write_back_update = true where id = 1');
    await emulator.control.setClientRoles(CLIENT_ID, ['User.Read.All', 'GroupMember.Read.All', 'Group.Read.All']);
    try {
      expect((await testConnection()).missingPermissions).toEqual(['User.ReadWrite.All']);
    } finally {
      await em.execute('update integration_settings set write_back_update = false where id = 1');
      await emulator.control.setClientRoles(CLIENT_ID, ALL_ROLES);
    }
  });

  it('asks for Domain.Read.All and GroupMember.ReadWrite.All once write-back of creations is on (rule 4.2)', async () => {
    const em = service.orm.em.fork();
    const granted = ['User.ReadWrite.All', 'Group.Read.All', 'GroupMember.Read.All'];
    await emulator.control.setClientRoles(CLIENT_ID, granted);
    try {
      expect((await testConnection()).missingPermissions).toEqual([]);
      await em.execute('update integration_settings set write_back_create = true where id = 1');
      const result = await testConnection();
      expect(result.requiredPermissions).toEqual(
        expect.arrayContaining(['Domain.Read.All', 'GroupMember.ReadWrite.All']),
      );
      expect(result.missingPermissions).toEqual(['Domain.Read.All', 'GroupMember.ReadWrite.All']);
    } finally {
      await em.execute('update integration_settings set write_back_create = false where id = 1');
      await emulator.control.setClientRoles(CLIENT_ID, ALL_ROLES);
    }
  });

  it('warns when the secret expires within 30 days, in the view and in the test', async () => {
    const res = await putConnection({ clientSecretExpiresAt: daysFromNow(10) });
    expect((res.body as View).secretExpiryWarning).toMatch(/expires on \d{4}-\d{2}-\d{2}, in 10 days/);
    const result = await testConnection();
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([expect.stringMatching(/in 10 day/)]);
  });

  it('keeps the stored secret when a change of the expiry date alone gives none (a host change needs it again: below)', async () => {
    const res = await putConnection({ clientSecret: undefined, clientSecretExpiresAt: daysFromNow(300) });
    expect(res.status).toBe(200);
    expect((res.body as View).secretExpiryWarning).toBeNull();
    expect((await testConnection()).ok).toBe(true);
  });

  it('names a wrong secret as a credential problem', async () => {
    expect((await putConnection({ clientSecret: WRONG_SECRET })).status).toBe(200);
    const result = await testConnection();
    expect(result.ok).toBe(false);
    expect(result.credentialError).toMatchObject({ failure: 'secret-invalid' });
    expect(`${result.credentialError!.code} ${result.credentialError!.message}`).toMatch(/7000215|invalid_client/);
    expect(result.probes).toEqual([]);
    expect((await putConnection()).status).toBe(200);
  });

  it('connects with a certificate, keeping the private key sealed and out of every answer', async () => {
    const res = await putConnection({ clientId: CERT_CLIENT_ID, clientSecret: undefined, certificate });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      connected: true,
      source: 'admin',
      clientId: CERT_CLIENT_ID,
      credentialKind: 'certificate',
      clientSecretExpiresAt: null,
    });
    expect((await testConnection()).ok).toBe(true);
    const [row] = await service.orm.em
      .fork()
      .execute<Array<{ credential_encrypted: string; certificate_thumbprint: string }>>(
        'select credential_encrypted, certificate_thumbprint from entra_connection where id = 1',
      );
    expect(row!.certificate_thumbprint).toBe(certificate.thumbprintSha256.replace(/:/g, '').toLowerCase());
    expect(row!.credential_encrypted).not.toContain('PRIVATE KEY');
    expect(bodies.join('\n')).not.toContain('PRIVATE KEY');
    // Back to the secret client: a stored credential is not carried over to another client id.
    expect((await putConnection({ clientSecret: undefined })).status).toBe(400);
    expect((await putConnection()).status).toBe(200);
  });

  it('never sends the stored secret to a host an API caller names: the attacker receives nothing', async () => {
    // The attacker's server presents a certificate the service trusts (the emulator's), so on a
    // service that let the host through, the token request with client_secret would arrive here.
    const attacker = await startAttacker();
    try {
      const before = await getConnection();
      const audits = await auditCount();
      for (const field of ['authorityHost', 'graphBaseUrl']) {
        const withoutSecret = await putConnection({ clientSecret: undefined, [field]: attacker.url });
        expect(withoutSecret.status).toBe(400);
        expect((withoutSecret.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain(
          `body.${field}`,
        );
        // Knowing the secret does not make another host acceptable either: only the configuration can.
        const withSecret = await putConnection({ [field]: attacker.url });
        expect(withSecret.status).toBe(400);
        expect((withSecret.body as { errors: Array<{ path: string }> }).errors).toEqual([
          { path: `body.${field}`, message: expect.stringMatching(/not a Microsoft cloud host/) },
        ]);
      }
      expect(await getConnection()).toEqual(before);
      expect(await auditCount()).toBe(audits);
      const result = await testConnection();
      expect(result.ok).toBe(true);
      expect(attacker.connections).toBe(0);
      expect(attacker.requests).toEqual([]);
      const [row] = await auditRows('entra-connection.test');
      expect(row).toMatchObject({
        actor_email: 'admin@localhost',
        new_value: { ok: true, source: 'admin', tenantId: emulator.tenantId },
      });
    } finally {
      await attacker.close();
    }
  });

  it.each([
    ['the tenant', { tenantId: 'fabrikam.onmicrosoft.com' }, 'tenantId'],
    ['the client id', { clientId: CERT_CLIENT_ID }, 'clientId'],
    [
      'the authority host, even to a Microsoft cloud',
      { authorityHost: 'https://login.microsoftonline.us' },
      'authorityHost',
    ],
    ['the Graph URL, even to a Microsoft cloud', { graphBaseUrl: 'https://graph.microsoft.us' }, 'graphBaseUrl'],
  ])('asks for the secret again when %s changes, and changes nothing without it', async (_what, change, field) => {
    const before = await getConnection();
    const audits = await auditCount();
    const res = await putConnection({ clientSecret: undefined, ...change });
    expect(res.status).toBe(400);
    expect((res.body as { errors: unknown[] }).errors).toEqual([
      { path: 'body.clientSecret', message: `required when ${field} changes` },
    ]);
    expect(await getConnection()).toEqual(before);
    expect(await auditCount()).toBe(audits);
    expect((await testConnection()).ok).toBe(true);
  });

  it('moves to another Microsoft cloud with the secret, and the audit row names the fields that changed', async () => {
    expect(
      (
        await putConnection({
          authorityHost: 'https://login.microsoftonline.us',
          graphBaseUrl: 'https://graph.microsoft.us',
        })
      ).status,
    ).toBe(200);
    const [row] = await auditRows('entra-connection.set');
    expect(row).toMatchObject({
      old_value: { authorityHost: emulator.url, graphBaseUrl: emulator.url, connected: true },
      new_value: {
        authorityHost: 'https://login.microsoftonline.us',
        graphBaseUrl: 'https://graph.microsoft.us',
        connected: true,
        credential: 'kept',
        changed: ['authorityHost', 'graphBaseUrl'],
      },
    });
    expect(JSON.stringify(row)).not.toContain(SECRET);
    // Back to the emulator: again a host change, again with the secret.
    expect((await putConnection({ clientSecret: undefined })).status).toBe(400);
    expect((await putConnection()).status).toBe(200);
    expect((await testConnection()).ok).toBe(true);
  });

  it('keeps the stored expiry date when the connection is sent again without one', async () => {
    expect((await putConnection({ clientSecretExpiresAt: daysFromNow(20) })).status).toBe(200);
    // Without the secret, and then with the same secret: the date belongs to that secret.
    expect((await putConnection({ clientSecret: undefined })).body).toMatchObject({
      clientSecretExpiresAt: daysFromNow(20),
      secretExpiryWarning: expect.stringMatching(/in 20 days/),
    });
    expect((await putConnection()).body).toMatchObject({ clientSecretExpiresAt: daysFromNow(20) });
    expect((await testConnection()).warnings).toEqual([expect.stringMatching(/in 20 day/)]);
    // null clears it; a different secret without a date has no known date.
    expect((await putConnection({ clientSecretExpiresAt: null })).body).toMatchObject({ clientSecretExpiresAt: null });
    expect((await putConnection({ clientSecretExpiresAt: daysFromNow(20) })).status).toBe(200);
    expect((await putConnection({ clientSecret: WRONG_SECRET })).body).toMatchObject({ clientSecretExpiresAt: null });
    const [row] = await auditRows('entra-connection.set');
    expect(row!.new_value).toMatchObject({ credential: 'replaced', changed: ['clientSecretExpiresAt', 'credential'] });
    expect((await putConnection()).status).toBe(200);
  });

  it('disconnects: a sync now is skipped, HR users stay as they were, the credential is erased', async () => {
    const before = await hrUsers();
    expect(before).toEqual([
      { email: 'ada.connspec@contoso.com', active: true },
      { email: 'bob.connspec@contoso.com', active: true },
    ]);
    const res = await api('/api/admin/connection', { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      connected: false,
      source: null,
      tenantId: emulator.tenantId,
      clientId: CLIENT_ID,
      credentialKind: null,
    });
    expect(await storedRow()).toEqual({ connected: false, credential_encrypted: '' });

    // While disconnected, Cy joins the synced group: nothing may arrive until a reconnect.
    const cy = await emulator.control.createUser({
      displayName: 'Cy',
      givenName: 'Cy',
      surname: 'Connspec',
      mail: 'cy.connspec@contoso.com',
      userPrincipalName: 'cy.connspec@contoso.com',
      accountEnabled: true,
    });
    await emulator.control.addMember(groupId, cy.id);

    const runBefore = await latestRunId();
    // "Sync now" is refused, saying why; no run is recorded.
    const refused = await api('/api/admin/sync/run', { method: 'POST', json: {} });
    expect(refused.status).toBe(409);
    expect((refused.body as { detail: string }).detail).toMatch(/No Entra connection/);
    expect(await latestRunId()).toBe(runBefore);
    expect(await hrUsers()).toEqual(before);
    expect((await api('/api/admin/connection/test', { method: 'POST' })).status).toBe(409);
    // The erased secret is not reused: reconnecting needs it again.
    expect((await putConnection({ clientSecret: undefined })).status).toBe(400);
  });

  it('reconnects, and the next sync brings what changed meanwhile', async () => {
    expect((await putConnection()).body).toMatchObject({ connected: true, source: 'admin' });
    const run = await syncNow();
    expect(run.status).toBe('succeeded');
    expect(run.counts).toMatchObject({ created: 1, deactivated: 0 });
  });

  it('connects the stored connection at start-up, and stays disconnected after a disconnect (no demo tenant)', async () => {
    await service.stop();
    service = await start({ DEMO_MODE: 'auto' });
    expect(await getConnection()).toMatchObject({ connected: true, source: 'admin', tenantId: emulator.tenantId });
    expect((await testConnection()).ok).toBe(true);
    expect((await api('/api/admin/connection', { method: 'DELETE' })).status).toBe(200);
    await service.stop();
    service = await start({ DEMO_MODE: 'auto' });
    expect(await getConnection()).toMatchObject({ connected: false, source: null });
  });

  it('does not connect a stored connection whose host the configuration no longer names', async () => {
    await service.stop();
    service = await start({ DEMO_MODE: 'off' });
    expect((await putConnection()).status).toBe(200);
    await service.stop();
    service = await start({
      GRAPH_AUTHORITY_HOST: 'https://login.microsoftonline.com',
      GRAPH_BASE_URL: 'https://graph.microsoft.com',
    });
    expect(await getConnection()).toMatchObject({ connected: false, source: null });
    expect(logLines.join('\n')).toMatch(/a host the configuration no longer allows \(authorityHost, graphBaseUrl\)/);
    await service.stop();
    service = await start();
    expect(await getConnection()).toMatchObject({ connected: true, source: 'admin' });
  });

  it('lets configuration win: the API shows it and refuses to change it', async () => {
    await service.stop();
    service = await start({
      ENTRA_TENANT_ID: emulator.tenantId,
      ENTRA_CLIENT_ID: CLIENT_ID,
      ENTRA_CLIENT_SECRET: SECRET,
      GRAPH_AUTHORITY_HOST: emulator.url,
      GRAPH_BASE_URL: emulator.url,
      ENTRA_CLIENT_SECRET_EXPIRES_AT: daysFromNow(5),
    });
    const view = await getConnection();
    expect(view).toMatchObject({
      connected: true,
      source: 'configuration',
      credentialKind: 'secret',
      clientSecretExpiresAt: daysFromNow(5),
    });
    expect(view.secretExpiryWarning).toMatch(/in 5 days/);
    expect((await testConnection()).ok).toBe(true);
    expect((await getConnection()).lastTestedAt).not.toBeNull();
    expect((await putConnection()).status).toBe(409);
    expect((await api('/api/admin/connection', { method: 'DELETE' })).status).toBe(409);
  });

  it('never lets a secret reach a response, a log line or a stored column in clear', async () => {
    expect(bodies.length).toBeGreaterThan(20);
    for (const text of [...bodies, ...logLines]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(WRONG_SECRET);
      expect(text).not.toContain(certificate.privateKeyPem.split('\n')[1]);
    }
    const audit = await service.orm.em
      .fork()
      .execute<Array<{ row: string }>>(
        "select row_to_json(a)::text as row from audit_log a where action like 'entra-connection.%'",
      );
    expect(audit.length).toBeGreaterThanOrEqual(5);
    for (const { row } of audit) expect(row).not.toContain(SECRET);
    expect(logLines.length).toBeGreaterThan(0);
  });
});
