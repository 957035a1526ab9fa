import type { Logger } from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EntraConnection } from './application/entra-connection.js';
import { EventSyncRepository } from './gateways/db/calendar-event.repository.js';
import { CalendarSyncRepository } from './gateways/db/calendar-sync.repository.js';
import type { AdvisoryChannelLocks } from './gateways/db/channel-locks.js';
import { repositoriesFor } from './gateways/db/repositories.js';
import { SyncChannelRepository } from './gateways/db/sync-channel.repository.js';
import { calendarPollJob, calendarScheduleJob, calendarSyncJob } from './jobs/calendar-sync.job.js';
import type { Scheduler } from './jobs/scheduler.js';
import { CalendarPollService } from './sync/calendars/calendar-poll.service.js';
import { CalendarSyncService } from './sync/calendars/calendar-sync.service.js';
import { eventFetchStage } from './sync/calendars/event-fetch.stage.js';
import { hrEntriesHandler, hrEventPushStage } from './sync/calendars/hr-events.stage.js';
import { RENEW_BEFORE_MS, staleSubscriptionSweep, subscriptionStage } from './sync/calendars/subscription.stage.js';
import type { FailurePolicy } from './sync/kernel/error-policy.js';

/** The calendar sync's part of the composition root (docs/rules.md §6): its engine, its jobs, its schedule. */
export interface CalendarWiring {
  service: CalendarSyncService;
  /** Queues one mailbox's run now: after a change in HR or in the employee's choices, or an admin's request. */
  requestSync(hrUserId: string, manual?: boolean): Promise<void>;
  /** Queues one mailbox's run for a change notification of Graph (docs/rules.md §6.9). */
  notified(hrUserId: string): Promise<void>;
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
  /**
   * Change notifications (docs/rules.md §6.9): where Graph sends them, null when they are off; and
   * how often a mailbox with a live subscription is read anyway, in case notifications go missing.
   */
  notifications: { url: () => string | null; pollInterval: string };
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
    [
      subscriptionStage({
        notificationUrl: deps.notifications.url,
        source: () => deps.connection.subscriptions(),
        logger: deps.logger,
        now,
      }),
      fetch,
      hrEventPushStage({ fetch, failures: deps.failures, logger: deps.logger, now }),
    ],
  );
  const poll = new CalendarPollService({
    store: () => new CalendarSyncRepository(deps.orm.em.fork()),
    source: () => deps.connection.calendars(),
    run: (hrUserId, options) => service.run(hrUserId, options),
    subscriptions: () => (deps.notifications.url() === null ? 'none' : { renewBeforeMs: RENEW_BEFORE_MS }),
    concurrency: 4,
    logger: deps.logger,
    now,
  });
  deps.scheduler.define('calendar-poll', calendarPollJob({ calendarSync, poll }), {
    concurrency: 2,
    lockLifetimeMs: 30 * 60_000,
  });
  deps.scheduler.define(
    'calendar-schedule',
    calendarScheduleJob({
      calendarSync,
      dueMailboxes: () =>
        new CalendarSyncRepository(deps.orm.em.fork()).dueMailboxes(
          deps.notifications.url() === null
            ? null
            : { renewBeforeMs: RENEW_BEFORE_MS, pollInterval: deps.notifications.pollInterval },
        ),
      endStaleSubscriptions: staleSubscriptionSweep({
        store: () => new CalendarSyncRepository(deps.orm.em.fork()),
        source: () => deps.connection.subscriptions(),
        concurrency: 4,
        logger: deps.logger,
      }),
      queue: deps.scheduler,
    }),
  );
  // Eight mailboxes at once per instance, each sending one request at a time (docs/graph.md §7.1a).
  deps.scheduler.define('calendar-sync', calendarSyncJob({ calendars: service }), {
    concurrency: 8,
    lockLifetimeMs: 15 * 60_000,
  });
  return {
    service,
    requestSync: async (hrUserId, manual = false) => {
      await deps.scheduler.now('calendar-sync', { hrUserId, trigger: manual ? 'manual' : 'change' });
    },
    notified: async (hrUserId) => {
      await deps.scheduler.now('calendar-sync', { hrUserId, trigger: 'notification' });
    },
    schedule: async () => {
      await deps.scheduler.every(deps.pollInterval, 'calendar-schedule', {});
      // Not at once when switched off: the interval's schedule ends the subscriptions then, so
      // switching off and on again (a poll now) keeps them.
      if (await calendarSync()) await deps.scheduler.now('calendar-schedule', {});
    },
  };
}
