import type { JobHandler, JobPayloads, SyncTrigger } from './job-registry.js';
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
  lock: SyncLock;
  runner: () => EntraSyncRunner | null;
  /** A queued run for a scheduled job, or null when a background run is already queued or running (it is joined). */
  queue: (trigger: 'schedule' | 'reconciliation', mode: 'incremental' | 'full') => Promise<string | null>;
  /** Records a queued run as failed when it cannot run at all. */
  fail: (runId: string, reason: string) => Promise<void>;
  /** Runs the job again later with this payload. */
  later: (delayMs: number, payload: JobPayloads['entra-sync']) => Promise<void>;
  retryDelayMs?: number;
}

/**
 * Thin handler: find the run to execute (queued by "sync now", or queued here for the schedule),
 * take the cross-instance lock, call the engine once, report. A scheduled run that finds another
 * background run queued or running is dropped: that run picks up the same changes. A queued run
 * that finds the lock held (by a preview or a one-user sync) waits and tries again.
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
    if (!outcome.acquired) {
      await deps.later(deps.retryDelayMs ?? 3000, { ...payload, runId });
      return { status: 'skipped', detail: `run ${runId} waits: another sync holds the lock` };
    }
    return { status: 'done', detail: `run ${outcome.value.runId}: ${outcome.value.status}` };
  };
}
