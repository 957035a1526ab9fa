import type { EntityManager } from '@mikro-orm/postgresql';
import { isoUtc } from '../gateways/db/sql-time.js';
import { pageOf, type Page } from './page.js';

export interface AuditEntry {
  actorId: string | null;
  /** A dotted verb: 'settings.update', 'employee-profile.connect', ... */
  action: string;
  target: string | null;
  oldValue: unknown;
  newValue: unknown;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  /** ISO 8601 UTC. */
  at: string;
  /** The actor's e-mail as it is now; null for the system or a deleted user. */
  actorEmail: string | null;
}

export interface AuditQuery {
  /** Keyset: only rows older than this id (the `next` of the previous page). */
  after?: number;
  limit: number;
  action?: string;
}

/**
 * Who changed what, when, from what to what. Written inside the transaction of the change it
 * records, so a rolled-back change leaves no audit row and a committed one always has its row.
 */
export class AuditLogService {
  constructor(private readonly em: EntityManager) {}

  /** One statement for any number of entries. Values are stored as JSON; callers leave secrets out. */
  async record(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((e) => ({
      actor_id: e.actorId,
      action: e.action,
      target: e.target,
      old_value: e.oldValue ?? null,
      new_value: e.newValue ?? null,
    }));
    await this.em.execute(
      `insert into audit_log (actor_id, action, target, old_value, new_value)
       select actor_id, action, target, old_value, new_value
         from jsonb_to_recordset(?::jsonb) as x(actor_id uuid, action text, target text, old_value jsonb, new_value jsonb)`,
      [JSON.stringify(rows)],
    );
  }

  /** Newest first, paged by id so a page costs the same wherever it is. */
  async list(query: AuditQuery): Promise<Page<AuditRecord>> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (query.after !== undefined) {
      where.push('a.id < ?');
      values.push(query.after);
    }
    if (query.action) {
      where.push('a.action = ?');
      values.push(query.action);
    }
    values.push(query.limit + 1);
    const rows = await this.em.execute<Array<Omit<AuditRecord, 'id'> & { id: string }>>(
      `select a.id, ${isoUtc('a.at')} as at, a.actor_id as "actorId", u.email as "actorEmail", a.action, a.target, a.old_value as "oldValue", a.new_value as "newValue"
         from audit_log a left join hr_user u on u.id = a.actor_id
        ${where.length ? `where ${where.join(' and ')}` : ''}
        order by a.id desc limit ?`,
      values,
    );
    return pageOf(
      rows.map((row) => ({ ...row, id: Number(row.id) })),
      query.limit,
      (row) => row.id,
    );
  }
}

/**
 * Giving or taking an administrator (protected) role is recorded on its own, besides the change
 * of the user's roles, so that it can be found with ?action=user.admin-role.grant|revoke.
 */
export function protectedRoleEntries(
  actorId: string | null,
  hrUserId: string,
  granted: ReadonlyArray<{ name: string }>,
  revoked: ReadonlyArray<{ name: string }>,
): AuditEntry[] {
  const entry = (action: string, role: string, held: boolean): AuditEntry => ({
    actorId,
    action,
    target: `hr-user:${hrUserId}`,
    oldValue: { role, held: !held },
    newValue: { role, held },
  });
  return [
    ...granted.map((r) => entry('user.admin-role.grant', r.name, true)),
    ...revoked.map((r) => entry('user.admin-role.revoke', r.name, false)),
  ];
}
