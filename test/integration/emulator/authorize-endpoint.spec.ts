import { createPublicKey, verify } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import { requestToken, startTrusted } from './emulator-harness.js';
import type { RunningEmulator } from './emulator-harness.js';

const REDIRECT = 'http://127.0.0.1:4567/auth/callback';
const decodePart = (jwt: string, part: 0 | 1): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[part] as string, 'base64url').toString('utf8'));

/** The sign-in page's form for one user, as a browser would post it. */
async function pickUser(pageUrl: string, userId: string): Promise<string> {
  const page = await (await fetch(pageUrl)).text();
  const hidden = [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)];
  const form = new URLSearchParams();
  const unescape = (v: string) => v.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));
  // The post form repeats the request's parameters after the search form's copy: take the last of each.
  for (const [, name, value] of hidden) form.set(unescape(name!), unescape(value!));
  form.delete('emulator_search');
  form.set('emulator_user', userId);
  const res = await fetch(pageUrl.split('?')[0]!, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
}

describe('Entra authorization endpoint and the code grant (docs/graph.md §12)', () => {
  let emulator: RunningEmulator;
  let app: ConfidentialClientApplication;
  let userId: string;
  const crypto = new CryptoProvider();

  beforeAll(async () => {
    emulator = await startTrusted({ seed: { users: 12 } });
    app = new ConfidentialClientApplication({
      auth: {
        clientId: 'demo-client-id',
        clientSecret: 'demo-client-secret',
        authority: emulator.authority,
        knownAuthorities: [`127.0.0.1:${emulator.port}`],
      },
    });
    const first = await emulator.control.createUser({
      displayName: 'Ada Sign',
      givenName: 'Ada',
      surname: 'Sign',
      mail: 'ada.sign@contoso.com',
      userPrincipalName: 'ada.sign@contoso.com',
      accountEnabled: true,
    });
    userId = first.id;
  });
  afterAll(() => emulator.close());

  async function authorize(extra: { nonce?: string } = {}) {
    const pkce = await crypto.generatePkceCodes();
    const state = crypto.createNewGuid();
    const url = await app.getAuthCodeUrl({
      scopes: ['email'],
      redirectUri: REDIRECT,
      state,
      nonce: extra.nonce ?? 'nonce-1',
      codeChallenge: pkce.challenge,
      codeChallengeMethod: 'S256',
    });
    return { url, state, verifier: pkce.verifier };
  }

  it('MSAL signs a picked user in: a signed v2.0 ID token with the claims MSAL and the app check', async () => {
    const { url, state, verifier } = await authorize({ nonce: 'n-42' });
    const page = await fetch(`${url}&emulator_search=ada`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('ada.sign@contoso.com');
    const back = new URL(await pickUser(`${url}&emulator_search=ada`, userId));
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe(state);
    const result = await app.acquireTokenByCode(
      {
        code: back.searchParams.get('code')!,
        redirectUri: REDIRECT,
        scopes: ['email'],
        codeVerifier: verifier,
        state,
        nonce: 'n-42',
      },
      { code: back.searchParams.get('code')!, state: back.searchParams.get('state')! },
    );
    expect(result.idTokenClaims).toMatchObject({
      aud: 'demo-client-id',
      iss: `${emulator.url}/${emulator.tenantId}/v2.0`,
      tid: emulator.tenantId,
      oid: userId,
      nonce: 'n-42',
      preferred_username: 'ada.sign@contoso.com',
      email: 'ada.sign@contoso.com',
      name: 'Ada Sign',
      ver: '2.0',
    });
    expect(result.account?.homeAccountId).toBe(`${userId}.${emulator.tenantId}`);
    // The signature verifies with the key the tenant publishes (jwks_uri of the OpenID configuration).
    const header = decodePart(result.idToken, 0);
    expect(header).toMatchObject({ typ: 'JWT', alg: 'RS256' });
    expect(header['x5t']).toBeUndefined();
    const config = (await (await fetch(`${emulator.authority}/v2.0/.well-known/openid-configuration`)).json()) as {
      jwks_uri: string;
    };
    const { keys } = (await (await fetch(config.jwks_uri)).json()) as { keys: Array<Record<string, string>> };
    const jwk = keys.find((k) => k['kid'] === header['kid'])!;
    const [h, p, s] = result.idToken.split('.');
    const key = createPublicKey({ key: { kty: 'RSA', n: jwk['n']!, e: jwk['e']! }, format: 'jwk' });
    expect(verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s!, 'base64url'))).toBe(true);
  });

  it('refuses a wrong PKCE verifier, and a code redeemed twice', async () => {
    const { url, verifier } = await authorize();
    const code = new URL(await pickUser(url, userId)).searchParams.get('code')!;
    const redeem = (codeVerifier: string) =>
      requestToken(emulator, {
        client_id: 'demo-client-id',
        client_secret: 'demo-client-secret',
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: codeVerifier,
        scope: 'openid profile',
      });
    const wrong = await redeem(`${verifier}x`);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'invalid_grant', error_codes: [501481] });
    // The failed attempt used the code up, as any redemption does.
    const again = await redeem(verifier);
    expect(again.body).toMatchObject({ error: 'invalid_grant', error_codes: [54005] });
  });

  it('MSAL refuses an answer whose state is not the one it sent', async () => {
    const { url, verifier, state } = await authorize();
    const code = new URL(await pickUser(url, userId)).searchParams.get('code')!;
    await expect(
      app.acquireTokenByCode(
        { code, redirectUri: REDIRECT, scopes: [], codeVerifier: verifier, state, nonce: 'nonce-1' },
        { code, state: 'forged' },
      ),
    ).rejects.toMatchObject({ errorCode: 'state_mismatch' });
  });

  it('shows an error page for an unregistered redirect URI, and redirects other errors with the state', async () => {
    const { url } = await authorize();
    const foreign = url.replace(encodeURIComponent(REDIRECT), encodeURIComponent('https://evil.example/cb'));
    const page = await fetch(foreign, { redirect: 'manual' });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('AADSTS50011');
    const silent = await fetch(`${url}&prompt=none`, { redirect: 'manual' });
    const location = new URL(silent.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('login_required');
    expect(location.searchParams.get('state')).toBeTruthy();
  });

  it('ignores the port of a loopback redirect URI, as Entra does', async () => {
    const { url } = await authorize();
    const otherPort = url.replace(encodeURIComponent(REDIRECT), encodeURIComponent('http://127.0.0.1:9/auth/callback'));
    expect((await fetch(otherPort, { redirect: 'manual' })).status).toBe(200);
  });
});
