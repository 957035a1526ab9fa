import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Skip and delta tokens: base64url JSON plus a short HMAC, so they are URL-safe (no '=', '&', '+',
 * the Graph SDK splits nextLinks on them) and a token the emulator did not issue is recognised as unknown.
 */
export function encodePageToken(payload: object, secret: Buffer): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(body, secret)}`;
}

export function decodePageToken<T>(token: string, secret: Buffer): T | undefined {
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const body = token.slice(0, dot);
  const expected = Buffer.from(mac(body, secret));
  const given = Buffer.from(token.slice(dot + 1));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

function mac(body: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(body).digest('base64url').slice(0, 16);
}
