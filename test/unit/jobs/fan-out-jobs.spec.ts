import { describe, expect, it } from '@jest/globals';
import { entraSyncJob, type EntraSyncRunner } from '../../../src/jobs/entra-sync.job.js';
import type { JobName, JobPayloads, JobQueue } from '../../../src/jobs/job-registry.js';
import { pictureBatchJob, pictureSyncJob } from '../../../src/jobs/picture-sync.job.js';
import { syncScheduleJob } from '../../../src/jobs/sync-schedule.job.js';
import type { SyncLock } from '../../../src/jobs/sync-lock.js';
import type { PictureBatchResult } from '../../../src/sync/pictures/picture-sync.service.js';

const context = { jobId: 'job-1', signal: new AbortController().signal };

/** The job store as fan-out handlers see it: records what they queue. */
class RecordingQueue implements JobQueue {
  readonly queued: Array<{ name: JobName; payload: unknown }> = [];
  constructor(private readonly waiting = 0) {}
  async now<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<string> {
    this.queued.push({ name, payload });
    return String(this.queued.length);
  }
  async pending(): Promise<number> {
    return this.waiting;
  }
}

const lockHeld: Pick<SyncLock, 'tryWithLock'> = { tryWithLock: async () => ({ acquired: false }) };
const lockFree: Pick<SyncLock, 'tryWithLock'> = {
  tryWithLock: async (work) => ({ acquired: true, value: await work() }),
};
const runner: EntraSyncRunner = { run: async (request) => ({ runId: request.runId!, status: 'succeeded' }) };

describe('entra-sync: one channel run', () => {
  const deps = { runner: () => runner, queue: async () => 'run-new', fail: async () => {}, retryDelayMs: 1234 };

  it('is retried later with the same run when another sync holds the lock, which is not a failure', async () => {
    const result = await entraSyncJob({ ...deps, lock: lockHeld })({ trigger: 'schedule', channelId: 'c' }, context);
    expect(result).toMatchObject({
      status: 'retry-later',
      delayMs: 1234,
      payload: { trigger: 'schedule', channelId: 'c', runId: 'run-new' },
    });
  });

  it('runs the queued run when the lock is free, and skips when a background run is already queued', async () => {
    expect(await entraSyncJob({ ...deps, lock: lockFree })({ trigger: 'manual', runId: 'r1' }, context)).toEqual({
      status: 'done',
      detail: 'run r1: succeeded',
    });
    const joined = entraSyncJob({ ...deps, lock: lockFree, queue: async () => null });
    expect(await joined({ trigger: 'schedule' }, context)).toMatchObject({ status: 'skipped' });
  });
});

describe('schedules only fan work out', () => {
  it('queues one entra-sync job per due channel, with the channel id', async () => {
    const queue = new RecordingQueue();
    const job = syncScheduleJob({ dueChannels: async () => ['entra-inbound', 'calendar:x'], queue }, 'reconciliation');
    expect(await job({}, context)).toMatchObject({ status: 'done' });
    expect(queue.queued).toEqual([
      { name: 'entra-sync', payload: { trigger: 'reconciliation', mode: 'full', channelId: 'entra-inbound' } },
      { name: 'entra-sync', payload: { trigger: 'reconciliation', mode: 'full', channelId: 'calendar:x' } },
    ]);
  });

  it('queues nothing when no channel is due', async () => {
    const queue = new RecordingQueue();
    expect(await syncScheduleJob({ dueChannels: async () => [], queue }, 'schedule')({}, context)).toMatchObject({
      status: 'skipped',
    });
    expect(queue.queued).toEqual([]);
  });

  it('queues one picture-batch job per batch of HR user ids, none while the last fan-out still waits', async () => {
    const pictures = { dueBatches: async () => [['u1', 'u2'], ['u3']] };
    const queue = new RecordingQueue();
    expect(await pictureSyncJob({ pictures, queue })({}, context)).toMatchObject({ status: 'done' });
    expect(queue.queued).toEqual([
      { name: 'picture-batch', payload: { hrUserIds: ['u1', 'u2'] } },
      { name: 'picture-batch', payload: { hrUserIds: ['u3'] } },
    ]);
    const busy = new RecordingQueue(1);
    expect(await pictureSyncJob({ pictures, queue: busy })({}, context)).toMatchObject({ status: 'skipped' });
    expect(busy.queued).toEqual([]);
  });
});

describe('picture-batch: one batch of users', () => {
  const batch = (result: Partial<PictureBatchResult>, seen: boolean[] = []) =>
    pictureBatchJob({
      retryDelayMs: 50,
      pictures: {
        syncBatch: async (_ids, options) => {
          seen.push(options.lastAttempt);
          return { due: 2, checked: 0, changed: 0, retry: [], ...result };
        },
      },
    });

  it('retries later only the users Graph was too busy to serve, counting the attempt', async () => {
    const seen: boolean[] = [];
    const result = await batch({ checked: 1, retry: ['u2'] }, seen)({ hrUserIds: ['u1', 'u2'] }, context);
    expect(result).toMatchObject({ status: 'retry-later', delayMs: 50, payload: { hrUserIds: ['u2'], attempt: 2 } });
    await batch({}, seen)({ hrUserIds: ['u2'], attempt: 3 }, context);
    expect(seen).toEqual([false, true]);
  });

  it('is skipped when none of its users is due any more, done otherwise', async () => {
    expect(await batch({ due: 0 })({ hrUserIds: ['u1'] }, context)).toMatchObject({ status: 'skipped' });
    expect(await batch({ checked: 2 })({ hrUserIds: ['u1', 'u2'] }, context)).toMatchObject({ status: 'done' });
    expect(await batch({ stoppedBy: 'permission-missing' })({ hrUserIds: ['u1'] }, context)).toMatchObject({
      status: 'done',
      detail: expect.stringContaining('permission-missing'),
    });
  });
});
