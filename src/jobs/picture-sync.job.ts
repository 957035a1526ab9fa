import type { PictureSyncService } from '../sync/pictures/picture-sync.service.js';
import type { JobHandler, JobQueue } from './job-registry.js';

/** Reads Graph again after this long when it was busy (the photo API's throttling lasts seconds to minutes). */
const RETRY_DELAY_MS = 60_000;
/** After this many attempts a user Graph kept refusing goes to the back of the queue instead. */
const MAX_ATTEMPTS = 3;

/**
 * Fans out the due pictures, one `picture-batch` job per batch of HR user ids. While batches of the
 * last fan-out still wait or run, it queues none: they would read the same users.
 */
export function pictureSyncJob(deps: {
  pictures: Pick<PictureSyncService, 'dueBatches'>;
  queue: JobQueue;
}): JobHandler<'picture-sync'> {
  return async () => {
    const waiting = await deps.queue.pending('picture-batch');
    if (waiting > 0)
      return { status: 'skipped', detail: `${waiting} picture batch(es) of the last fan-out still queued` };
    const batches = await deps.pictures.dueBatches();
    for (const hrUserIds of batches) await deps.queue.now('picture-batch', { hrUserIds });
    return { status: 'done', detail: `${batches.length} picture batch(es) queued` };
  };
}

/** One batch: the service re-reads which of its users are still due, reads their photos, stores them. */
export function pictureBatchJob(deps: {
  pictures: Pick<PictureSyncService, 'syncBatch'>;
  retryDelayMs?: number;
}): JobHandler<'picture-batch'> {
  return async ({ hrUserIds, attempt = 1 }, { signal }) => {
    const result = await deps.pictures.syncBatch(hrUserIds, { signal, lastAttempt: attempt >= MAX_ATTEMPTS });
    if (result.due === 0) return { status: 'skipped', detail: 'no user of the batch is due any more' };
    const detail = `${result.checked} checked, ${result.changed} changed`;
    if (result.stoppedBy !== undefined)
      return {
        status: 'done',
        detail: `${detail}; stopped (${result.stoppedBy ?? 'unknown error'}): the rest stays due`,
      };
    if (result.retry.length > 0)
      return {
        status: 'retry-later',
        delayMs: deps.retryDelayMs ?? RETRY_DELAY_MS,
        payload: { hrUserIds: result.retry, attempt: attempt + 1 },
        detail: `${detail}; ${result.retry.length} to read again (attempt ${attempt + 1})`,
      };
    return { status: 'done', detail };
  };
}
