import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  SessionPrincipal,
  SignInCandidate,
  SignInMethod,
  WebSessionRepository,
} from '../../application/ports/web-session.port.js';
import { isoUtc } from './sql-time.js';

/** Web sessions in PostgreSQL (table web_session), stored as the SHA-256 of their cookie token. */
export class PgWebSessionRepository implements WebSessionRepository {
  constructor(private readonly em: EntityManager) {}

  async create(session: {
    hrUserId: string;
    tokenHash: string;
    csrfToken: string;
    method: SignInMethod;
    expiresAt: Date;
  }): Promise<void> {
    await this.em.execute(
      'insert into web_session (token_hash, hr_user_id, csrf_token, method, expires_at) values (?, ?, ?, ?, ?)',
      [session.tokenHash, session.hrUserId, session.csrfToken, session.method, session.expiresAt],
    );
  }

  /** One statement: the live session of an active user, touched, with the user's roles. */
  async findPrincipal(tokenHash: string): Promise<SessionPrincipal | null> {
    const rows = await this.em.execute<
      Array<{
        session_id: string;
        csrf_token: string;
        method: SignInMethod;
        expires_at: string;
        user_id: string;
        email: string;
        display_name: string | null;
        roles: Array<{ name: string; protected: boolean }> | null;
      }>
    >(
      `update web_session s set last_seen_at = now()
         from hr_user u
        where s.token_hash = ? and s.expires_at > now() and u.id = s.hr_user_id and u.active
       returning s.id as session_id, s.csrf_token, s.method, ${isoUtc('s.expires_at')} as expires_at,
         u.id as user_id, u.email, u.display_name,
         (select json_agg(json_build_object('name', r.name, 'protected', r.protected) order by r.name)
            from user_role ur join role r on r.id = ur.role_id where ur.hr_user_id = u.id) as roles`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return null;
    const roles = row.roles ?? [];
    return {
      sessionId: row.session_id,
      csrfToken: row.csrf_token,
      method: row.method,
      expiresAt: row.expires_at,
      userId: row.user_id,
      email: row.email,
      displayName: row.display_name,
      roles: roles.map((r) => r.name),
      isAdmin: roles.some((r) => r.protected),
    };
  }

  async delete(tokenHash: string): Promise<void> {
    await this.em.execute('delete from web_session where token_hash = ?', [tokenHash]);
  }

  async deleteExpired(): Promise<number> {
    const rows = await this.em.execute<{ id: string }[]>(
      'delete from web_session where expires_at <= now() returning id',
    );
    return rows.length;
  }

  /** By Entra object id first; by e-mail only for a user linked to no Entra user (docs/graph.md §12.4). */
  async findSignInUser(entraId: string, email: string | null): Promise<SignInCandidate | null> {
    const rows = await this.em.execute<SignInCandidate[]>(
      `select id, email, active, entra_id as "entraId" from hr_user
        where entra_id = ? or (? :: text is not null and entra_id is null and lower(email) = lower(?))
        order by (entra_id = ?) desc nulls last limit 1`,
      [entraId, email, email, entraId],
    );
    return rows[0] ?? null;
  }
}
