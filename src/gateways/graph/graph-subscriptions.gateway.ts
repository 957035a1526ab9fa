import type { SubscriptionSource } from '../../sync/calendars/calendar-sync.ports.js';
import { nullWhenNotFound } from './graph-gateway.error.js';
import type { GraphRequestExecutor } from './graph-request.executor.js';
import { userPath } from './graph-user.record.js';
import type { GraphSession } from './graph.session.js';

interface GraphSubscription {
  id: string;
  expirationDateTime: string;
}

/**
 * Graph subscriptions to mailboxes' events (docs/graph.md §13): the calendar sync's SubscriptionSource.
 * The lifecycle URL is the notification URL, as Graph allows
 * (https://learn.microsoft.com/graph/change-notifications-lifecycle-events), so one public endpoint
 * hears both.
 */
export class GraphSubscriptionsGateway implements SubscriptionSource {
  private readonly executor: GraphRequestExecutor;

  constructor(session: GraphSession) {
    this.executor = session.executor;
  }

  /**
   * POST /subscriptions (https://learn.microsoft.com/graph/api/subscription-post-subscriptions): Graph
   * validates the URL before answering 201; created, updated and deleted events of every calendar
   * of the mailbox.
   */
  async subscribe(
    mailboxId: string,
    input: { notificationUrl: string; clientState: string; expiresAt: Date },
  ): Promise<{ subscriptionId: string; expiresAt: string }> {
    const made = await this.executor.send<GraphSubscription>('POST', '/subscriptions', {
      changeType: 'created,updated,deleted',
      notificationUrl: input.notificationUrl,
      lifecycleNotificationUrl: input.notificationUrl,
      resource: `${userPath(mailboxId).replace(/^\//, '')}/events`,
      expirationDateTime: input.expiresAt.toISOString(),
      clientState: input.clientState,
    });
    return { subscriptionId: made.id, expiresAt: made.expirationDateTime };
  }

  /** PATCH /subscriptions/{id} (https://learn.microsoft.com/graph/api/subscription-update); 'gone' on 404. */
  async renew(subscriptionId: string, expiresAt: Date): Promise<{ expiresAt: string } | 'gone'> {
    const renewed = await nullWhenNotFound(() =>
      this.executor.send<GraphSubscription>('PATCH', `/subscriptions/${encodeURIComponent(subscriptionId)}`, {
        expirationDateTime: expiresAt.toISOString(),
      }),
    );
    return renewed ? { expiresAt: renewed.expirationDateTime } : 'gone';
  }

  /** DELETE /subscriptions/{id} (https://learn.microsoft.com/graph/api/subscription-delete); one already gone is fine. */
  async unsubscribe(subscriptionId: string): Promise<void> {
    await nullWhenNotFound(() => this.executor.send('DELETE', `/subscriptions/${encodeURIComponent(subscriptionId)}`));
  }
}
