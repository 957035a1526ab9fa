import { newToken } from '../domain/bearer-token.js';
import { AppError, notFound } from './app-error.js';
import { pageOf, type Page } from './page.js';
import type { ApiTokenQuery, ApiTokenView, TokenScope } from './ports/api-token.port.js';
import type { Repositories } from './ports/repositories.port.js';

export interface TokenRequest {
  name: string;
  /** The surface it opens; `api` unless said. */
  scope?: TokenScope;
  /** The token stops working at this instant; absent: until revoked. */
  expiresAt?: Date;
}

/**
 * API tokens as administrators manage them: issue (the token is shown once), list (never the token
 * or its hash), revoke. Each change is one transaction with its audit row. Deactivating a user
 * revokes its tokens in the database itself (a trigger), whatever deactivated it.
 */
export class ApiTokensService {
  constructor(
    private readonly repos: Repositories,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async issue(hrUserId: string, request: TokenRequest, actorId: string): Promise<ApiTokenView & { token: string }> {
    if (request.expiresAt && request.expiresAt.getTime() <= this.now().getTime()) {
      throw new AppError('validation_failed', 'expiresAt must be in the future', [
        { path: 'body.expiresAt', message: 'in the past' },
      ]);
    }
    return this.repos.transaction(async (tx) => {
      // A token issued to a deactivated user works once the user is reactivated; only tokens
      // issued before a deactivation stay revoked.
      if (!(await tx.hrUsers.holdExisting(hrUserId))) throw notFound('HR user');
      const scope = request.scope ?? 'api';
      // A SCIM token acts with its holder's authority, and provisioning users is an administrator's.
      if (scope === 'scim' && !(await tx.hrUsers.roles(hrUserId)).some((r) => r.protected))
        throw new AppError(
          'conflict',
          'A SCIM token is issued to an administrator: this HR user holds no administrator role',
        );
      const { token, hash } = newToken();
      const view = await tx.apiTokens.create({
        hrUserId,
        name: request.name,
        scope,
        hash,
        expiresAt: request.expiresAt ?? null,
      });
      await tx.audit.record([
        {
          actorId,
          action: 'api-token.issue',
          target: `api-token:${view.id}`,
          oldValue: null,
          newValue: {
            hrUserId,
            email: view.email,
            name: view.name,
            // Named for SCIM tokens only: an API token's audit row reads as it always has.
            ...(scope === 'api' ? {} : { scope }),
            expiresAt: view.expiresAt,
          },
        },
      ]);
      return { ...view, token };
    });
  }

  async list(query: ApiTokenQuery): Promise<Page<ApiTokenView>> {
    return pageOf(
      await this.repos.apiTokens.list({ ...query, limit: query.limit + 1 }),
      query.limit,
      (token) => token.id,
    );
  }

  /**
   * A new token in place of one (shown once): same holder, name and scope, the expiry given (else
   * the old one's, if still ahead); the old token stops working at once (revoked as 'rotated').
   * For Entra's provisioning this is "regenerate the secret token" (docs/rules.md 7.1).
   */
  async regenerate(
    tokenId: string,
    request: { expiresAt?: Date },
    actorId: string,
  ): Promise<ApiTokenView & { token: string; replaces: string }> {
    return this.repos.transaction(async (tx) => {
      const before = await tx.apiTokens.get(tokenId);
      if (!before) throw notFound('API token');
      if (before.bootstrap)
        throw new AppError(
          'conflict',
          'The bootstrap token is set by ADMIN_TOKEN (or DATA_DIR/admin-token); change it there',
        );
      const keep = before.expiresAt && new Date(before.expiresAt) > this.now() ? new Date(before.expiresAt) : undefined;
      const expiresAt = request.expiresAt ?? keep;
      if (expiresAt && expiresAt.getTime() <= this.now().getTime())
        throw new AppError('validation_failed', 'expiresAt must be in the future', [
          { path: 'body.expiresAt', message: 'in the past' },
        ]);
      await tx.apiTokens.revoke(tokenId, 'rotated');
      const { token, hash } = newToken();
      const view = await tx.apiTokens.create({
        hrUserId: before.hrUserId,
        name: before.name,
        scope: before.scope,
        hash,
        expiresAt: expiresAt ?? null,
      });
      await tx.audit.record([
        {
          actorId,
          action: 'api-token.regenerate',
          target: `api-token:${view.id}`,
          oldValue: { tokenId, status: before.status },
          newValue: { hrUserId: view.hrUserId, name: view.name, scope: view.scope, expiresAt: view.expiresAt },
        },
      ]);
      return { ...view, token, replaces: tokenId };
    });
  }

  /** Revoking a revoked token changes nothing and answers the token as it is. */
  async revoke(tokenId: string, actorId: string): Promise<ApiTokenView> {
    return this.repos.transaction(async (tx) => {
      const tokens = tx.apiTokens;
      const before = await tokens.get(tokenId);
      if (!before) throw notFound('API token');
      const revoked = await tokens.revoke(tokenId, 'revoked');
      if (!revoked) return before;
      await tx.audit.record([
        {
          actorId,
          action: 'api-token.revoke',
          target: `api-token:${tokenId}`,
          oldValue: { status: before.status, hrUserId: before.hrUserId, email: before.email, name: before.name },
          newValue: { status: 'revoked', revokedReason: 'revoked' },
        },
      ]);
      return revoked;
    });
  }
}
