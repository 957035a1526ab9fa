import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { hashToken } from '../../domain/bearer-token.js';
import type { SubscriptionSource } from './calendar-sync.ports.js';
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
