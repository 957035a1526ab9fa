import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { readCookie } from './cookies.js';

/** How the web app's sessions are kept (from the configuration; src/service.ts). */
export interface WebSessionSettings {
  /** Cookies only over HTTPS: in production (NODE_ENV) and whenever PUBLIC_URL is https. */
  secure: boolean;
  lifetimeMs: number;
  /** The address browsers use (PUBLIC_URL, else where the service listens); the redirect URI hangs off it. */
  publicUrl: () => string;
  /** The bootstrap administrator may sign in with the administrator token (LOCAL_SIGN_IN). */
  localSignIn: boolean;
}

/**
 * The session cookie. Over HTTPS its name carries the `__Host-` prefix, which a browser accepts only
 * with Secure, Path=/ and no Domain, so no sibling host can set or shadow it
 * (https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#section-4.1.3.2).
 */
export function sessionCookieName(settings: Pick<WebSessionSettings, 'secure'>): string {
  return settings.secure ? '__Host-ehc_session' : 'ehc_session';
}

export function sessionToken(req: Request, settings: Pick<WebSessionSettings, 'secure'>): string | null {
  const token = readCookie(req.headers.cookie, sessionCookieName(settings));
  return token && /^[A-Za-z0-9_-]{32,64}$/.test(token) ? token : null;
}

/** Methods that change nothing (RFC 9110 section 9.2.1): the only ones a session may send without its CSRF token. */
export function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

/**
 * The synchronizer token pattern
 * (https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html#synchronizer-token-pattern):
 * the session's token, sent by the app in the X-CSRF-Token header, which another site's page can
 * neither read nor set on a cross-site request.
 */
export function csrfTokenMatches(req: Request, expected: string): boolean {
  const given = req.headers['x-csrf-token'];
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
