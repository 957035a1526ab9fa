import { hash, randomBytes } from 'node:crypto';

/**
 * The characters a bearer token can carry in `Authorization: Bearer <token>`: RFC 6750 section 2.1,
 * b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
 * (https://www.rfc-editor.org/rfc/rfc6750#section-2.1). A configured token outside this syntax
 * could never be presented, so the configuration refuses it.
 */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export const BEARER_TOKEN_MAX_LENGTH = 256;

export function isBearerToken(text: string): boolean {
  return text.length <= BEARER_TOKEN_MAX_LENGTH && B64TOKEN.test(text);
}

/**
 * Our tokens: random 32 bytes, shown once; only their SHA-256 is stored. The prefix says what a
 * leaked one opens: `ehc_` the API or SCIM, `ehf_` an employee's calendar feed (rule 6.4).
 */
export function newToken(prefix: 'ehc_' | 'ehf_' = 'ehc_'): { token: string; hash: string } {
  const token = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  // The one-shot form: every authenticated request hashes its token.
  return hash('sha256', token, 'hex');
}
