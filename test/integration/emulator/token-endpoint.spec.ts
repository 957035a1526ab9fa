import { X509Certificate } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { generate } from 'selfsigned';
import { GRAPH_SCOPE, requestToken, startTrusted } from './emulator-harness.js';
import type { RunningEmulator } from './emulator-harness.js';

const decode = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString('utf8'));
const base = { client_id: 'demo-client-id', grant_type: 'client_credentials', scope: GRAPH_SCOPE };

describe('Entra token endpoint (docs/graph.md §1)', () => {
  let emulator: RunningEmulator;
  let cert: { pem: string; key: string; thumbprint: string };

  beforeAll(async () => {
    const pems = await generate([{ name: 'commonName', value: 'hr-connector' }], {
      keySize: 2048,
      algorithm: 'sha256',
    });
    const thumbprint = new X509Certificate(pems.cert).fingerprint256.replace(/:/g, '');
    cert = { pem: pems.cert, key: pems.private, thumbprint };
    emulator = await startTrusted({
      clients: [
        { clientId: 'demo-client-id', clientSecret: 'demo-client-secret', roles: ['User.Read.All'] },
        {
          clientId: 'cert-client',
          certificateThumbprintSha256: thumbprint,
          roles: ['User.Read.All', 'Group.Read.All'],
        },
        { clientId: 'no-roles', clientSecret: 's3cret', roles: [] },
      ],
    });
  });
  afterAll(() => emulator.close());

  it('serves an OpenID configuration whose issuer is its own origin', async () => {
    const res = await fetch(`${emulator.authority}/v2.0/.well-known/openid-configuration`);
    const doc = (await res.json()) as Record<string, string>;
    expect(res.status).toBe(200);
    expect(doc['issuer']).toBe(`${emulator.url}/${emulator.tenantId}/v2.0`);
    expect(doc['token_endpoint']).toBe(`${emulator.authority}/oauth2/v2.0/token`);
    const keys = (await (await fetch(doc['jwks_uri'] as string)).json()) as { keys: unknown[] };
    expect(keys.keys.length).toBeGreaterThan(0);
  });

  it('issues a client-credentials token with roles, tid, appid, aud and exp', async () => {
    const reply = await requestToken(emulator, {
      ...base,
      client_secret: 'demo-client-secret',
      'x-client-SKU': 'msal.js.node',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    const claims = decode(reply.body['access_token'] as string);
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      tid: emulator.tenantId,
      appid: 'demo-client-id',
      roles: ['User.Read.All'],
    });
    expect(typeof claims['exp']).toBe('number');
  });

  it('accepts the secret in an HTTP Basic header', async () => {
    const basic = Buffer.from('demo-client-id:demo-client-secret').toString('base64');
    const reply = await requestToken(
      emulator,
      { grant_type: 'client_credentials', scope: GRAPH_SCOPE },
      { authorization: `Basic ${basic}` },
    );
    expect(reply.status).toBe(200);
  });

  it('leaves the roles claim out when the app has no permission', async () => {
    const reply = await requestToken(emulator, { ...base, client_id: 'no-roles', client_secret: 's3cret' });
    expect(decode(reply.body['access_token'] as string)['roles']).toBeUndefined();
  });

  // Status and `error` are asserted only where docs/graph.md §1.3 says they are documented (null = not documented).
  it.each([
    ['wrong secret', { ...base, client_secret: 'nope' }, 401, 'invalid_client', 7000215],
    ['no credential', { ...base }, null, 'invalid_client', 7000218],
    ['unknown client', { ...base, client_id: 'who', client_secret: 'x' }, null, null, 700016],
    [
      'scope not .default',
      { ...base, client_secret: 'demo-client-secret', scope: 'User.Read' },
      400,
      'invalid_scope',
      70011,
    ],
  ])('refuses %s with the AADSTS error shape', async (_name, form, status, error, code) => {
    const reply = await requestToken(emulator, form as Record<string, string>);
    if (status !== null) expect(reply.status).toBe(status);
    else expect(reply.status).toBeGreaterThanOrEqual(400);
    if (error !== null) expect(reply.body['error']).toBe(error);
    expect(reply.body['error_codes']).toEqual([code]);
    expect(reply.body['error_description']).toMatch(
      new RegExp(`^AADSTS${code}: .*\\r\\nTrace ID: .*\\r\\nCorrelation ID: .*\\r\\nTimestamp: `, 's'),
    );
    expect(reply.body['error_uri']).toBe(`https://login.microsoftonline.com/error?code=${code}`);
    expect(reply.body['timestamp']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  });

  it('answers an unknown tenant with 90002 (emulator choice, unconfirmed status)', async () => {
    const reply = await requestToken(
      emulator,
      { ...base, client_secret: 'demo-client-secret' },
      {},
      'not-a-tenant.example',
    );
    expect(reply.body['error_codes']).toEqual([90002]);
  });

  it('gives MSAL Node a token with a secret (knownAuthorities, no network)', async () => {
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: 'demo-client-id',
        clientSecret: 'demo-client-secret',
        authority: emulator.authority,
        knownAuthorities: [`127.0.0.1:${emulator.port}`],
      },
    });
    const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
    expect(decode(result?.accessToken ?? '')['roles']).toEqual(['User.Read.All']);
  });

  it('gives MSAL Node a token for a certificate credential (x5t#S256 thumbprint)', async () => {
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: 'cert-client',
        authority: emulator.authority,
        knownAuthorities: [`127.0.0.1:${emulator.port}`],
        clientCertificate: { thumbprintSha256: cert.thumbprint, privateKey: cert.key, x5c: cert.pem },
      },
    });
    const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
    expect(decode(result?.accessToken ?? '')).toMatchObject({ appid: 'cert-client', appidacr: '2' });
  });

  it('refuses an assertion signed with an unregistered certificate', async () => {
    const other = await generate([{ name: 'commonName', value: 'intruder' }], { keySize: 2048, algorithm: 'sha256' });
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: 'cert-client',
        authority: emulator.authority,
        knownAuthorities: [`127.0.0.1:${emulator.port}`],
        clientCertificate: {
          thumbprintSha256: new X509Certificate(other.cert).fingerprint256.replace(/:/g, ''),
          privateKey: other.private,
        },
      },
    });
    await expect(app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] })).rejects.toMatchObject({
      errorCode: 'invalid_client',
    });
  });
});
