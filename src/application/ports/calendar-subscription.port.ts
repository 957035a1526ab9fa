/** Graph's lifecycle notifications (https://learn.microsoft.com/graph/change-notifications-lifecycle-events). */
export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

/** The mailboxes' subscriptions as notifications reach them (gateways/db). */
export interface CalendarSubscriptionRepository {
  /**
   * The mailbox a change notification speaks of, when its subscription is known and its clientState
   * (by SHA-256) matches; `first` when it is the first since the mailbox's last run took them, so
   * duplicates ask for no second run.
   */
  notified(subscriptionId: string, clientStateHash: string): Promise<{ hrUserId: string; first: boolean } | null>;
  /**
   * Records a lifecycle notification: reauthorizationRequired marks the subscription for renewal,
   * subscriptionRemoved forgets it (the next run subscribes again), missed changes nothing.
   */
  lifecycle(
    subscriptionId: string,
    clientStateHash: string,
    event: LifecycleEvent,
  ): Promise<{ hrUserId: string } | null>;
}
