import type { Logger } from 'pino';
import type { SyncRunRepository } from './ports/sync-run.port.js';

export interface RunRecoveryDeps {
  runs: SyncRunRepository;
  /** The service instances alive now, this one included. */
  liveInstances: () => Promise<Set<string>>;
  /** Releases the job locks held by instances that are gone; answers how many. */
  releaseJobLocks: (isGone: (instance: string) => boolean) => Promise<number>;
  logger: Logger;
}

/**
 * At start: what a process that died (kill -9, a crash) left behind is put right at once, not when
 * the next run begins or a lock times out an hour later. Its runs still marked running are failed
 * with the reason, and its job locks released. Runs of instances that are alive are left alone:
 * they are really running. The next run resumes from the stored delta cursor.
 */
export async function recoverAbandonedRuns(
  deps: RunRecoveryDeps,
): Promise<{ failedRuns: string[]; releasedLocks: number }> {
  const live = await deps.liveInstances();
  const runs = deps.runs;
  const dead = (await runs.running())
    .filter((run) => run.instance === null || !live.has(run.instance))
    .map((run) => run.id);
  const failedRuns = await runs.failDead(dead);
  const releasedLocks = await deps.releaseJobLocks((instance) => !live.has(instance));
  if (failedRuns.length || releasedLocks) {
    deps.logger.warn(
      { runs: failedRuns, jobLocks: releasedLocks },
      'a stopped process left runs marked running: marked failed, its job locks released',
    );
  }
  return { failedRuns, releasedLocks };
}
