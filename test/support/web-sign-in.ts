/**
 * "Sign in with Microsoft" without a browser: follows the service's redirect to the emulator's
 * authorize page, posts the pick of one user as the page's form would, and brings Entra's answer
 * back to the service's callback, carrying cookies by hand. The browser tests do the same in Chromium.
 */
export interface HttpSession {
  /** The Cookie header to send (the session cookie). */
  cookie: string;
  csrfToken: string;
  setCookies: string[];
}

export function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie();
}

export function cookiePair(setCookie: string): string {
  return setCookie.split(';')[0]!;
}

export async function startSignIn(serviceUrl: string): Promise<{ authorizeUrl: string; pendingCookie: string }> {
  const res = await fetch(`${serviceUrl}/auth/sign-in`, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`sign-in answered ${res.status}`);
  return { authorizeUrl: res.headers.get('location')!, pendingCookie: cookiePair(cookiesOf(res)[0]!) };
}

/** Posts the emulator's pick form for one user; answers where Entra sends the browser back. */
export async function pickUser(authorizeUrl: string, userId: string): Promise<string> {
  const page = await (await fetch(authorizeUrl)).text();
  const form = new URLSearchParams();
  const unescape = (v: string) => v.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));
  for (const [, name, value] of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    form.set(unescape(name!), unescape(value!));
  form.set('emulator_user', userId);
  const res = await fetch(authorizeUrl.split('?')[0]!, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  if (res.status !== 302) throw new Error(`the emulator answered ${res.status}: ${await res.text()}`);
  return res.headers.get('location')!;
}

/** The whole sign-in of one Entra user; the callback's answer is returned with the session when there is one. */
export async function signInAs(
  serviceUrl: string,
  entraUserId: string,
): Promise<{ callback: Response; session: HttpSession | null }> {
  const { authorizeUrl, pendingCookie } = await startSignIn(serviceUrl);
  const back = await pickUser(authorizeUrl, entraUserId);
  const callback = await fetch(back, { redirect: 'manual', headers: { cookie: pendingCookie } });
  const sessionCookie = cookiesOf(callback).find((c) => c.startsWith('ehc_session=') && !c.startsWith('ehc_session=;'));
  if (!sessionCookie) return { callback, session: null };
  const cookie = cookiePair(sessionCookie);
  const view = (await (await fetch(`${serviceUrl}/auth/session`, { headers: { cookie } })).json()) as {
    csrfToken: string;
  };
  return { callback, session: { cookie, csrfToken: view.csrfToken, setCookies: cookiesOf(callback) } };
}
