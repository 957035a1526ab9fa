import type { DrainSummary } from '../sync/write-back/write-back.service.js';
import type { JobHandler, JobQueue } from './job-registry.js';
import type { SyncLock } from './sync-lock.js';

/** A drain that finds the lock taken looks again after this long, unless another drain already waits. */
const BUSY_RETRY_MS = 2000;
/** Changes Graph asked to wait longer for than this are left to the periodic sweep. */
const MAX_WAIT_MS = 5 * 60_000;

export interface WriteBackDrainDeps {
  /** The write-back channel's lock: one drain at a time across every instance. */
  lock: Pick<SyncLock, 'tryWithLock'>;
  drain: (signal: AbortSignal) => Promise<DrainSummary>;
  queue: Pick<JobQueue, 'pending'>;
  now?: () => number;
}

/**
 * Thin handler of the write-back drain: take the channel's lock, drain, report. A drain already
 * running takes the changes that wake this one, so while another drain also waits this one is
 * skipped; otherwise it looks again shortly, so no change waits for the sweep. Changes Graph asked
 * to wait for bring the job back when they are due.
 */
export function writeBackDrainJob(deps: WriteBackDrainDeps): JobHandler<'write-back-drain'> {
  const now = deps.now ?? Date.now;
  return async (_payload, { signal }) => {
    const outcome = await deps.lock.tryWithLock(() => deps.drain(signal));
    if (!outcome.acquired) {
      if ((await deps.queue.pending('write-back-drain')) > 1)
        return { status: 'skipped', detail: 'a drain is running and another one waits' };
      return { status: 'retry-later', delayMs: BUSY_RETRY_MS, detail: 'a drain is running' };
    }
    const summary = outcome.value;
    const detail = `${summary.sent} sent, ${summary.skipped} skipped, ${summary.failed} failed, ${summary.retried} to retry, ${summary.cancelled} cancelled${summary.stoppedBy ? `; stopped: ${summary.stoppedBy}` : ''}`;
    const wait = summary.nextDueAt === null ? null : summary.nextDueAt.getTime() - now();
    if (summary.stoppedBy === null && wait !== null && wait <= MAX_WAIT_MS)
      return {
        status: 'retry-later',
        delayMs: Math.max(250, wait),
        detail: `${detail}; more due in ${Math.max(0, wait)} ms`,
      };
    return { status: 'done', detail };
  };
}
