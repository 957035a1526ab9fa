import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  ActiveRun,
  HeldDeactivationRow,
  SyncRunRepository as SyncRunPort,
} from '../../application/ports/sync-run.port.js';
import type { Outcome, UserOutcome } from '../../sync/inbound/apply.ports.js';
import {
  BACKGROUND_TRIGGERS,
  INITIAL_PROGRESS,
  type BackgroundTrigger,
  type RunProgress,
  type RunRecord,
  type SyncCounts,
  type SyncRunStore,
  type SyncRunMode,
  type SyncRunStatus,
  type SyncRunTrigger,
} from '../../sync/inbound/sync-run.ports.js';
import { insertOutcomes, PROVISIONED } from './hr-sync.repository.js';
import { isoUtc } from './sql-time.js';

/** The error of a run whose process died under it (kill -9, a crash, an OOM kill). */
export const INTERRUPTED_BY_DEATH =
  'interrupted: the service process running it stopped (killed or crashed) before the run ended';

export const ZERO_COUNTS: SyncCounts = {
  created: 0,
  updated: 0,
  deactivated: 0,
  reactivated: 0,
  skipped: 0,
  failed: 0,
};

export const RUN_COLUMNS = runColumns('counts');

/** A run's columns, its counts read through `counts` (a SCIM day's are counted from its outcomes when read). */
export function runColumns(counts: string): string {
  return `id, trigger, mode, status, ${isoUtc('started_at')} as "startedAt", ${isoUtc('finished_at')} as "finishedAt", ${counts} as counts, progress, error,
  triggered_by as "requestedBy", cancelled_by as "cancelledBy", throttle_wait_ms as "throttleWaitMs"`;
}

// At most one background run is queued or running at a time (the unique index sync_run_one_active).
export { BACKGROUND_TRIGGERS, INITIAL_PROGRESS, type RunRecord };

// The shapes the application's port declares (src/application/ports/sync-run.port.ts).
export type { ActiveRun, HeldDeactivationRow } from '../../application/ports/sync-run.port.js';

/** Sync runs (rule 8.1): their lifecycle, progress, counts and held deactivations. */
export class SyncRunRepository implements SyncRunPort, SyncRunStore {
  constructor(private readonly em: EntityManager) {}

  /**
   * Records a background run as queued, unless one is already queued or running: then that one is
   * returned (the unique index decides between instances asking at the same moment).
   */
  async queue(
    trigger: BackgroundTrigger,
    mode: SyncRunMode,
    requestedBy: string | null,
  ): Promise<{ run: ActiveRun; joined: boolean }> {
    const inserted = await this.em.execute<ActiveRun[]>(
      `insert into sync_run (trigger, mode, status, counts, progress, triggered_by) values (?, ?, 'queued', ?, ?, ?)
       on conflict do nothing returning id, status, mode, instance`,
      [trigger, mode, JSON.stringify(ZERO_COUNTS), JSON.stringify(INITIAL_PROGRESS), requestedBy],
    );
    if (inserted[0]) return { run: inserted[0], joined: false };
    const active = await this.active();
    if (!active) return this.queue(trigger, mode, requestedBy); // it ended between the two statements
    // A full run asked for while an incremental one still waits in the queue: the queued one becomes full.
    if (mode === 'full' && active.status === 'queued' && active.mode !== 'full') {
      await this.em.execute(`update sync_run set mode = 'full' where id = ? and status = 'queued'`, [active.id]);
      active.mode = 'full';
    }
    return { run: active, joined: true };
  }

  /** The background run queued or running now, if any. */
  async active(): Promise<ActiveRun | null> {
    const rows = await this.em.execute<ActiveRun[]>(
      `select id, status, mode, instance from sync_run where status in ('queued', 'running') and trigger in (${BACKGROUND_TRIGGERS.map((t) => `'${t}'`).join(', ')}) limit 1`,
    );
    return rows[0] ?? null;
  }

  /**
   * A queued run starts on this instance, in the mode it was last asked for; null when it is no
   * longer queued (cancelled meanwhile).
   */
  async claim(
    runId: string,
    instance: string,
  ): Promise<{ mode: 'incremental' | 'full'; requestedBy: string | null } | null> {
    await this.failOthersRunning(runId);
    const rows = await this.em.execute<{ mode: 'incremental' | 'full'; requestedBy: string | null }[]>(
      `update sync_run set status = 'running', instance = ?, started_at = now(), progress = ? where id = ? and status = 'queued'
       returning mode, triggered_by as "requestedBy"`,
      [instance, JSON.stringify({ ...INITIAL_PROGRESS, stage: 'starting' }), runId],
    );
    return rows[0] ?? null;
  }

  /** A run that starts at once (preview, one user). */
  async start(
    trigger: SyncRunTrigger,
    mode: SyncRunMode,
    requestedBy: string | null,
    instance: string,
  ): Promise<string> {
    await this.failOthersRunning(null);
    const rows = await this.em.execute<{ id: string }[]>(
      `insert into sync_run (trigger, mode, status, counts, progress, triggered_by, instance) values (?, ?, 'running', ?, ?, ?, ?) returning id`,
      [
        trigger,
        mode,
        JSON.stringify(ZERO_COUNTS),
        JSON.stringify({ ...INITIAL_PROGRESS, stage: 'starting' }),
        requestedBy,
        instance,
      ],
    );
    return rows[0]!.id;
  }

