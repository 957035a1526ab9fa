import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSyncHarness, type SyncHarness } from '../support/entra.js';
import { ADMIN_TOKEN } from '../support/service.js';
import { cookiePair, cookiesOf, pickUser, signInAs, startSignIn, type HttpSession } from '../support/web-sign-in.js';

/**
 * Signing in to the web app over HTTP (docs/graph.md §12): "Sign in with Microsoft" through the
 * emulator's authorize page, the mapping to HR users, the bootstrap administrator's token, sessions
 * in cookies, CSRF protection of writes made by session, and sign-out.
 */
describe('web app sign-in and sessions', () => {
  let h: SyncHarness;
  let ada: { entraId: string; hrId: string };
  let emil: { entraId: string };
  let outsider: string;

  const person = async (given: string, groups: string[]) => {
    const mail = `${given.toLowerCase()}@contoso.com`;
    const user = await h.emulator.control.createUser({
      displayName: `${given} Sign`,
      givenName: given,
      surname: 'Sign',
      mail,
      userPrincipalName: mail,
      accountEnabled: true,
      groups,
    });
    return user.id;
  };
  const url = (path: string) => `${h.service.url}${path}`;
  const bySession = (session: HttpSession, path: string, init: RequestInit & { csrf?: boolean } = {}) =>
    fetch(url(path), {
      ...init,
      headers: {
        cookie: session.cookie,
        'content-type': 'application/json',
        ...(init.csrf ? { 'x-csrf-token': session.csrfToken } : {}),
      },
    });

  beforeAll(async () => {
    h = await startSyncHarness();
    const staff = await h.emulator.control.createGroup({ displayName: 'Staff' });
    ada = { entraId: await person('Ada', [staff.id]), hrId: '' };
    emil = { entraId: await person('Emil', [staff.id]) };
    outsider = await person('Olga', []);
    await h.service.api('/api/admin/synced-groups', { method: 'PUT', json: { groupIds: [staff.id] } });
    await h.syncNow();
    const users = (await (await h.service.api('/api/admin/users?search=ada')).json()) as {
      items: Array<{ id: string }>;
    };
    ada.hrId = users.items[0]!.id;
    const granted = await h.service.api(`/api/admin/users/${ada.hrId}/roles`, {
      method: 'PUT',
      json: { roles: ['Administrator'] },
    });
    expect(granted.status).toBe(200);
  });
  afterAll(() => h.close());

  it('says nobody is signed in, and how one can sign in', async () => {
    const view = await (await fetch(url('/auth/session'))).json();
    expect(view).toEqual({
      user: null,
      csrfToken: null,
      expiresAt: null,
      signInOptions: { microsoft: true, local: true },
    });
  });

  it('starts the code flow with PKCE and keeps its secrets in a sealed, HttpOnly, SameSite=Lax cookie', async () => {
    const res = await fetch(url('/auth/sign-in?returnTo=/history'), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const authorize = new URL(res.headers.get('location')!);
    expect(authorize.href.startsWith(`${h.emulator.authority}/oauth2/v2.0/authorize`)).toBe(true);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: 'demo-client-id',
      response_type: 'code',
      redirect_uri: `${h.service.url}/auth/callback`,
      code_challenge_method: 'S256',
    });
    expect(authorize.searchParams.get('scope')!.split(' ')).toEqual(
      expect.arrayContaining(['openid', 'profile', 'email']),
    );
    const [pending] = cookiesOf(res);
    expect(pending).toMatch(/^ehc_sign_in=[^;]+; Path=\/auth; Max-Age=600; HttpOnly; SameSite=Lax$/);
    // Neither the verifier nor the nonce can be read from the cookie: it is sealed.
    expect(decodeURIComponent(cookiePair(pending!))).not.toContain(authorize.searchParams.get('state')!);
  });

  it('signs an Entra user in as their HR user, back to the page they asked for', async () => {
    const start = await fetch(url('/auth/sign-in?returnTo=/history/runs'), { redirect: 'manual' });
    const back = await pickUser(start.headers.get('location')!, ada.entraId);
    const callback = await fetch(back, { redirect: 'manual', headers: { cookie: cookiePair(cookiesOf(start)[0]!) } });
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/history/runs');
    const session = cookiesOf(callback).find((c) => c.startsWith('ehc_session='))!;
    expect(session).toMatch(/^ehc_session=[\w-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax$/);
    const view = (await (await fetch(url('/auth/session'), { headers: { cookie: cookiePair(session) } })).json()) as {
      user: Record<string, unknown>;
      csrfToken: string;
    };
    expect(view.user).toMatchObject({ id: ada.hrId, email: 'ada@contoso.com', isAdmin: true, signedInWith: 'entra' });
    expect(view.csrfToken).toMatch(/^[\w-]{43}$/);
  });

  it('refuses an answer that this browser did not ask for, and a code redeemed twice', async () => {
    const { authorizeUrl, pendingCookie } = await startSignIn(h.service.url);
    const back = await pickUser(authorizeUrl, emil.entraId);
    // Without the cookie of the browser that started it, the code is not even redeemed.
    const foreign = await fetch(back, { redirect: 'manual' });
    expect(foreign.headers.get('location')).toBe('/?signInError=expired');
    const first = await fetch(back, { redirect: 'manual', headers: { cookie: pendingCookie } });
    expect(first.headers.get('location')).toBe('/');
    // Entra redeems a code once (AADSTS54005).
    const replay = await fetch(back, { redirect: 'manual', headers: { cookie: pendingCookie } });
    expect(replay.headers.get('location')).toBe('/?signInError=refused');
    // A state that is not the pending sign-in's is refused by MSAL (state_mismatch).
    const other = await startSignIn(h.service.url);
    const otherBack = new URL(await pickUser(other.authorizeUrl, emil.entraId));
    otherBack.searchParams.set('state', 'forged');
    const forged = await fetch(otherBack, { redirect: 'manual', headers: { cookie: other.pendingCookie } });
    expect(forged.headers.get('location')).toBe('/?signInError=expired');
  });

  it('refuses an Entra user who has no HR user', async () => {
    const { callback, session } = await signInAs(h.service.url, outsider);
    expect(session).toBeNull();
    expect(callback.headers.get('location')).toBe('/?signInError=no-hr-user');
  });

  it('protects writes made by session with the CSRF token; reads and bearer tokens need none', async () => {
    const { session } = await signInAs(h.service.url, ada.entraId);
    expect((await bySession(session!, '/api/admin/settings')).status).toBe(200);
    const forged = await bySession(session!, '/api/admin/settings', {
      method: 'PATCH',
      body: JSON.stringify({ syncInterval: '2 hours' }),
    });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ code: 'forbidden', csrf: true });
    const wrong = await fetch(url('/api/admin/settings'), {
      method: 'PATCH',
      headers: { cookie: session!.cookie, 'content-type': 'application/json', 'x-csrf-token': 'x'.repeat(43) },
      body: JSON.stringify({ syncInterval: '2 hours' }),
    });
    expect(wrong.status).toBe(403);
    const settings = (await (await bySession(session!, '/api/admin/settings')).json()) as { syncInterval: string };
    expect(settings.syncInterval).toBe('30 minutes');
    const made = await bySession(session!, '/api/admin/settings', {
      method: 'PATCH',
      csrf: true,
      body: JSON.stringify({ syncInterval: '2 hours' }),
    });
    expect(made.status).toBe(200);
    const byToken = await h.service.api('/api/admin/settings', {
      method: 'PATCH',
      json: { syncInterval: '30 minutes' },
    });
    expect(byToken.status).toBe(200);
  });

  it('gives an employee their own profile, and no admin route', async () => {
    const { session } = await signInAs(h.service.url, emil.entraId);
    const profile = await bySession(session!, '/api/me/profile');
    expect(profile.status).toBe(200);
    expect(await profile.json()).toMatchObject({ email: 'emil@contoso.com', fields: expect.any(Object) });
    expect((await bySession(session!, '/api/admin/users')).status).toBe(403);
  });

  it('signs out: the session opens nothing any more', async () => {
    const { session } = await signInAs(h.service.url, emil.entraId);
    expect((await bySession(session!, '/auth/sign-out', { method: 'POST' })).status).toBe(403);
    const out = await bySession(session!, '/auth/sign-out', { method: 'POST', csrf: true });
    expect(out.status).toBe(204);
    expect(cookiesOf(out)[0]).toMatch(/^ehc_session=; Path=\/; Max-Age=0/);
    expect((await bySession(session!, '/api/me')).status).toBe(401);
  });

  it('lets the bootstrap administrator sign in with the configured token, and no other token', async () => {
    const local = (token: string) =>
      fetch(url('/auth/local'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      });
    const res = await local(ADMIN_TOKEN);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      user: { email: 'admin@localhost', isAdmin: true, signedInWith: 'local' },
    });
    const wrong = await local(`${ADMIN_TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ signInError: 'local-refused' });
    const issued = (await (
      await h.service.api(`/api/admin/users/${ada.hrId}/tokens`, { method: 'POST', json: { name: 'api client' } })
    ).json()) as { token: string };
    expect((await local(issued.token)).status).toBe(401);
  });
});
