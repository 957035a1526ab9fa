/**
 * Cookies without a library: the few the web app uses are opaque tokens, so parsing is splitting
 * (RFC 6265 section 4.2, https://www.rfc-editor.org/rfc/rfc6265#section-4.2) and writing names the
 * attributes (section 4.1).
 */
export function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    if (part.slice(0, at).trim() === name) {
      const value = part.slice(at + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return null;
      }
    }
  }
  return null;
}

export interface CookieOptions {
  path: string;
  maxAgeSeconds: number;
  secure: boolean;
  /** Lax: sent on top-level navigations from other sites (Entra's redirect back), not on their sub-requests or posts. */
  sameSite: 'Lax' | 'Strict';
}

/** A Set-Cookie value; always HttpOnly, so no script (nor an injected one) reads the token. */
export function cookie(name: string, value: string, options: CookieOptions): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    'HttpOnly',
    `SameSite=${options.sameSite}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
