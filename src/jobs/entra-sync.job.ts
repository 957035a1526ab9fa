import type { JobHandler, SyncTrigger } from './job-registry.js';
import type { SyncLock } from './sync-lock.js';

/** The application service a sync job calls (the inbound engine, src/sync/inbound). */
export interface EntraSyncRunner {
  run(request: { trigger: SyncTrigger; mode?: 'incremental' | 'full'; requestedBy?: string; signal: AbortSignal }): Promise<{ runId: string; status: string }>;
}

/**
 * Thin handler: take the cross-instance lock, call the engine once, report. A run that finds the
 * lock taken is skipped, not queued again: the running sync will pick up the same changes.
 */
export function entraSyncJob(lock: SyncLock, runner: () => EntraSyncRunner | null): JobHandler<'entra-sync'> {
  return async (payload, { signal }) => {
    const engine = runner();
    if (!engine) return { status: 'skipped', detail: 'no Entra connection is configured' };
    const outcome = await lock.tryWithLock(() => engine.run({ ...payload, signal }));
    if (!outcome.acquired) return { status: 'skipped', detail: 'another instance is running the sync' };
    return { status: 'done', detail: `run ${outcome.value.runId}: ${outcome.value.status}` };
  };
}
