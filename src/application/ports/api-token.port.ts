/** Who calls the API: the active HR user behind a bearer token, with its roles. */
export interface Principal {
  userId: string;
  email: string;
  roles: string[];
  /** Holds a protected (administrator) role. */
  isAdmin: boolean;
  /** The token presented (its id, never the token): SCIM limits the rate per token. */
  tokenId?: string;
  /** When the token expires (ms since the epoch); null when never. */
  tokenExpiresAt?: number | null;
}

/**
 * The surface a token opens, and only that one: `api` the admin API and /api/me, `scim` the SCIM
 * endpoint that Entra's provisioning service calls.
 */
export const TOKEN_SCOPES = ['api', 'scim'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export type TokenRevokedReason = 'revoked' | 'rotated' | 'user-deactivated';
export type ApiTokenStatus = 'active' | 'expired' | 'revoked';

/** What may be shown about a token: never the token or its hash. */
export interface ApiTokenView {
  id: string;
  hrUserId: string;
  email: string;
  name: string;
  scope: TokenScope;
  bootstrap: boolean;
  status: ApiTokenStatus;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  revokedReason: TokenRevokedReason | null;
}

export interface ApiTokenQuery {
  hrUserId?: string;
  scope?: TokenScope;
  status?: ApiTokenStatus;
  /** Rows to read (a page reads one more to know whether another follows). */
  limit: number;
  /** Keyset: the id of the last token of the previous page. */
  after?: string;
}

/**
 * API tokens, stored as their SHA-256 only. Deactivating a user revokes its tokens in the database
 * itself (a trigger), whatever deactivated it.
 */
export interface ApiTokenRepository {
  /**
   * The active user behind a token of this scope, with its roles; null for unknown, revoked,
   * expired, inactive, or a token of another scope. Records the use.
   */
  findPrincipal(token: string, scope: TokenScope): Promise<Principal | null>;
  create(token: {
    hrUserId: string;
    name: string;
    /** `api` unless said. */
    scope?: TokenScope;
    hash: string;
    expiresAt?: Date | null;
    bootstrap?: boolean;
  }): Promise<ApiTokenView>;
  get(id: string): Promise<ApiTokenView | null>;
  findByHash(hash: string): Promise<ApiTokenView | null>;
  /** Newest first. */
  list(query: ApiTokenQuery): Promise<ApiTokenView[]>;
  /** Null when it was already revoked (or does not exist). */
  revoke(tokenId: string, reason: TokenRevokedReason): Promise<ApiTokenView | null>;
  /** Makes this token the one a later rotation of the configured token replaces. */
  markBootstrap(tokenId: string): Promise<void>;
  /** Revokes every bootstrap token but the one configured now (ADMIN_TOKEN rotated); returns the revoked ones. */
  revokeOtherBootstrapTokens(keepHash: string): Promise<ApiTokenView[]>;
}
