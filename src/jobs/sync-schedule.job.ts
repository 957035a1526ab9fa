import type { JobHandler, JobQueue } from './job-registry.js';

export interface SyncScheduleJobDeps {
  /** The channels due for a run now (today the Entra inbound channel, while a connection exists). */
  dueChannels: () => Promise<string[]>;
  queue: Pick<JobQueue, 'now'>;
}

/**
 * A schedule only fans work out: one `entra-sync` job per due channel, in the shared job store, so
 * that any running instance can take each one (the way Twenty's calendar cron queues one fetch job
 * per channel). The interval run and the weekly full reconciliation differ only in the trigger.
 */
export function syncScheduleJob(
  deps: SyncScheduleJobDeps,
  trigger: 'schedule' | 'reconciliation',
): JobHandler<'sync-schedule' | 'entra-reconciliation'> {
  return async () => {
    const channels = await deps.dueChannels();
    if (channels.length === 0) return { status: 'skipped', detail: 'no channel is due' };
    const mode = trigger === 'reconciliation' ? 'full' : 'incremental';
    for (const channelId of channels) await deps.queue.now('entra-sync', { trigger, mode, channelId });
    return { status: 'done', detail: `${channels.length} channel run(s) queued: ${channels.join(', ')}` };
  };
}
