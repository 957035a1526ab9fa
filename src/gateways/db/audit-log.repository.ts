import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditEntry, AuditLog, AuditQuery, AuditRecord } from '../../application/ports/audit-log.port.js';
import { isoUtc } from './sql-time.js';

/** The audit log in PostgreSQL; entries are written in the caller's transaction. */
export class PgAuditLog implements AuditLog {
  constructor(private readonly em: EntityManager) {}

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

  /** Paged by id, so a page costs the same wherever it is. */
  async list(query: AuditQuery): Promise<AuditRecord[]> {
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
    values.push(query.limit);
    const rows = await this.em.execute<Array<Omit<AuditRecord, 'id'> & { id: string }>>(
      `select a.id, ${isoUtc('a.at')} as at, a.actor_id as "actorId", u.email as "actorEmail", a.action, a.target, a.old_value as "oldValue", a.new_value as "newValue"
         from audit_log a left join hr_user u on u.id = a.actor_id
        ${where.length ? `where ${where.join(' and ')}` : ''}
        order by a.id desc limit ?`,
      values,
    );
    return rows.map((row) => ({ ...row, id: Number(row.id) }));
  }
}
