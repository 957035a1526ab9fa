/** Graph's lifecycle notifications (https://learn.microsoft.com/graph/change-notifications-lifecycle-events). */
export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

/** A notification as the repository matches it: its subscription and its clientState's SHA-256. */
export interface NotificationKey {
  subscriptionId: string;
  clientStateHash: string;
}

/** The mailboxes' subscriptions as notifications reach them (gateways/db): one statement per batch. */
export interface CalendarSubscriptionRepository {
  /**
   * Records a batch of change notifications: one row per distinct notification whose subscription
   * is known and whose clientState (by SHA-256) matches, with its mailbox; `run` when it is the
   * first since the mailbox's last run took them (or the run asked for has not started for too
   * long), so duplicates ask for no second run. The mark is what makes the run durable: the
   * calendar schedule runs a mailbox notified long enough ago (CalendarSyncRepository.dueMailboxes).
   */
  notified(batch: readonly NotificationKey[]): Promise<Array<NotificationKey & { hrUserId: string; run: boolean }>>;
  /**
   * Records a batch of lifecycle notifications: reauthorizationRequired marks the subscription for
   * renewal, subscriptionRemoved forgets it (the next run subscribes again), missed changes nothing
   * but the mark; each matching one asks for a run of its mailbox.
   */
  lifecycle(
    batch: ReadonlyArray<NotificationKey & { event: LifecycleEvent }>,
  ): Promise<Array<NotificationKey & { hrUserId: string }>>;
}
