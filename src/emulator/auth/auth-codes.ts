import { createHash, randomBytes } from 'node:crypto';

/** What an authorization code stands for, from the /authorize request that made it. */
export interface AuthCodeGrant {
  clientId: string;
  redirectUri: string;
  /** The scopes asked for at /authorize, as sent (space-separated). */
  scopes: string[];
  userId: string;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: 'S256' | 'plain';
}

interface StoredCode extends AuthCodeGrant {
  expiresAt: number;
  redeemed: boolean;
}

export type RedeemOutcome =
  { ok: true; grant: AuthCodeGrant } | { ok: false; reason: 'unknown' | 'expired' | 'redeemed' };

/**
 * Authorization codes: "short lived ... they expire after about 10 minutes", and redeemable once
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#successful-response).
 * A redeemed code is kept until it expires, so a second redemption is told apart from a wrong code.
 */
export class AuthCodeStore {
  static readonly LIFETIME_MS = 10 * 60_000;
  private readonly codes = new Map<string, StoredCode>();

  constructor(private readonly now: () => number) {}

  issue(grant: AuthCodeGrant): string {
    this.dropExpired();
    const code = randomBytes(48).toString('base64url');
    this.codes.set(code, { ...grant, expiresAt: this.now() + AuthCodeStore.LIFETIME_MS, redeemed: false });
    return code;
  }

  redeem(code: string): RedeemOutcome {
    const stored = this.codes.get(code);
    if (!stored) return { ok: false, reason: 'unknown' };
    if (stored.expiresAt <= this.now()) {
      this.codes.delete(code);
      return { ok: false, reason: 'expired' };
    }
    if (stored.redeemed) return { ok: false, reason: 'redeemed' };
    stored.redeemed = true;
    const { expiresAt: _expiresAt, redeemed: _redeemed, ...grant } = stored;
    return { ok: true, grant };
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [code, stored] of this.codes) if (stored.expiresAt <= now) this.codes.delete(code);
  }
}

/** PKCE (RFC 7636 section 4.6, https://datatracker.ietf.org/doc/html/rfc7636#section-4.6). */
export function verifierMatches(grant: AuthCodeGrant, verifier: string | null): boolean {
  if (grant.codeChallenge === undefined) return true;
  if (!verifier) return false;
  const derived =
    grant.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return derived === grant.codeChallenge;
}
