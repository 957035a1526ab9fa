import { recheckHeldDeactivation, type HeldDeactivationCheck } from '../domain/deactivation.js';
import type { HeldRunDecision } from '../gateways/notify/run-message.js';
import type { UserOutcome } from '../sync/inbound/apply.ports.js';
import type { SyncRunStatus } from '../sync/inbound/sync-run.ports.js';
import { AppError } from './app-error.js';
import { pageOf, type Page } from './page.js';
import type { Repositories } from './ports/repositories.port.js';
import type {
  HeldDeactivationRow,
  OutcomeView,
  ReconciliationReport,
  RunRecord,
  RunView,
} from './ports/sync-run.port.js';
import { readSyncScope } from './sync-scope.js';

export type { OutcomeView, ReconciliationReport } from './ports/sync-run.port.js';

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

/**
 * Sync history for the admin (rule 8.1), the decisions on held runs (rule 3.6), and the
 * reconciliation report.
 */
export class SyncRunsService {
  constructor(
    private readonly repos: Repositories,
    private readonly notifier?: HeldRunNotifier,
  ) {}

  /** Newest first; previews only when asked for (they change nothing), or when filtered on. `after` is the `next` of the previous page (the id of its last run). */
  async list(options: {
    limit: number;
    after?: string;
    status?: SyncRunStatus;
    includePreviews?: boolean;
  }): Promise<Page<RunRecord>> {
    const rows = await this.repos.runViews.list({ ...options, limit: options.limit + 1 });
    return pageOf(rows, options.limit, (run) => run.id);
  }

  /** The background run queued or running now, if any. */
  async active(): Promise<{ id: string; status: string } | null> {
    const run = await this.repos.runs.active();
    return run ? { id: run.id, status: run.status } : null;
  }

  async get(id: string): Promise<RunRecord> {
    const run = await this.repos.runViews.get(id);
    if (!run) throw new AppError('not_found', 'Sync run does not exist');
    return run;
  }

  /** Per-user outcomes of a run, keyset-paged in the order they were recorded. */
  async outcomes(
    runId: string,
    options: { limit: number; after?: number; outcome?: string; search?: string },
  ): Promise<Page<OutcomeView>> {
    await this.get(runId);
    const rows = await this.repos.runViews.outcomes(runId, { ...options, limit: options.limit + 1 });
    return pageOf(rows, options.limit, (row) => row.id);
  }

  /** The deactivations a held run waits to make, each re-checked against the mirror and the settings now. */
  async pending(runId: string): Promise<PendingView[]> {
    return (await recheck(this.repos, runId)).map(({ row, check }) => ({
      hrUserId: row.hrUserId,
      email: row.email,
      reason: row.reason,
      stillDue: check.due,
      notDueReason: check.due ? null : check.text,
    }));
  }

  /** Held runs waiting for an admin, oldest first, whatever ran since (rule 3.6). */
  async held(): Promise<HeldRunView[]> {
    const views: HeldRunView[] = [];
    for (const run of await this.repos.runViews.held())
      views.push({ ...run, stillDue: (await recheck(this.repos, run.id)).filter((c) => c.check.due).length });
    return views;
  }

  /**
   * The directory mirror (as of the last run) compared with the HR users, within the synced groups
   * the settings name now. Read-only; each list is capped at `limit` rows, with its full count.
   */
  async reconciliation(limit: number): Promise<ReconciliationReport> {
    return this.repos.reconciliation.report(await readSyncScope(this.repos), limit);
  }

  /**
   * Applies what a held run is still right about. Each held deactivation is decided again on the
   * mirror and the settings as they are now: a user who is back in a synced group, or already
   * inactive, is not deactivated but reported as skipped with the reason (rule 3.2 over 3.6).
   */
  async confirm(runId: string, actorId: string | null): Promise<RunRecord> {
    const decision = await this.repos.transaction(async (tx) => {
      const before = await lockHeld(tx, runId);
      const checks = await recheck(tx, runId);
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
      const deactivated = await tx.runs.applyHeldDeactivations(runId, due, notDue);
      const after = await tx.runs.finish(runId, 'confirmed', null);
      await tx.audit.record([
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
    const decision = await this.repos.transaction(async (tx) => {
      const before = await lockHeld(tx, runId);
      await tx.runs.discardPendingDeactivations(runId);
      const after = await tx.runs.finish(runId, 'discarded', null);
      await tx.audit.record([
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
    d: { before: RunView; after: RunRecord; deactivated: number; notDue: HeldRunDecision['notDue'] },
    actorId: string | null,
  ): Promise<void> {
    if (!this.notifier) return;
    const actorEmail = actorId ? await this.repos.hrUserViews.email(actorId) : null;
    // The run notifier logs what it cannot send and never throws.
    await this.notifier.notifyHeldRunDecision({
      id: d.after.id,
      status: d.after.status as HeldRunDecision['status'],
      trigger: d.after.trigger,
      startedAt: d.after.startedAt,
      decidedAt: d.after.finishedAt ?? new Date(),
      decidedBy: actorEmail,
      pendingBefore: d.before.pendingDeactivations,
      deactivated: d.deactivated,
      notDue: d.notDue,
      counts: d.after.counts,
    });
  }
}

/** The run, locked against a concurrent confirm or discard; only a held run may be decided. */
async function lockHeld(tx: Repositories, runId: string): Promise<RunView> {
  const run = await tx.runViews.lock(runId);
  if (!run) throw new AppError('not_found', 'Sync run does not exist');
  if (run.status !== 'held')
    throw new AppError('conflict', `Only a held run can be confirmed or discarded; this one is ${run.status}`);
  return run;
}

async function recheck(
  repos: Repositories,
  runId: string,
): Promise<Array<{ row: HeldDeactivationRow; check: HeldDeactivationCheck }>> {
  const scope = await readSyncScope(repos);
  const rows = await repos.runs.heldDeactivations(runId, {
    groupIds: scope.syncedGroupIds,
    nested: scope.followNestedGroups,
  });
  return rows.map((row) => ({
    row,
    check: recheckHeldDeactivation({ ...row, neverSyncedPolicy: scope.neverSyncedPolicy }),
  }));
}
