import { hashToken } from '../domain/bearer-token.js';
import type { LifecycleEvent, NotificationKey } from './ports/calendar-subscription.port.js';
import type { Repositories } from './ports/repositories.port.js';

/** One notification of Graph's batch, as the endpoint checked its shape. */
export interface GraphNotification {
  subscriptionId: string;
  clientState?: string | undefined;
  changeType?: string | undefined;
  lifecycleEvent?: string | undefined;
}

/** What a batch asked for once recorded: the mailboxes to run (each once), and what was not ours. */
export interface AcceptedNotifications {
  mailboxes: string[];
  ignored: number;
}

const LIFECYCLE_EVENTS: readonly string[] = ['reauthorizationRequired', 'subscriptionRemoved', 'missed'];

/**
 * What Graph's change notifications do (docs/rules.md §6.9): each one whose subscription HR made and
 * whose clientState matches asks for one run of that mailbox, which reads the calendars' delta; a
 * duplicate while that run has not started asks for no run. Lifecycle notifications:
 * reauthorizationRequired renews the subscription, subscriptionRemoved makes a new one, missed reads
 * the mailbox again (each through a run). Anything else is ignored, as Graph advises for a
 * clientState that does not match
 * (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks#process-the-change-notification).
 *
 * Two steps, so the endpoint answers between them: `accept` records the whole batch (one statement
 * for its change notifications, one for its lifecycle notifications), and `requestRuns` queues the
 * runs afterwards. What `accept` wrote is enough for the runs to happen if they are never queued:
 * the calendar schedule runs a mailbox whose notification has waited too long (CalendarSyncRepository.dueMailboxes).
 */
export class GraphNotificationsService {
  constructor(
    private readonly repos: Repositories,
    private readonly requestSync: (hrUserId: string) => Promise<void>,
  ) {}

  async accept(batch: readonly GraphNotification[]): Promise<AcceptedNotifications> {
    const changes: NotificationKey[] = [];
    const lifecycle: Array<NotificationKey & { event: LifecycleEvent }> = [];
    let ignored = 0;
    for (const n of batch) {
      if (n.clientState === undefined) ignored += 1;
      else if (n.lifecycleEvent === undefined)
        changes.push({ subscriptionId: n.subscriptionId, clientStateHash: hashToken(n.clientState) });
      else if (LIFECYCLE_EVENTS.includes(n.lifecycleEvent))
        lifecycle.push({
          subscriptionId: n.subscriptionId,
          clientStateHash: hashToken(n.clientState),
          event: n.lifecycleEvent as LifecycleEvent,
        });
      else ignored += 1;
    }
    const subscriptions = this.repos.calendarSubscriptions;
    const notified = changes.length > 0 ? await subscriptions.notified(changes) : [];
    const cycled = lifecycle.length > 0 ? await subscriptions.lifecycle(lifecycle) : [];
    const known = new Set([...notified, ...cycled].map(keyOf));
    ignored += [...changes, ...lifecycle].filter((n) => !known.has(keyOf(n))).length;
    const mailboxes = new Set([...notified.filter((n) => n.run), ...cycled].map((n) => n.hrUserId));
    return { mailboxes: [...mailboxes], ignored };
  }

  /**
   * Queues the runs `accept` asked for. Never throws: a run that cannot be queued is reported to
   * `failed` and left to the calendar schedule.
   */
  async requestRuns(mailboxes: readonly string[], failed: (hrUserId: string, error: unknown) => void): Promise<number> {
    let queued = 0;
    for (const hrUserId of mailboxes) {
      try {
        await this.requestSync(hrUserId);
        queued += 1;
      } catch (error) {
        failed(hrUserId, error);
      }
    }
    return queued;
  }
}

const keyOf = (n: NotificationKey) => `${n.subscriptionId}\n${n.clientStateHash}`;
