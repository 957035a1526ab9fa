import type { JobHandler, SyncTrigger } from './job-registry.js';
import type { SyncLock } from './sync-lock.js';

/** The application service a sync job calls (the inbound engine, src/sync/inbound). */
export interface EntraSyncRunner {
  run(request: {
    trigger: SyncTrigger;
    mode?: 'incremental' | 'full';
    requestedBy?: string;
    runId?: string;
    signal: AbortSignal;
  }): Promise<{ runId: string; status: string }>;
}

export interface EntraSyncJobDeps {
  lock: Pick<SyncLock, 'tryWithLock'>;
  runner: () => EntraSyncRunner | null;
  /** A queued run for a scheduled job, or null when a background run is already queued or running (it is joined). */
  queue: (trigger: 'schedule' | 'reconciliation', mode: 'incremental' | 'full') => Promise<string | null>;
  /** Records a queued run as failed when it cannot run at all. */
  fail: (runId: string, reason: string) => Promise<void>;
  /** How long a run that finds its channel's lock taken waits before it tries again. */
  retryDelayMs?: number;
}

/**
 * Thin handler of one channel run: find the run to execute (queued by "sync now", or queued here
 * for a schedule's fan-out), take the channel's cross-instance lock, call the engine once, report.
 * A scheduled run that finds another background run queued or running is skipped: that run picks
 * up the same changes. A queued run that finds the lock held (by a preview or a one-user sync) is
 * retried later through the job store, with its run id, so it stays the same run.
 */
export function entraSyncJob(deps: EntraSyncJobDeps): JobHandler<'entra-sync'> {
  return async (payload, { signal }) => {
    const engine = deps.runner();
    if (!engine) {
      if (payload.runId) await deps.fail(payload.runId, 'no Entra connection is configured');
      return { status: 'skipped', detail: 'no Entra connection is configured' };
    }
    // A queued run keeps the mode it was asked in (a later "full" request may have upgraded it).
    const mode = payload.mode ?? (payload.trigger === 'reconciliation' ? 'full' : 'incremental');
    const runId = payload.runId ?? (payload.trigger === 'manual' ? null : await deps.queue(payload.trigger, mode));
    if (!runId) return { status: 'skipped', detail: 'a sync run is already queued or running' };
    const outcome = await deps.lock.tryWithLock(() =>
      engine.run({ trigger: payload.trigger, requestedBy: payload.requestedBy, runId, signal }),
    );
    if (!outcome.acquired)
      return {
        status: 'retry-later',
        delayMs: deps.retryDelayMs ?? 3000,
        payload: { ...payload, runId },
        detail: `run ${runId} waits: another sync holds the lock`,
      };
    return { status: 'done', detail: `run ${outcome.value.runId}: ${outcome.value.status}` };
  };
}
