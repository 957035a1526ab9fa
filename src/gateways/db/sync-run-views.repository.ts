import type { EntityManager } from '@mikro-orm/postgresql';
import { containsPattern, LIKE_ESCAPE } from './like-pattern.js';
import type { OutcomeView, RunListQuery, RunView, SyncRunViews } from '../../application/ports/sync-run.port.js';
import { BACKGROUND_TRIGGERS, runColumns } from './sync-run.repository.js';

/** A SCIM day's run gains outcomes all day (scim-history.repository.ts): its counts are counted when read. */
const COUNTS = `case when sync_run.trigger = 'scim' then (select jsonb_build_object(
    'created', count(*) filter (where o.outcome = 'created'), 'updated', count(*) filter (where o.outcome = 'updated'),
    'deactivated', count(*) filter (where o.outcome = 'deactivated'), 'reactivated', count(*) filter (where o.outcome = 'reactivated'),
    'skipped', count(*) filter (where o.outcome = 'skipped'), 'failed', count(*) filter (where o.outcome = 'failed'))
  from sync_run_outcome o where o.run_id = sync_run.id) else sync_run.counts end`;

const RUN_VIEW = `${runColumns(COUNTS)}, (select count(*)::int from pending_deactivation p where p.run_id = sync_run.id) as "pendingDeactivations"`;

/** Sync runs and their per-user outcomes as the admin API shows them. */
export class PgSyncRunViews implements SyncRunViews {
  constructor(private readonly em: EntityManager) {}

  /** Previews only when asked for (they change nothing), or when filtered on. */
  async list(query: RunListQuery): Promise<RunView[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (!query.includePreviews && query.status !== 'preview') where.push(`trigger <> 'preview'`);
    if (query.after) {
      where.push('(started_at, id) < (select started_at, id from sync_run where id = ?)');
      values.push(query.after);
    }
    if (query.status) {
      where.push('status = ?');
      values.push(query.status);
    }
    values.push(query.limit);
    return this.em.execute<RunView[]>(
      `select ${RUN_VIEW} from sync_run ${where.length ? `where ${where.join(' and ')}` : ''} order by started_at desc, id desc limit ?`,
      values,
    );
  }

  async get(id: string): Promise<RunView | null> {
    const rows = await this.em.execute<RunView[]>(`select ${RUN_VIEW} from sync_run where id = ?`, [id]);
    return rows[0] ?? null;
  }

  async lock(id: string): Promise<RunView | null> {
    const rows = await this.em.execute<RunView[]>(`select ${RUN_VIEW} from sync_run where id = ? for update`, [id]);
    return rows[0] ?? null;
  }

  async held(): Promise<RunView[]> {
    return this.em.execute<RunView[]>(`select ${RUN_VIEW} from sync_run where status = 'held' order by started_at, id`);
  }

  async outcomes(
    runId: string,
    query: { limit: number; after?: number; outcome?: string; search?: string },
  ): Promise<OutcomeView[]> {
    const search = query.search ? containsPattern(query.search) : null;
    return this.em.execute<OutcomeView[]>(
      `select id::int, hr_user_id as "hrUserId", entra_id as "entraId", email, outcome, changes, reason from sync_run_outcome
        where run_id = ? and id > ? and (?::text is null or outcome = ?)
          and (?::text is null or email ilike ? ${LIKE_ESCAPE}) order by id limit ?`,
      [runId, query.after ?? 0, query.outcome ?? null, query.outcome ?? null, search, search, query.limit],
    );
  }

  async everRanInBackground(): Promise<boolean> {
    const [row] = await this.em.execute<{ ran: boolean }[]>(
      `select exists (select 1 from sync_run where trigger in (select jsonb_array_elements_text(?::jsonb))) as ran`,
      [JSON.stringify(BACKGROUND_TRIGGERS)],
    );
    return row!.ran;
  }
}
