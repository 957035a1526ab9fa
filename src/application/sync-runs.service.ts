import type { EntityManager } from '@mikro-orm/postgresql';
import { recheckHeldDeactivation, type HeldDeactivationCheck } from '../domain/deactivation.js';
import { HrSyncRepository } from '../gateways/db/hr-sync.repository.js';
import {
  RUN_COLUMNS,
  SyncRunRepository,
  type HeldDeactivationRow,
  type RunRecord,
} from '../gateways/db/sync-run.repository.js';
import type { HeldRunDecision } from '../gateways/notify/run-message.js';
import type { UserOutcome } from '../sync/inbound/apply.ports.js';
import { AppError } from './app-error.js';
import { PgAuditLog } from '../gateways/db/audit-log.repository.js';
import { pageOf, type Page } from './page.js';

/** Where confirm and discard are announced (the run notifier: e-mail and signed webhook). */
export interface HeldRunNotifier {
  notifyHeldRunDecision(decision: HeldRunDecision): Promise<void>;
}

/** A deactivation a held run waits to make, and whether it is still due now (rules 3.6, 3.2). */
export interface PendingView {
  hrUserId: string;
  email: string;
  reason: string;
  stillDue: boolean;
  /** Why it is no longer due; null when it is. */
  notDueReason: string | null;
}

