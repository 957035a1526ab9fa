import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface Principal {
  userId: string;
  email: string;
  roles: string[];
  /** Holds a protected (administrator) role. */
  isAdmin: boolean;
}

/** Tokens are random 32 bytes, shown once; only their SHA-256 is stored. */
export function newToken(): { token: string; hash: string } {
  const token = `ehc_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class ApiTokenRepository {
  constructor(private readonly em: EntityManager) {}

  /** The active user behind a token, with its roles, in one query; null for unknown, revoked or inactive. */
  async findPrincipal(token: string): Promise<Principal | null> {
    const rows = await this.em.execute<{ user_id: string; email: string; roles: Array<{ name: string; protected: boolean }> | null }[]>(
      `update api_token t set last_used_at = now()
         from hr_user u
        where t.token_hash = ? and t.revoked_at is null and u.id = t.hr_user_id and u.active
       returning u.id as user_id, u.email,
         (select json_agg(json_build_object('name', r.name, 'protected', r.protected))
            from user_role ur join role r on r.id = ur.role_id where ur.hr_user_id = u.id) as roles`,
      [hashToken(token)],
    );
    const row = rows[0];
    if (!row) return null;
    const roles = row.roles ?? [];
    return { userId: row.user_id, email: row.email, roles: roles.map((r) => r.name), isAdmin: roles.some((r) => r.protected) };
  }

  async create(hrUserId: string, name: string, hash: string): Promise<string> {
    const rows = await this.em.execute<{ id: string }[]>(
      'insert into api_token (token_hash, hr_user_id, name) values (?, ?, ?) returning id',
      [hash, hrUserId, name],
    );
    return rows[0]!.id;
  }

  async revoke(tokenId: string): Promise<boolean> {
    const rows = await this.em.execute<{ id: string }[]>(
      'update api_token set revoked_at = now() where id = ? and revoked_at is null returning id',
      [tokenId],
    );
    return rows.length > 0;
  }
}