  /** Only the sync-lock holder gets here, so any other run still marked running died with its process. */
  private async failOthersRunning(except: string | null): Promise<void> {
    await this.failRuns(`status = 'running' and id is distinct from ?`, [except], INTERRUPTED_BY_DEATH);
  }

  /** Fails runs whose process died under them, and drops what they held back. */
  async failDead(runIds: readonly string[]): Promise<string[]> {
    if (runIds.length === 0) return [];
    return this.failRuns(
      `status = 'running' and id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
      [JSON.stringify(runIds)],
      INTERRUPTED_BY_DEATH,
    );
  }

  /** Runs marked running, with the instance running them. */
  async running(): Promise<Array<{ id: string; instance: string | null }>> {
    return this.em.execute(`select id, instance from sync_run where status = 'running'`);
  }

  private async failRuns(where: string, values: unknown[], error: string): Promise<string[]> {
    const rows = await this.em.execute<{ id: string }[]>(
      `update sync_run set status = 'failed', error = ?, finished_at = now() where ${where} returning id`,
      [error, ...values],
    );
    if (rows.length)
      await this.em.execute(
        `delete from pending_deactivation p using sync_run r where r.id = p.run_id and r.status = 'failed'`,
      );
    return rows.map((r) => r.id);
  }

  /**
   * An admin cancels a run: a queued one is cancelled at once; a running one is asked to stop (its
   * engine notices within a moment, on whichever instance runs it). Null when the run is neither.
   */
  async requestCancel(runId: string, by: string | null): Promise<'cancelled' | 'requested' | null> {
    const queued = await this.em.execute<{ id: string }[]>(
      `update sync_run set status = 'cancelled', cancelled_by = ?, cancel_requested_at = now(), finished_at = now(), error = 'cancelled by an administrator before it started'
        where id = ? and status = 'queued' returning id`,
      [by, runId],
    );
    if (queued.length) return 'cancelled';
    const running = await this.em.execute<{ id: string }[]>(
      `update sync_run set cancelled_by = coalesce(cancelled_by, ?), cancel_requested_at = coalesce(cancel_requested_at, now())
        where id = ? and status = 'running' returning id`,
      [by, runId],
    );
    return running.length ? 'requested' : null;
  }

  /** Records how far the run is; answers whether an admin has asked it to stop meanwhile. */
  async progress(runId: string, progress: RunProgress, throttleWaitMs: number): Promise<{ cancelRequested: boolean }> {
    const rows = await this.em.execute<{ cancel: boolean }[]>(
      'update sync_run set progress = ?, throttle_wait_ms = ? where id = ? returning cancel_requested_at is not null as cancel',
      [JSON.stringify(progress), Math.round(throttleWaitMs), runId],
    );
    return { cancelRequested: rows[0]?.cancel ?? false };
  }

  async cancelRequested(runId: string): Promise<boolean> {
    const rows = await this.em.execute<{ cancel: boolean }[]>(
      'select cancel_requested_at is not null as cancel from sync_run where id = ?',
      [runId],
    );
    return rows[0]?.cancel ?? false;
  }

  /** Counts come from the outcomes themselves, so they can never disagree with the per-user list. */
  async finish(runId: string, status: SyncRunStatus, error: string | null = null): Promise<RunRecord> {
    const rows = await this.em.execute<RunRecord[]>(
      `update sync_run r set status = ?, error = ?, finished_at = now(),
         counts = (select jsonb_build_object(
           'created', count(*) filter (where outcome = 'created'), 'updated', count(*) filter (where outcome = 'updated'),
           'deactivated', count(*) filter (where outcome = 'deactivated'), 'reactivated', count(*) filter (where outcome = 'reactivated'),
           'skipped', count(*) filter (where outcome = 'skipped'), 'failed', count(*) filter (where outcome = 'failed'))
           from sync_run_outcome o where o.run_id = r.id)
       where id = ? returning ${RUN_COLUMNS}`,
      [status, error, runId],
    );
    return rows[0]!;
  }

  async get(runId: string): Promise<RunRecord | null> {
    const rows = await this.em.execute<RunRecord[]>(`select ${RUN_COLUMNS} from sync_run where id = ?`, [runId]);
    return rows[0] ?? null;
  }

  async failures(runId: string, limit: number): Promise<Array<{ email: string | null; reason: string | null }>> {
    return this.em.execute(
      `select email, reason from sync_run_outcome where run_id = ? and outcome = 'failed' order by id limit ?`,
      [runId, limit],
    );
  }

  async outcomeCount(runId: string, outcome: Outcome): Promise<number> {
    const rows = await this.em.execute<{ n: string }[]>(
      'select count(*) as n from sync_run_outcome where run_id = ? and outcome = ?',
      [runId, outcome],
    );
    return Number(rows[0]!.n);
  }

  async pendingCount(runId: string): Promise<number> {
    const rows = await this.em.execute<{ n: string }[]>(
      'select count(*) as n from pending_deactivation where run_id = ?',
      [runId],
    );
    return Number(rows[0]!.n);
  }

  /** Users a run could deactivate: the active HR users the sync manages (linked to Entra). */
  async activeSyncedUsers(includeNeverSynced: boolean, sparePushed: boolean): Promise<number> {
    const rows = await this.em.execute<{ n: string }[]>(
      `select count(*) as n from hr_user u where active and (entra_id is not null or (? and not (? and ${PROVISIONED})))`,
      [includeNeverSynced, sparePushed],
    );
    return Number(rows[0]!.n);
  }

  /** Applies a run's pending deactivations in one statement and records them as its outcomes. */
  async applyPendingDeactivations(runId: string): Promise<number> {
    return this.em.transactional(async (em) => {
      const done = await em.execute<{ hr_user_id: string; entra_id: string | null; email: string; reason: string }[]>(
        `with p as (delete from pending_deactivation where run_id = ? returning hr_user_id, entra_id, email, reason)
         update hr_user u set active = false, deactivated_reason = p.reason, updated_at = now(), last_change_origin = 'entra', last_changed_at = now()
           from p where u.id = p.hr_user_id and u.active
         returning p.hr_user_id, p.entra_id, p.email, p.reason`,
        [runId],
      );
      await insertOutcomes(
        em,
        runId,
        done.map((d) => ({
          hrUserId: d.hr_user_id,
          entraId: d.entra_id,
          email: d.email,
          outcome: 'deactivated' as const,
          changes: [{ field: 'active', old: true, new: false }],
          reason: d.reason,
        })),
      );
      return done.length;
    });
  }

  /**
   * A held run's pending deactivations, each with what the mirror, HR and the settings say about
   * the user now: the input of the re-check at confirm (rules 3.6 and 3.2).
   */
  async heldDeactivations(
    runId: string,
    synced: { groupIds: string[]; nested: boolean },
  ): Promise<HeldDeactivationRow[]> {
    return this.em.execute<HeldDeactivationRow[]>(
      `with recursive closure(grp, depth) as (
         select value, 0 from jsonb_array_elements_text(?::jsonb)
         union
         select m.member_id, c.depth + 1 from closure c
           join entra_group_member m on m.group_id = c.grp and m.member_type = 'group'
          where ? and c.depth < 32
       )
       select p.hr_user_id as "hrUserId", u.entra_id as "entraId", p.email, p.reason, u.active,
              u.entra_id is not null as "everSynced",
              u.entra_id is not null and (e.entra_id is null or e.removed is not null) as "deletedInEntra",
              coalesce(e.properties->'accountEnabled' = 'false'::jsonb, false) as "disabledInEntra",
              u.entra_id is not null and exists (select 1 from entra_group_member m where m.member_id = u.entra_id and m.group_id in (select grp from closure)) as "inSyncedGroup",
              exists (select 1 from employee_profile ep where ep.hr_user_id = u.id and ep.employment_status = 'archived') as "employeeArchived",
              exists (select 1 from user_role ur join role r on r.id = ur.role_id where ur.hr_user_id = u.id and r.protected) as "protectedRole"
         from pending_deactivation p
         join hr_user u on u.id = p.hr_user_id
         left join entra_user e on e.entra_id = u.entra_id
        where p.run_id = ?
        order by p.email`,
      [JSON.stringify(synced.groupIds), synced.nested, runId],
    );
  }

  /**
   * Confirms a held run: deactivates the users still due (with the reason decided now), records
   * them and the ones no longer due as the run's outcomes, and drops the run's pending list.
   */
  async applyHeldDeactivations(
    runId: string,
    due: Array<{ hrUserId: string; reason: string }>,
    notDue: UserOutcome[],
  ): Promise<number> {
    const done =
      due.length === 0
        ? []
        : await this.em.execute<{ id: string; entra_id: string | null; email: string; reason: string }[]>(
            `update hr_user u set active = false, deactivated_reason = x.reason, updated_at = now(), last_change_origin = 'entra', last_changed_at = now()
         from jsonb_to_recordset(?::jsonb) as x(id uuid, reason text)
        where u.id = x.id and u.active
       returning u.id, u.entra_id, u.email, x.reason`,
            [JSON.stringify(due.map((d) => ({ id: d.hrUserId, reason: d.reason })))],
          );
    await this.em.execute('delete from pending_deactivation where run_id = ?', [runId]);
    await insertOutcomes(this.em, runId, [
      ...done.map((d) => ({
        hrUserId: d.id,
        entraId: d.entra_id,
        email: d.email,
        outcome: 'deactivated' as const,
        changes: [{ field: 'active', old: true, new: false }],
        reason: d.reason,
      })),
      ...notDue,
    ]);
    return done.length;
  }

  async discardPendingDeactivations(runId: string): Promise<number> {
    const rows = await this.em.execute<{ hr_user_id: string }[]>(
      'delete from pending_deactivation where run_id = ? returning hr_user_id',
      [runId],
    );
    return rows.length;
  }
}