export interface HeldRunView extends RunRecord {
  pendingDeactivations: number;
  /** How many of them confirm would apply now. */
  stillDue: number;
}

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
  constructor(
    private readonly em: EntityManager,
    private readonly notifier?: HeldRunNotifier,
  ) {}

  /** Newest first; previews only when asked for (they change nothing), or when filtered on. `after` is the `next` of the previous page (the id of its last run). */
  async list(options: {
    limit: number;
    after?: string;
    status?: string;
    includePreviews?: boolean;
  }): Promise<Page<RunRecord>> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (!options.includePreviews && options.status !== 'preview') where.push(`trigger <> 'preview'`);
    if (options.after) {
      where.push('(started_at, id) < (select started_at, id from sync_run where id = ?)');
      values.push(options.after);
    }
    if (options.status) {
      where.push('status = ?');
      values.push(options.status);
    }
    values.push(options.limit + 1);
    const rows = await this.em.execute<RunRecord[]>(
      `select ${RUN_VIEW} from sync_run ${where.length ? `where ${where.join(' and ')}` : ''} order by started_at desc, id desc limit ?`,
      values,
    );
    return pageOf(rows, options.limit, (run) => run.id);
  }

  /** The background run queued or running now, if any. */
  async active(): Promise<{ id: string; status: string } | null> {
    const run = await new SyncRunRepository(this.em).active();
    return run ? { id: run.id, status: run.status } : null;
  }

  async get(id: string): Promise<RunRecord> {
    const rows = await this.em.execute<RunRecord[]>(`select ${RUN_VIEW} from sync_run where id = ?`, [id]);
    if (!rows[0]) throw new AppError('not_found', 'Sync run does not exist');
    return rows[0];
  }

  /** Per-user outcomes of a run, keyset-paged in the order they were recorded. */
  async outcomes(
    runId: string,
    options: { limit: number; after?: number; outcome?: string },
  ): Promise<Page<OutcomeView>> {
    await this.get(runId);
    const rows = await this.em.execute<OutcomeView[]>(
      `select id::int, hr_user_id as "hrUserId", entra_id as "entraId", email, outcome, changes, reason from sync_run_outcome
        where run_id = ? and id > ? and (?::text is null or outcome = ?) order by id limit ?`,
      [runId, options.after ?? 0, options.outcome ?? null, options.outcome ?? null, options.limit + 1],
    );
    return pageOf(rows, options.limit, (row) => row.id);
  }

  /** The deactivations a held run waits to make, each re-checked against the mirror and the settings now. */
  async pending(runId: string): Promise<PendingView[]> {
    return (await recheck(this.em, runId)).map(({ row, check }) => ({
      hrUserId: row.hrUserId,
      email: row.email,
      reason: row.reason,
      stillDue: check.due,
      notDueReason: check.due ? null : check.text,
    }));
  }

  /** Held runs waiting for an admin, oldest first, whatever ran since (rule 3.6). */
  async held(): Promise<HeldRunView[]> {
    const runs = await this.em.execute<Array<RunRecord & { pendingDeactivations: number }>>(
      `select ${RUN_VIEW} from sync_run where status = 'held' order by started_at, id`,
    );
    const views: HeldRunView[] = [];
    for (const run of runs)
      views.push({ ...run, stillDue: (await recheck(this.em, run.id)).filter((c) => c.check.due).length });
    return views;
  }

  /**
   * Applies what a held run is still right about. Each held deactivation is decided again on the
   * mirror and the settings as they are now: a user who is back in a synced group, or already
   * inactive, is not deactivated but reported as skipped with the reason (rule 3.2 over 3.6).
   */
  async confirm(runId: string, actorId: string | null): Promise<RunRecord> {
    const decision = await this.em.transactional(async (em) => {
      const before = await lockHeld(em, runId);
      const checks = await recheck(em, runId);
      const due = checks.flatMap(({ row, check }) =>
        check.due ? [{ hrUserId: row.hrUserId, reason: check.reason }] : [],
      );
      const notDue: UserOutcome[] = checks.flatMap(({ row, check }) =>
        check.due
          ? []
          : [
              {
                hrUserId: row.hrUserId,
                entraId: row.entraId,
                email: row.email,
                outcome: 'skipped' as const,
                changes: [],
                reason: check.text,
              },
            ],
      );
      const runs = new SyncRunRepository(em);
      const deactivated = await runs.applyHeldDeactivations(runId, due, notDue);
      const after = await runs.finish(runId, 'confirmed', null);
      await new PgAuditLog(em).record([
        {
          actorId,
          action: 'sync-run.confirm',
          target: runId,
          oldValue: { status: before.status, counts: before.counts, pendingDeactivations: before.pendingDeactivations },
          newValue: {
            status: after.status,
            counts: after.counts,
            pendingDeactivations: 0,
            deactivated,
            notDue: notDue.length,
          },
        },
      ]);
      return { before, after, deactivated, notDue: notDue.map((n) => ({ email: n.email, reason: n.reason })) };
    });
    await this.announce(decision, actorId);
    return this.get(runId);
  }

  /** Drops a held run's deactivations; nobody is deactivated. */
  async discard(runId: string, actorId: string | null): Promise<RunRecord> {
    const decision = await this.em.transactional(async (em) => {
      const before = await lockHeld(em, runId);
      const runs = new SyncRunRepository(em);
      await runs.discardPendingDeactivations(runId);
      const after = await runs.finish(runId, 'discarded', null);
      await new PgAuditLog(em).record([
        {
          actorId,
          action: 'sync-run.discard',
          target: runId,
          oldValue: { status: before.status, counts: before.counts, pendingDeactivations: before.pendingDeactivations },
          newValue: { status: after.status, counts: after.counts, pendingDeactivations: 0, deactivated: 0 },
        },
      ]);
      return { before, after, deactivated: 0, notDue: [] };
    });
    await this.announce(decision, actorId);
    return this.get(runId);
  }

  /** After the commit, so a slow mail server never holds the decision's transaction. */
  private async announce(
    d: { before: HeldRecord; after: RunRecord; deactivated: number; notDue: HeldRunDecision['notDue'] },
    actorId: string | null,
  ): Promise<void> {
    if (!this.notifier) return;
    const [actor] = actorId
      ? await this.em.execute<{ email: string }[]>('select email from hr_user where id = ?', [actorId])
      : [];
    // The run notifier logs what it cannot send and never throws.
    await this.notifier.notifyHeldRunDecision({
      id: d.after.id,
      status: d.after.status as HeldRunDecision['status'],
      trigger: d.after.trigger,
      startedAt: d.after.startedAt,
      decidedAt: d.after.finishedAt ?? new Date(),
      decidedBy: actor?.email ?? null,
      pendingBefore: d.before.pendingDeactivations,
      deactivated: d.deactivated,
      notDue: d.notDue,
      counts: d.after.counts,
    });
  }
}

type HeldRecord = RunRecord & { pendingDeactivations: number };

/** The run, locked against a concurrent confirm or discard; only a held run may be decided. */
async function lockHeld(em: EntityManager, runId: string): Promise<HeldRecord> {
  const rows = await em.execute<HeldRecord[]>(`select ${RUN_VIEW} from sync_run where id = ? for update`, [runId]);
  const run = rows[0];
  if (!run) throw new AppError('not_found', 'Sync run does not exist');
  if (run.status !== 'held')
    throw new AppError('conflict', `Only a held run can be confirmed or discarded; this one is ${run.status}`);
  return run;
}

async function recheck(
  em: EntityManager,
  runId: string,
): Promise<Array<{ row: HeldDeactivationRow; check: HeldDeactivationCheck }>> {
  const settings = await new HrSyncRepository(em).runSettings();
  const rows = await new SyncRunRepository(em).heldDeactivations(runId, {
    groupIds: settings.syncedGroupIds,
    nested: settings.followNestedGroups,
  });
  return rows.map((row) => ({
    row,
    check: recheckHeldDeactivation({ ...row, neverSyncedPolicy: settings.neverSyncedPolicy }),
  }));
}
