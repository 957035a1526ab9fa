import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  CalendarSubscriptionRepository,
  LifecycleEvent,
} from '../../application/ports/calendar-subscription.port.js';

/**
 * A run asked for by a notification and not started after this long is asked for again: a job
 * lost with its instance must not leave the mailbox deaf.
 */
const NOTIFIED_RUN_PATIENCE = '2 minutes';

/** calendar_subscription as the notification endpoint reads it: one statement per notification. */
export class PgCalendarSubscriptionRepository implements CalendarSubscriptionRepository {
  constructor(private readonly em: EntityManager) {}

  async notified(
    subscriptionId: string,
    clientStateHash: string,
  ): Promise<{ hrUserId: string; first: boolean } | null> {
    const [row] = await this.em.execute<Array<{ hrUserId: string; first: boolean }>>(
      `with s as (
         select hr_user_id, notified_at from calendar_subscription
          where subscription_id = ? and client_state_hash = ? for update
       ), marked as (
         update calendar_subscription c set notified_at = now() from s
          where c.hr_user_id = s.hr_user_id and (s.notified_at is null or s.notified_at < now() - interval '${NOTIFIED_RUN_PATIENCE}')
       )
       select hr_user_id as "hrUserId",
         (notified_at is null or notified_at < now() - interval '${NOTIFIED_RUN_PATIENCE}') as first from s`,
      [subscriptionId, clientStateHash],
    );
    return row ?? null;
  }

  async lifecycle(
    subscriptionId: string,
    clientStateHash: string,
    event: LifecycleEvent,
  ): Promise<{ hrUserId: string } | null> {
    const where = `subscription_id = ? and client_state_hash = ? returning hr_user_id as "hrUserId"`;
    const sql =
      event === 'subscriptionRemoved'
        ? `delete from calendar_subscription where ${where}`
        : `update calendar_subscription set renew_due = renew_due or ? where ${where}`;
    const params =
      event === 'subscriptionRemoved'
        ? [subscriptionId, clientStateHash]
        : [event === 'reauthorizationRequired', subscriptionId, clientStateHash];
    const [row] = await this.em.execute<Array<{ hrUserId: string }>>(sql, params);
    return row ?? null;
  }
}
