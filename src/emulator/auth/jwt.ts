import { constants, createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const KEY_CACHE = Symbol.for('entra-hr-connector.emulator.signing-key');
const holder = globalThis as { [KEY_CACHE]?: SigningKey };

/**
 * One RSA key per process (kept on globalThis so test files loaded separately share it): generating it costs
 * tens of milliseconds, and any key is acceptable (clients do not validate access tokens:
 * https://learn.microsoft.com/entra/identity-platform/claims-validation).
 */
export function signingKey(): SigningKey {
  let processKey = holder[KEY_CACHE];
  if (!processKey) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const der = publicKey.export({ type: 'spki', format: 'der' });
    processKey = { kid: createHash('sha256').update(der).digest('base64url').slice(0, 27), privateKey, publicKey };
    holder[KEY_CACHE] = processKey;
  }
  return processKey;
}

export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * An RS256 JWT. Access tokens carry `x5t` beside `kid`; v2.0 ID tokens carry `kid` only ("x5t is a
 * legacy claim emitted only in v1.0 ID tokens", https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference).
 */
export function signJwt(payload: Record<string, unknown>, key: SigningKey, options: { x5t?: boolean } = {}): string {
  const header = { typ: 'JWT', alg: 'RS256', kid: key.kid, ...(options.x5t === false ? {} : { x5t: key.kid }) };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`;
}

/** Splits and parses a compact JWT; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(payload)) return undefined;
    return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
  } catch {
    return undefined;
  }
}

/**
 * Verifies RS256 or PS256 (what MSAL uses for certificate assertions,
 * https://learn.microsoft.com/entra/identity-platform/certificate-credentials).
 */
export function verifyJwtSignature(jwt: DecodedJwt, key: KeyObject | string): boolean {
  const publicKey = typeof key === 'string' ? createPublicKey(key) : key;
  const data = Buffer.from(jwt.signingInput);
  try {
    switch (jwt.header['alg']) {
      case 'RS256':
        return verify('sha256', data, publicKey, jwt.signature);
      case 'PS256':
        return verify(
          'sha256',
          data,
          {
            key: publicKey,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: constants.RSA_PSS_SALTLEN_AUTO,
          },
          jwt.signature,
        );
      default:
        return false;
    }
  } catch {
    return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
