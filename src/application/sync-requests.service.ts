import type { BackgroundTrigger, SyncRunMode } from '../sync/inbound/sync-run.ports.js';
import { pullRuns, PULL_REFUSED } from '../domain/user-source.js';
import { AppError } from './app-error.js';
import type { Repositories } from './ports/repositories.port.js';
import type { ActiveRun, RunRecord } from './ports/sync-run.port.js';
import { SyncRunsService } from './sync-runs.service.js';

export interface SyncRequestsDeps {
  /** Repositories over a fresh EntityManager of their own (a request's belongs to the request). */
  repositories: () => Repositories;
  /** The service instances alive now (a run marked running by another one is really running). */
  liveInstances: () => Promise<Set<string>>;
  /** Queues the job that will execute a queued run. */
  enqueue: (runId: string) => Promise<void>;
  /** Stops a run this process executes at once; false when it runs elsewhere (or not at all). */
  stopLocal: (runId: string) => boolean;
}

/**
 * Asking for background runs and calling them off. One background run is queued or running at a
 * time across every instance: "sync now" while one is queued or running joins it and gets its id;
 * a scheduled run that finds one is dropped (that run picks up the same changes).
 */
export class SyncRequestsService {
  constructor(private readonly deps: SyncRequestsDeps) {}

  /** "Sync now": the run that will do it, new or joined, recorded as queued at once so it can be fetched by id. */
  async syncNow(mode: 'incremental' | 'full', requestedBy: string): Promise<{ run: RunRecord; joined: boolean }> {
    const repos = this.deps.repositories();
    if (!pullRuns((await repos.settings.read()).userSource)) throw new AppError('conflict', PULL_REFUSED);
    const { run, joined } = await this.queue(repos, 'manual', mode, requestedBy);
    if (!joined) await this.enqueue(repos, run.id);
    await repos.audit.record([
      { actorId: requestedBy, action: 'sync-run.request', target: run.id, oldValue: null, newValue: { mode, joined } },
    ]);
    return { run: await new SyncRunsService(repos).get(run.id), joined };
  }

  /**
   * The demo's first sync, queued by the service at start: a "sync now" that no one asked for
   * (requestedBy null, so nothing to audit), joined by any "sync now" that follows.
   */
  async firstSync(): Promise<{ runId: string; joined: boolean }> {
    const repos = this.deps.repositories();
    const { run, joined } = await this.queue(repos, 'manual', 'full', null);
    if (!joined) await this.enqueue(repos, run.id);
    return { runId: run.id, joined };
  }

  /** A queued run for a scheduled job to execute, or null when a background run is already queued or running. */
  async queueForJob(trigger: 'schedule' | 'reconciliation', mode: 'incremental' | 'full'): Promise<string | null> {
    const repos = this.deps.repositories();
    // Under userSource 'push' the Graph sync does not run (docs/rules.md 7.5): nothing is queued.
    if (!pullRuns((await repos.settings.read()).userSource)) return null;
    const { run, joined } = await this.queue(repos, trigger, mode, null);
    return joined ? null : run.id;
  }

  /**
   * An admin calls a run off: a queued run never starts; a running one stops within a moment (at
   * once on this instance, through the database on another) and is recorded as cancelled.
   */
  async cancel(runId: string, by: string): Promise<RunRecord> {
    const repos = this.deps.repositories();
    const runs = new SyncRunsService(repos);
    const before = await runs.get(runId);
    const outcome = await repos.runs.requestCancel(runId, by);
    if (!outcome)
      throw new AppError('conflict', `The run is ${before.status}: only a queued or running run can be cancelled`);
    if (outcome === 'requested') this.deps.stopLocal(runId);
    await repos.audit.record([
      {
        actorId: by,
        action: 'sync-run.cancel',
        target: runId,
        oldValue: { status: before.status },
        newValue: { status: 'cancelled' },
      },
    ]);
    return runs.get(runId);
  }

  private async queue(
    repos: Repositories,
    trigger: BackgroundTrigger,
    mode: SyncRunMode,
    requestedBy: string | null,
  ): Promise<{ run: ActiveRun; joined: boolean }> {
    const runs = repos.runs;
    const result = await runs.queue(trigger, mode, requestedBy);
    if (!result.joined || result.run.status !== 'running') return result;
    // A run left running by a process that died is not joined: it is failed, and a new one queued.
    const live = await this.deps.liveInstances().catch(() => null);
    if (!live || (result.run.instance !== null && live.has(result.run.instance))) return result;
    await runs.failDead([result.run.id]);
    return runs.queue(trigger, mode, requestedBy);
  }

  private async enqueue(repos: Repositories, runId: string): Promise<void> {
    try {
      await this.deps.enqueue(runId);
    } catch (error) {
      await repos.runs.finish(runId, 'failed', `could not be queued: ${(error as Error).message.slice(0, 300)}`);
      throw error;
    }
  }
}
