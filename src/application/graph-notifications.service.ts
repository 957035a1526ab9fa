import { hashToken } from '../domain/bearer-token.js';
import type { LifecycleEvent } from './ports/calendar-subscription.port.js';
import type { Repositories } from './ports/repositories.port.js';

/** One notification of Graph's batch, as the endpoint checked its shape. */
export interface GraphNotification {
  subscriptionId: string;
  clientState?: string | undefined;
  changeType?: string | undefined;
  lifecycleEvent?: string | undefined;
}

const LIFECYCLE_EVENTS: readonly string[] = ['reauthorizationRequired', 'subscriptionRemoved', 'missed'];

/**
 * What Graph's change notifications do (docs/rules.md §6.9): each one whose subscription HR made and
 * whose clientState matches asks for one run of that mailbox, which reads the calendars' delta; a
 * duplicate while that run has not started costs one statement and no run. Lifecycle
 * notifications: reauthorizationRequired renews the subscription, subscriptionRemoved makes a new
 * one, missed reads the mailbox again (each through a run). Anything else is ignored, as Graph
 * advises for a clientState that does not match
 * (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks#process-the-change-notification).
 */
export class GraphNotificationsService {
  constructor(
    private readonly repos: Repositories,
    private readonly requestSync: (hrUserId: string) => Promise<void>,
  ) {}

  async accept(batch: readonly GraphNotification[]): Promise<{ runs: number; ignored: number }> {
    let runs = 0;
    let ignored = 0;
    for (const n of batch) {
      const hrUserId = await this.mailboxToRun(n);
      if (hrUserId === undefined) ignored += 1;
      else if (hrUserId !== null) {
        await this.requestSync(hrUserId);
        runs += 1;
      }
    }
    return { runs, ignored };
  }

  /** The mailbox to run; null when a run is asked for already; undefined for a notification not ours. */
  private async mailboxToRun(n: GraphNotification): Promise<string | null | undefined> {
    if (n.clientState === undefined) return undefined;
    const hash = hashToken(n.clientState);
    if (n.lifecycleEvent !== undefined) {
      if (!LIFECYCLE_EVENTS.includes(n.lifecycleEvent)) return undefined;
      const found = await this.repos.calendarSubscriptions.lifecycle(
        n.subscriptionId,
        hash,
        n.lifecycleEvent as LifecycleEvent,
      );
      return found?.hrUserId;
    }
    const found = await this.repos.calendarSubscriptions.notified(n.subscriptionId, hash);
    if (!found) return undefined;
    return found.first ? found.hrUserId : null;
  }
}
