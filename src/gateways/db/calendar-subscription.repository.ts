import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  CalendarSubscriptionRepository,
  LifecycleEvent,
  NotificationKey,
} from '../../application/ports/calendar-subscription.port.js';

/**
 * A run asked for by a notification and not started after this long is asked for again: a job
 * lost with its instance (or never queued: the endpoint queues after its answer) must not leave
 * the mailbox deaf. The calendar schedule runs such a mailbox too (CalendarSyncRepository.dueMailboxes).
 */
export const NOTIFIED_RUN_PATIENCE = '2 minutes';

/** True when `notified_at` asks for no run: one was asked for and may still be waiting to start. */
const RUN_PENDING = `notified_at >= now() - interval '${NOTIFIED_RUN_PATIENCE}'`;

/**
 * The batch's distinct notifications, set-based from one JSON parameter whatever the batch's size.
 * The subscriptions they name are locked in one order, so two batches at once (Graph sends them in
 * parallel) wait for one another rather than deadlock.
 */
const BATCH = `n as (
  select distinct x."subscriptionId" as subscription_id, x."clientStateHash" as client_state_hash, x.event
    from jsonb_to_recordset(?::jsonb) as x("subscriptionId" text, "clientStateHash" text, event text)
), s as (
  select c.hr_user_id, n.subscription_id, n.client_state_hash, n.event, not coalesce(c.${RUN_PENDING}, false) as run
    from calendar_subscription c
    join n on c.subscription_id = n.subscription_id and c.client_state_hash = n.client_state_hash
   order by c.hr_user_id for update of c
)`;

/** calendar_subscription as the notification endpoint writes it: one statement per batch. */
export class PgCalendarSubscriptionRepository implements CalendarSubscriptionRepository {
  constructor(private readonly em: EntityManager) {}

  notified(batch: readonly NotificationKey[]): Promise<Array<NotificationKey & { hrUserId: string; run: boolean }>> {
    // `run` is read under the row's lock: of two batches naming one mailbox, only the first asks for its run.
    return this.em.execute(
      `with ${BATCH}, marked as (
         update calendar_subscription c set notified_at = now() from s where c.hr_user_id = s.hr_user_id and s.run
       )
       select distinct hr_user_id as "hrUserId", subscription_id as "subscriptionId",
         client_state_hash as "clientStateHash", run from s`,
      [batchJson(batch.map((n) => ({ ...n, event: '' })))],
    );
  }

  lifecycle(
    batch: ReadonlyArray<NotificationKey & { event: LifecycleEvent }>,
  ): Promise<Array<NotificationKey & { hrUserId: string }>> {
    // Every lifecycle notification runs its mailbox; what stays marks it (renew_due, notified_at,
    // or no subscription at all) so that the calendar schedule runs it if the job is never queued.
    return this.em.execute(
      `with ${BATCH}, removed as (
         delete from calendar_subscription c using s where c.hr_user_id = s.hr_user_id and s.event = 'subscriptionRemoved'
       ), marked as (
         update calendar_subscription c set
           renew_due = c.renew_due or exists (select 1 from s r where r.hr_user_id = c.hr_user_id and r.event = 'reauthorizationRequired'),
           notified_at = case when c.${RUN_PENDING} then c.notified_at else now() end
          where c.hr_user_id in (select hr_user_id from s)
            and c.hr_user_id not in (select hr_user_id from s where event = 'subscriptionRemoved')
       )
       select distinct hr_user_id as "hrUserId", subscription_id as "subscriptionId",
         client_state_hash as "clientStateHash" from s`,
      [batchJson(batch)],
    );
  }
}

function batchJson(batch: ReadonlyArray<NotificationKey & { event: string }>): string {
  return JSON.stringify(
    batch.map((n) => ({ subscriptionId: n.subscriptionId, clientStateHash: n.clientStateHash, event: n.event })),
  );
}
