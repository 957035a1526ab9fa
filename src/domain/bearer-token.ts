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
