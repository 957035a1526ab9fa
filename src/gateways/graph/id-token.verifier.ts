import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** Why an ID token was refused; never the token itself. */
export class IdTokenError extends Error {
  override name = 'IdTokenError';
}

export interface IdTokenExpectations {
  /** `{authorityHost}/{tenant}`: the keys are at `{authority}/discovery/v2.0/keys`. */
  authority: string;
  authorityHost: string;
  clientId: string;
  /** The configured tenant when it is a GUID (a domain name cannot be compared with `tid`). */
  tenantId: string | null;
  now: () => number;
}

const SKEW_SECONDS = 300;
const KEYS_TTL_MS = 24 * 3600_000;

/**
 * Validates a v2.0 ID token as https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference
 * asks: the RS256 signature with a key of the tenant's JWKS (`kid`), `aud` the app's client id,
 * `iss` the tenant's v2.0 issuer (`{authority host}/{tid}/v2.0`), `tid` the connected tenant, `exp`
 * and `nbf` with five minutes of clock skew. MSAL Node checks state and nonce but not the signature
 * (docs/graph.md §12.4). The keys are cached for a day and read again for an unknown `kid` (rollover).
 */
export class IdTokenVerifier {
  private keys = new Map<string, KeyObject>();
  private keysReadAt = 0;

  constructor(private readonly expect: IdTokenExpectations) {}

  async verify(idToken: string): Promise<Record<string, unknown>> {
    const parts = idToken.split('.');
    if (parts.length !== 3) throw new IdTokenError('the ID token is not a JWT');
    const [h, p, s] = parts as [string, string, string];
    const header = parseJson(h);
    const claims = parseJson(p);
    if (header['alg'] !== 'RS256')
      throw new IdTokenError(`the ID token's algorithm ${String(header['alg'])} is not RS256`);
    const key = await this.key(String(header['kid'] ?? ''));
    if (!verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url')))
      throw new IdTokenError("the ID token's signature does not verify with the tenant's keys");
    this.checkClaims(claims);
    return claims;
  }

  private checkClaims(claims: Record<string, unknown>): void {
    const { clientId, tenantId, authorityHost } = this.expect;
    const tid = String(claims['tid'] ?? '');
    if (claims['aud'] !== clientId) throw new IdTokenError('the ID token was issued to another application (aud)');
    if (tenantId && tid.toLowerCase() !== tenantId.toLowerCase())
      throw new IdTokenError('the ID token comes from another tenant (tid)');
    if (claims['iss'] !== `${authorityHost}/${tid}/v2.0`)
      throw new IdTokenError('the ID token has another issuer (iss)');
    const now = this.expect.now() / 1000;
    if (!(Number(claims['exp']) > now - SKEW_SECONDS)) throw new IdTokenError('the ID token has expired (exp)');
    if (Number(claims['nbf'] ?? 0) > now + SKEW_SECONDS) throw new IdTokenError('the ID token is not valid yet (nbf)');
    if (typeof claims['oid'] !== 'string') throw new IdTokenError('the ID token names no object id (oid)');
  }

  private async key(kid: string): Promise<KeyObject> {
    const stale = this.expect.now() - this.keysReadAt > KEYS_TTL_MS;
    if (stale || !this.keys.has(kid)) await this.readKeys();
    const key = this.keys.get(kid);
    if (!key) throw new IdTokenError(`no key ${kid} among the tenant's signing keys`);
    return key;
  }

  private async readKeys(): Promise<void> {
    const res = await fetch(`${this.expect.authority}/discovery/v2.0/keys`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new IdTokenError(`the tenant's signing keys could not be read (HTTP ${res.status})`);
    const { keys } = (await res.json()) as { keys?: Array<Record<string, string>> };
    const read = new Map<string, KeyObject>();
    for (const jwk of keys ?? []) {
      if (jwk['kty'] !== 'RSA' || !jwk['kid'] || !jwk['n'] || !jwk['e']) continue;
      read.set(jwk['kid'], createPublicKey({ key: { kty: 'RSA', n: jwk['n'], e: jwk['e'] }, format: 'jwk' }));
    }
    this.keys = read;
    this.keysReadAt = this.expect.now();
  }
}

function parseJson(part: string): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new IdTokenError('the ID token is not a JWT');
}
