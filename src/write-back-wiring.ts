import type { Logger } from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EntraConnection } from './application/entra-connection.js';
import type { AdvisoryChannelLocks } from './gateways/db/channel-locks.js';
import { PgWriteBackStore } from './gateways/db/write-back.repository.js';
import { WriteBackWakeups } from './gateways/db/write-back-wakeups.js';
import type { Scheduler } from './jobs/scheduler.js';
import { channelLock } from './jobs/sync-lock.js';
import { writeBackDrainJob } from './jobs/write-back-drain.job.js';
import { WRITE_BACK_CHANNEL_ID } from './sync/kernel/channel-id.js';
import type { FailurePolicy } from './sync/kernel/error-policy.js';
import { WriteBackService } from './sync/write-back/write-back.service.js';

/** Write-back's part of the composition root (docs/rules.md §4): its engine, its job, its wake-ups and sweep. */
export interface WriteBackWiring {
  service: WriteBackService;
  /** The sweep every 30 seconds, and one drain now for what a stopped process left pending. */
  schedule(): Promise<void>;
  close(): Promise<void>;
}

export async function wireWriteBack(deps: {
  orm: MikroORM;
  databaseUrl: string;
  scheduler: Scheduler;
  connection: EntraConnection;
  locks: AdvisoryChannelLocks;
  failures: FailurePolicy;
  logger: Logger;
}): Promise<WriteBackWiring> {
  const service = new WriteBackService({
    store: () => new PgWriteBackStore(deps.orm.em.fork()),
    writer: () => deps.connection.userWrites(),
    failures: deps.failures,
    logger: deps.logger,
  });
  deps.scheduler.define(
    'write-back-drain',
    writeBackDrainJob({
      lock: channelLock(deps.locks, WRITE_BACK_CHANNEL_ID),
      drain: (signal) => service.drain(signal),
      queue: deps.scheduler,
    }),
  );
  // A change recorded for Entra wakes a drain once its transaction commits.
  const wakeups = await WriteBackWakeups.open(
    deps.databaseUrl,
    async () => {
      await deps.scheduler.now('write-back-drain', {});
    },
    deps.logger,
  );
  return {
    service,
    schedule: async () => {
      // The sweep finds changes whose wake-up was lost (a restart, a dropped connection).
      await deps.scheduler.every('30 seconds', 'write-back-drain', {});
      await deps.scheduler.now('write-back-drain', {});
    },
    close: () => wakeups.close(),
  };
}
