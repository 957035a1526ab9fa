import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { hashToken } from '../../domain/bearer-token.js';
import { mapWithConcurrency } from '../../gateways/graph/concurrency.limiter.js';
import type { StaleSubscriptionStore, SubscriptionSource } from './calendar-sync.ports.js';
import type { MailboxRun } from './calendar-sync.service.js';

/** How long a subscription is asked for: well under Outlook events' 10,080 minutes. */
export const SUBSCRIPTION_LIFETIME_MS = 3 * 86_400_000;
/** A subscription expiring within this is renewed by the mailbox's run (the schedule makes sure one comes). */
export const RENEW_BEFORE_MS = 86_400_000;

/**
 * Change notifications for the mailbox (docs/rules.md §6.9), before its calendars are read, so no
 * change falls between the read and the subscription: the run first takes the notifications that
 * asked for it, then subscribes to the mailbox's events when it has no subscription, renews one
 * that expires within a day or that Graph asked to renew (reauthorizationRequired), and subscribes
 * anew when Graph lost it (https://learn.microsoft.com/graph/change-notifications-lifecycle-events).
 * With notifications off it removes what it made. The clientState is a new random secret per
 * subscription, kept as SHA-256 only. A failure (Graph cannot reach the URL, a denied mailbox)
 * leaves the mailbox on polling and never fails its run.
 */
export function subscriptionStage(deps: {
  /** Where Graph sends notifications; null: notifications are off. */
  notificationUrl: () => string | null;
  source: () => SubscriptionSource | null;
  logger: Logger;
  now?: () => Date;
}): (run: MailboxRun) => Promise<void> {
  return async (run) => {
    const hrUserId = run.mailbox.hrUserId;
    const source = deps.source();
    const url = deps.notificationUrl();
    if (!source) return;
    await run.store.takeNotifications(hrUserId);
    const current = await run.store.subscription(hrUserId);
    const now = (deps.now?.() ?? new Date()).getTime();
    try {
      if (url === null) {
        if (!current) return;
        await source.unsubscribe(current.subscriptionId);
        await run.store.forgetSubscription(hrUserId);
        return;
      }
      if (current && !current.renewDue && Date.parse(current.expiresAt) - now > RENEW_BEFORE_MS) return;
      const expiresAt = new Date(now + SUBSCRIPTION_LIFETIME_MS);
      if (current) {
        const renewed = await source.renew(current.subscriptionId, expiresAt);
        if (renewed !== 'gone') return await run.store.renewedSubscription(hrUserId, renewed.expiresAt);
        await run.store.forgetSubscription(hrUserId);
      }
      const clientState = randomBytes(32).toString('base64url');
      const made = await source.subscribe(run.mailbox.entraId, { notificationUrl: url, clientState, expiresAt });
      await run.store.saveSubscription(hrUserId, { ...made, clientStateHash: hashToken(clientState) });
    } catch (error) {
      deps.logger.warn(
        { err: error, hrUserId },
        'calendar change notifications could not be set up for this mailbox; it is polled meanwhile',
      );
    }
  };
}

/**
 * Ends the subscriptions no run will end (docs/rules.md §6.9): a leaver's, an unlinked user's, one
 * whose employee switched calendar sync off, and every one once calendar sync is off. Graph would
 * otherwise keep telling HR about those mailboxes until the subscription expires (up to
 * SUBSCRIPTION_LIFETIME_MS). Each is deleted in Graph (https://learn.microsoft.com/graph/api/subscription-delete;
 * one Graph no longer has counts as ended) and then forgotten; one Graph could not delete is tried
 * again at the next schedule. Returns how many ended.
 */
export function staleSubscriptionSweep(deps: {
  store: () => StaleSubscriptionStore;
  source: () => SubscriptionSource | null;
  concurrency: number;
  logger: Logger;
}): (options: { calendarSync: boolean }) => Promise<number> {
  return async (options) => {
    const source = deps.source();
    if (!source) return 0;
    const stale = await deps.store().staleSubscriptions(options);
    const ended = await mapWithConcurrency(stale, deps.concurrency, async ({ hrUserId, subscriptionId }) => {
      try {
        await source.unsubscribe(subscriptionId);
        return [subscriptionId];
      } catch (error) {
        deps.logger.warn(
          { err: error, hrUserId },
          'a calendar subscription no longer needed could not be deleted; tried again at the next poll',
        );
        return [];
      }
    });
    await deps.store().forgetSubscriptions(ended.flat());
    return ended.flat().length;
  };
}
