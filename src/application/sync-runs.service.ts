import type { EntityManager } from '@mikro-orm/postgresql';
import { RUN_COLUMNS, SyncRunRepository, type RunRecord } from '../gateways/db/sync-run.repository.js';
import { AppError } from './app-error.js';

export interface OutcomeView {
  id: number;
  hrUserId: string | null;
  entraId: string | null;
  email: string | null;
  outcome: string;
  changes: Array<{ field: string; old: unknown; new: unknown }>;
  reason: string | null;
}

const RUN_VIEW = `${RUN_COLUMNS}, (select count(*)::int from pending_deactivation p where p.run_id = sync_run.id) as "pendingDeactivations"`;

/** Sync history for the admin (rule 8.1) and the decisions on held runs (rule 3.6). */
export class SyncRunsService {
  constructor(private readonly em: EntityManager) {}

  async list(options: { limit: number; before?: string; status?: string }): Promise<RunRecord[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (options.before) { where.push('started_at < (select started_at from sync_run where id = ?)'); values.push(options.before); }
    if (options.status) { where.push('status = ?'); values.push(options.status); }
    values.push(options.limit);
    return this.em.execute<RunRecord[]>(`select ${RUN_VIEW} from sync_run ${where.length ? `where ${where.join(' and ')}` : ''} order by started_at desc, id desc limit ?`, values);
  }

  async get(id: string): Promise<RunRecord> {
    const rows = await this.em.execute<RunRecord[]>(`select ${RUN_VIEW} from sync_run where id = ?`, [id]);
    if (!rows[0]) throw new AppError('not_found', 'Sync run does not exist');
    return rows[0];
  }

  /** Per-user outcomes of a run, keyset-paged in the order they were recorded. */
  async outcomes(runId: string, options: { limit: number; after?: number; outcome?: string }): Promise<OutcomeView[]> {
    await this.get(runId);
    return this.em.execute<OutcomeView[]>(
      `select id::int, hr_user_id as "hrUserId", entra_id as "entraId", email, outcome, changes, reason from sync_run_outcome
        where run_id = ? and id > ? and (?::text is null or outcome = ?) order by id limit ?`,
      [runId, options.after ?? 0, options.outcome ?? null, options.outcome ?? null, options.limit]);
  }

  /** The deactivations a held run waits to make. */
  async pending(runId: string): Promise<Array<{ hrUserId: string; email: string; reason: string }>> {
    return this.em.execute(`select hr_user_id as "hrUserId", email, reason from pending_deactivation where run_id = ? order by email`, [runId]);
  }

  async confirm(runId: string): Promise<RunRecord> {
    await this.requireHeld(runId);
    const runs = new SyncRunRepository(this.em);
    await runs.applyPendingDeactivations(runId);
    await runs.finish(runId, 'confirmed', null);
    return this.get(runId);
  }

  async discard(runId: string): Promise<RunRecord> {
    await this.requireHeld(runId);
    const runs = new SyncRunRepository(this.em);
    await runs.discardPendingDeactivations(runId);
    await runs.finish(runId, 'discarded', null);
    return this.get(runId);
  }

  private async requireHeld(runId: string): Promise<void> {
    const run = await this.get(runId);
    if (run.status !== 'held') throw new AppError('conflict', `Only a held run can be confirmed or discarded; this one is ${run.status}`);
  }
}
