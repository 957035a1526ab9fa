import type { EntityManager } from '@mikro-orm/postgresql';
import { hashToken } from '../../domain/bearer-token.js';
import type {
  ApiTokenQuery,
  ApiTokenRepository,
  ApiTokenView,
  Principal,
  TokenRevokedReason,
  TokenScope,
} from '../../application/ports/api-token.port.js';
import { isoUtc } from './sql-time.js';

const VIEW_COLUMNS = `t.id, t.hr_user_id as "hrUserId", u.email, t.name, t.scope, t.bootstrap,
  case when t.revoked_at is not null then 'revoked' when t.expires_at <= now() then 'expired' else 'active' end as status,
  ${isoUtc('t.created_at')} as "createdAt", ${isoUtc('t.last_used_at')} as "lastUsedAt",
  ${isoUtc('t.expires_at')} as "expiresAt", ${isoUtc('t.revoked_at')} as "revokedAt", t.revoked_reason as "revokedReason"`;

/** API tokens in PostgreSQL, stored as their SHA-256 only. */
export class PgApiTokenRepository implements ApiTokenRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * The active user behind a token of this scope, with its roles, in one query; null for unknown,
   * revoked, expired, inactive, or a token of another scope. The last use is written at most once a
   * minute: Entra's provisioning service sends hundreds of requests a second with one token, and a
   * write of the same row by each would queue them all behind its row lock.
   */
  async findPrincipal(token: string, scope: TokenScope): Promise<Principal | null> {
    const rows = await this.em.execute<
      {
        token_id: string;
        user_id: string;
        email: string;
        expires_at: number | null;
        roles: Array<{ name: string; protected: boolean }> | null;
      }[]
    >(
      `with found as (
         select t.id as token_id, t.last_used_at, t.expires_at, u.id as user_id, u.email
           from api_token t join hr_user u on u.id = t.hr_user_id
          where t.token_hash = ? and t.scope = ? and t.revoked_at is null and (t.expires_at is null or t.expires_at > now()) and u.active
       ), used as (
         update api_token t set last_used_at = now() from found f
          where t.id = f.token_id and (f.last_used_at is null or f.last_used_at < now() - interval '1 minute')
       )
       select f.token_id, f.user_id, f.email, (extract(epoch from f.expires_at) * 1000)::float8 as expires_at,
         (select json_agg(json_build_object('name', r.name, 'protected', r.protected))
            from user_role ur join role r on r.id = ur.role_id where ur.hr_user_id = f.user_id) as roles
         from found f`,
      [hashToken(token), scope],
    );
    const row = rows[0];
    if (!row) return null;
    const roles = row.roles ?? [];
    return {
      userId: row.user_id,
      email: row.email,
      roles: roles.map((r) => r.name),
      isAdmin: roles.some((r) => r.protected),
      tokenId: row.token_id,
      tokenExpiresAt: row.expires_at === null ? null : Number(row.expires_at),
    };
  }

  async create(token: {
    hrUserId: string;
    name: string;
    hash: string;
    scope?: TokenScope;
    expiresAt?: Date | null;
    bootstrap?: boolean;
  }): Promise<ApiTokenView> {
    const rows = await this.em.execute<{ id: string }[]>(
      'insert into api_token (token_hash, hr_user_id, name, scope, expires_at, bootstrap) values (?, ?, ?, ?, ?, ?) returning id',
      [token.hash, token.hrUserId, token.name, token.scope ?? 'api', token.expiresAt ?? null, token.bootstrap ?? false],
    );
    return (await this.get(rows[0]!.id))!;
  }

  async get(id: string): Promise<ApiTokenView | null> {
    const rows = await this.em.execute<ApiTokenView[]>(
      `select ${VIEW_COLUMNS} from api_token t join hr_user u on u.id = t.hr_user_id where t.id = ?`,
      [id],
    );
    return rows[0] ?? null;
  }

  async findByHash(hash: string): Promise<ApiTokenView | null> {
    const rows = await this.em.execute<ApiTokenView[]>(
      `select ${VIEW_COLUMNS} from api_token t join hr_user u on u.id = t.hr_user_id where t.token_hash = ?`,
      [hash],
    );
    return rows[0] ?? null;
  }

  /** Newest first; `after` is the id of the last token of the previous page; reads `limit` rows as asked. */
  async list(query: ApiTokenQuery): Promise<ApiTokenView[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (query.after) {
      where.push('(t.created_at, t.id) < (select created_at, id from api_token where id = ?)');
      values.push(query.after);
    }
    if (query.hrUserId) {
      where.push('t.hr_user_id = ?');
      values.push(query.hrUserId);
    }
    if (query.scope) {
      where.push('t.scope = ?');
      values.push(query.scope);
    }
    if (query.status === 'active')
      where.push('t.revoked_at is null and (t.expires_at is null or t.expires_at > now())');
    if (query.status === 'expired') where.push('t.revoked_at is null and t.expires_at <= now()');
    if (query.status === 'revoked') where.push('t.revoked_at is not null');
    values.push(query.limit);
    return this.em.execute<ApiTokenView[]>(
      `select ${VIEW_COLUMNS} from api_token t join hr_user u on u.id = t.hr_user_id
        ${where.length ? `where ${where.join(' and ')}` : ''} order by t.created_at desc, t.id desc limit ?`,
      values,
    );
  }

  /** Revokes one token; null when it was already revoked (or does not exist). */
  async revoke(tokenId: string, reason: TokenRevokedReason): Promise<ApiTokenView | null> {
    const rows = await this.em.execute<{ id: string }[]>(
      'update api_token set revoked_at = now(), revoked_reason = ? where id = ? and revoked_at is null returning id',
      [reason, tokenId],
    );
    return rows[0] ? this.get(rows[0].id) : null;
  }

  async markBootstrap(tokenId: string): Promise<void> {
    await this.em.execute('update api_token set bootstrap = true where id = ?', [tokenId]);
  }

  /** Revokes every bootstrap token but the one configured now (ADMIN_TOKEN rotated); returns the revoked ones. */
  async revokeOtherBootstrapTokens(keepHash: string): Promise<ApiTokenView[]> {
    const rows = await this.em.execute<{ id: string }[]>(
      `update api_token set revoked_at = now(), revoked_reason = 'rotated' where bootstrap and revoked_at is null and token_hash <> ? returning id`,
      [keepHash],
    );
    return Promise.all(rows.map(async (r) => (await this.get(r.id))!));
  }
}
