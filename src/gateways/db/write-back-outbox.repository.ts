import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  WriteBackChangeQuery,
  WriteBackChangeView,
  WriteBackOutboxRepository,
} from '../../application/ports/write-back.port.js';
import type { ChangeAction } from '../../domain/write-back-changes.js';
import { isoUtc } from './sql-time.js';
import { cancelPending } from './write-back.repository.js';
import { WRITE_BACK_CHANNEL } from './write-back-wakeups.js';

const VIEW = `select id::text as id, action, hr_user_id as "hrUserId", entra_id as "entraId", email, fields, status, attempts,
  reason, error_code as "errorCode", error_status as "errorStatus", result, drain_id as "drainId",
  ${isoUtc('created_at')} as "createdAt", ${isoUtc('not_before')} as "notBefore", ${isoUtc('settled_at')} as "settledAt"
  from write_back_change`;

/** write_back_change as the admin API lists it, retries and discards its changes. */
export class PgWriteBackOutboxRepository implements WriteBackOutboxRepository {
  constructor(private readonly em: EntityManager) {}

  async list(query: WriteBackChangeQuery): Promise<WriteBackChangeView[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (query.status?.length) {
      where.push('status in (select jsonb_array_elements_text(?::jsonb))');
      values.push(JSON.stringify(query.status));
    }
    if (query.action) {
      where.push('action = ?');
      values.push(query.action);
    }
    if (query.hrUserId) {
      where.push('hr_user_id = ?');
      values.push(query.hrUserId);
    }
    if (query.after) {
      where.push('id < ?::bigint');
      values.push(query.after);
    }
    values.push(query.limit);
    return this.em.execute<WriteBackChangeView[]>(
      `${VIEW} ${where.length ? `where ${where.join(' and ')}` : ''} order by id desc limit ?`,
      values,
    );
  }

  async lock(id: string): Promise<WriteBackChangeView | null> {
    const [row] = await this.em.execute<WriteBackChangeView[]>(`${VIEW} where id = ?::bigint for update`, [id]);
    return row ?? null;
  }

  async requeue(id: string): Promise<void> {
    await this.em.execute(
      `update write_back_change set status = 'pending', attempts = 0, not_before = now(), reason = null,
         error_code = null, error_status = null, drain_id = null, settled_at = null where id = ?::bigint`,
      [id],
    );
    // Delivered when the transaction commits, as for a new change.
    await this.em.execute(`select pg_notify('${WRITE_BACK_CHANNEL}', '')`);
  }

  async discard(id: string, reason: string): Promise<void> {
    await this.em.execute(
      `update write_back_change set status = 'discarded', reason = ?, settled_at = now() where id = ?::bigint`,
      [reason, id],
    );
  }

  cancelPending(action: ChangeAction, reason: string): Promise<number> {
    return cancelPending(this.em, action, reason);
  }
}
