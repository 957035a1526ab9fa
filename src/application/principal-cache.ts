import { hashToken } from '../domain/bearer-token.js';
import type { Principal, TokenScope } from './ports/api-token.port.js';

/** How long a token's holder is believed without asking the database, at most. */
export const PRINCIPAL_CACHE_TTL_MS = 30_000;
/** More tokens in use than this and the cache starts over (no token is ever kept in it, only its hash). */
const MAX_ENTRIES = 1000;

/**
 * Who holds a bearer token, remembered for a request after the first: Entra's provisioning service
 * sends hundreds of requests a second with one token, and reading it for each was a round trip
 * of every request. Safe because it is forgotten as soon as anything that could change the
 * answer commits, on any instance: the database notifies every change of a token, a user's e-mail
 * or status, or a role (migration principal_changes), and each notification forgets everything.
 * While those notifications cannot be heard (not yet listening, connection lost) nothing is
 * remembered. An entry never outlives its token's expiry, nor PRINCIPAL_CACHE_TTL_MS; unknown
 * tokens are never remembered. Keys are the tokens' SHA-256, never the tokens.
 */
export class PrincipalCache<Context> {
  private readonly entries = new Map<string, { principal: Principal; until: number }>();
  /** Moves at every change: a look-up that began before one must not store what it read. */
  private generation = 0;
  private heard = false;

  constructor(
    private readonly lookup: (context: Context, token: string, scope: TokenScope) => Promise<Principal | null>,
    private readonly now: () => number = Date.now,
  ) {}

  async find(context: Context, token: string, scope: TokenScope): Promise<Principal | null> {
    if (!this.heard) return this.lookup(context, token, scope);
    const key = `${scope}:${hashToken(token)}`;
    const entry = this.entries.get(key);
    if (entry && entry.until > this.now()) return entry.principal;
    const generation = this.generation;
    const principal = await this.lookup(context, token, scope);
    if (principal && this.heard && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      const until = Math.min(this.now() + PRINCIPAL_CACHE_TTL_MS, principal.tokenExpiresAt ?? Infinity);
      this.entries.set(key, { principal, until });
    }
    return principal;
  }

  /** Something that can change a token's holder committed. */
  changed(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Whether changes are heard now; nothing is remembered while they are not. */
  hearing(heard: boolean): void {
    this.heard = heard;
    this.changed();
  }
}
