import type { Logger } from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EntraConnection } from './application/entra-connection.js';
import { EventSyncRepository } from './gateways/db/calendar-event.repository.js';
import { CalendarSyncRepository } from './gateways/db/calendar-sync.repository.js';
import type { AdvisoryChannelLocks } from './gateways/db/channel-locks.js';
import { repositoriesFor } from './gateways/db/repositories.js';
import { SyncChannelRepository } from './gateways/db/sync-channel.repository.js';
import { calendarScheduleJob, calendarSyncJob } from './jobs/calendar-sync.job.js';
import type { Scheduler } from './jobs/scheduler.js';
import { CalendarSyncService } from './sync/calendars/calendar-sync.service.js';
import { eventFetchStage } from './sync/calendars/event-fetch.stage.js';
import { hrEntriesHandler, hrEventPushStage } from './sync/calendars/hr-events.stage.js';
import type { FailurePolicy } from './sync/kernel/error-policy.js';

/** The calendar sync's part of the composition root (docs/rules.md §6): its engine, its jobs, its schedule. */
export interface CalendarWiring {
  service: CalendarSyncService;
  /** Queues one mailbox's run now: after a change in HR or in the employee's choices, or an admin's request. */
  requestSync(hrUserId: string, manual?: boolean): Promise<void>;
  /** Follows the settings: the poll on its interval, and a fan-out at once when calendar sync is on. */
  schedule(): Promise<void>;
}

export function wireCalendars(deps: {
  orm: MikroORM;
  scheduler: Scheduler;
  connection: EntraConnection;
  locks: AdvisoryChannelLocks;
  failures: FailurePolicy;
  pollInterval: string;
  logger: Logger;
}): CalendarWiring {
  const calendarSync = async () => (await repositoriesFor(deps.orm.em.fork()).settings.read()).calendarSync;
  const now = () => new Date();
  const fetch = eventFetchStage({ failures: deps.failures, logger: deps.logger, now, onHrEntries: hrEntriesHandler() });
  const service = new CalendarSyncService(
    {
      store: () => new CalendarSyncRepository(deps.orm.em.fork()),
      events: () => new EventSyncRepository(deps.orm.em.fork()),
      channels: () => new SyncChannelRepository(deps.orm.em.fork()),
      source: () => deps.connection.calendars(),
      calendarSync,
      locks: deps.locks,
      failures: deps.failures,
      logger: deps.logger,
      now,
    },
    [fetch, hrEventPushStage({ fetch, failures: deps.failures, logger: deps.logger, now })],
  );
  deps.scheduler.define(
    'calendar-schedule',
    calendarScheduleJob({
      calendarSync,
      dueMailboxes: () => new CalendarSyncRepository(deps.orm.em.fork()).dueMailboxes(),
      queue: deps.scheduler,
    }),
  );
  deps.scheduler.define('calendar-sync', calendarSyncJob({ calendars: service }), {
    concurrency: 4,
    lockLifetimeMs: 15 * 60_000,
  });
  return {
    service,
    requestSync: async (hrUserId, manual = false) => {
      await deps.scheduler.now('calendar-sync', { hrUserId, trigger: manual ? 'manual' : 'change' });
    },
    schedule: async () => {
      await deps.scheduler.every(deps.pollInterval, 'calendar-schedule', {});
      if (await calendarSync()) await deps.scheduler.now('calendar-schedule', {});
    },
  };
}
