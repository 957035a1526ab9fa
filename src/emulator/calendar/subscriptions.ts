import { randomUUID } from 'node:crypto';
import type { ChangeType } from './calendar-store.js';
import type { CalendarRecord } from './calendar-types.js';

/**
 * Outlook event subscriptions live at most 10,080 minutes (under 7 days)
 * (https://learn.microsoft.com/graph/api/resources/subscription#subscription-lifetime).
 */
export const MAX_EVENT_SUBSCRIPTION_MS = 10_080 * 60_000;
/** Graph waits 10 s for the validation answer (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks). */
export const VALIDATION_TIMEOUT_MS = 10_000;
/** Graph waits 3 s for a notification's 2xx; over 2,900 ms an answer counts as slow (same page). */
export const DELIVERY_TIMEOUT_MS = 3_000;
export const SLOW_ANSWER_MS = 2_900;

export interface Subscription {
  id: string;
  appId: string;
  resource: string;
  changeTypes: ChangeType[];
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationMs: number;
  /** The mailbox the resource names, and the calendar when it names one (its id in the store). */
  mailboxId: string;
  calendarId: string | null;
}

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

/** How the emulator delivers: at once by default; paused drops what happens meanwhile (as "missed"). */
export interface DeliverySettings {
  paused: boolean;
  delayMs: number;
}

/** What deliveries met, for tests and benchmarks: answer times in ms, failures, slow answers. */
export interface DeliveryStats {
  batches: number;
  notifications: number;
  failed: number;
  slow: number;
  dropped: number;
  answerMs: number[];
}

type Post = (url: string, body: string | null, contentType: string, timeoutMs: number) => Promise<PostResult>;
export interface PostResult {
  status: number;
  text: string;
  ms: number;
}

/**
 * Subscriptions to mailboxes' events and the delivery of their change notifications
 * (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks): every change the
 * calendar store reports becomes a notification to each live subscription on that mailbox (or
 * calendar) whose changeType names it, POSTed as a `{ value: [...] }` batch with the
 * subscription's clientState; what happens in one turn of the event loop goes in one batch per URL.
 * A delivery that fails or takes over 3 s is tried again once a second later (Graph retries for up
 * to 4 hours: the emulator keeps it short). Lifecycle notifications go to the lifecycle URL
 * (https://learn.microsoft.com/graph/change-notifications-lifecycle-events).
 */
export class SubscriptionStore {
  readonly subscriptions = new Map<string, Subscription>();
  readonly settings: DeliverySettings = { paused: false, delayMs: 0 };
  stats: DeliveryStats = emptyStats();
  private readonly queued = new Map<string, Array<Record<string, unknown>>>();
  private flushing = false;

  constructor(
    private readonly now: () => number,
    private readonly tenantId: () => string,
    readonly post: Post = httpPost,
  ) {}

  add(input: Omit<Subscription, 'id'>): Subscription {
    const subscription = { ...input, id: randomUUID() };
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  /** A live subscription: expired ones are gone, as Graph deletes them. */
  get(id: string): Subscription | undefined {
    const subscription = this.subscriptions.get(id);
    if (subscription && subscription.expirationMs <= this.now()) this.subscriptions.delete(id);
    return this.subscriptions.get(id);
  }

  live(): Subscription[] {
    return [...this.subscriptions.keys()].map((id) => this.get(id)).filter((s): s is Subscription => !!s);
  }

  /** The calendar store's listener: one notification per live subscription that covers the change. */
  changed(calendar: CalendarRecord, eventId: string, change: ChangeType): void {
    for (const s of this.live()) {
      if (s.mailboxId !== calendar.mailboxId || (s.calendarId !== null && s.calendarId !== calendar.id)) continue;
      if (!s.changeTypes.includes(change)) continue;
      if (this.settings.paused) {
        this.stats.dropped += 1;
        continue;
      }
      const resource = `Users/${s.mailboxId}/Events/${eventId}`;
      this.enqueue(s.notificationUrl, {
        subscriptionId: s.id,
        subscriptionExpirationDateTime: new Date(s.expirationMs).toISOString(),
        changeType: change,
        resource,
        resourceData: { '@odata.type': '#Microsoft.Graph.Event', '@odata.id': resource, id: eventId },
        clientState: s.clientState,
        tenantId: this.tenantId(),
      });
    }
  }

  /** Sends a lifecycle notification; `subscriptionRemoved` also removes the subscription, as Graph has. */
  lifecycle(id: string, event: LifecycleEvent): void {
    const s = this.get(id);
    if (!s) throw new Error(`no subscription ${id}`);
    if (event === 'subscriptionRemoved') this.subscriptions.delete(id);
    if (!s.lifecycleNotificationUrl) return;
    this.enqueue(s.lifecycleNotificationUrl, {
      lifecycleEvent: event,
      subscriptionId: s.id,
      subscriptionExpirationDateTime: new Date(s.expirationMs).toISOString(),
      clientState: s.clientState,
      tenantId: this.tenantId(),
    });
  }

  clear(): void {
    this.subscriptions.clear();
    this.queued.clear();
    this.stats = emptyStats();
  }

  private enqueue(url: string, notification: Record<string, unknown>): void {
    const batch = this.queued.get(url) ?? [];
    batch.push(notification);
    this.queued.set(url, batch);
    if (this.flushing) return;
    this.flushing = true;
    const flush = () => {
      this.flushing = false;
      const batches = [...this.queued.entries()];
      this.queued.clear();
      for (const [target, value] of batches) void this.deliver(target, value, 1);
    };
    if (this.settings.delayMs > 0) setTimeout(flush, this.settings.delayMs).unref();
    else setImmediate(flush);
  }

  private async deliver(url: string, value: Array<Record<string, unknown>>, attempt: number): Promise<void> {
    this.stats.batches += 1;
    this.stats.notifications += value.length;
    const result = await this.post(url, JSON.stringify({ value }), 'application/json', DELIVERY_TIMEOUT_MS);
    this.stats.answerMs.push(result.ms);
    if (result.ms > SLOW_ANSWER_MS) this.stats.slow += 1;
    if (result.status >= 200 && result.status < 300) return;
    this.stats.failed += 1;
    if (attempt < 2) setTimeout(() => void this.deliver(url, value, attempt + 1), 1000).unref();
  }
}

function emptyStats(): DeliveryStats {
  return { batches: 0, notifications: 0, failed: 0, slow: 0, dropped: 0, answerMs: [] };
}

/**
 * Graph calls the service's endpoint: any status and body are reported, a network failure or a
 * timeout as status 0. Node's fetch trusts the system's certificate authorities, as Graph does.
 */
async function httpPost(url: string, body: string | null, contentType: string, timeoutMs: number): Promise<PostResult> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': contentType },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, text, ms: performance.now() - started };
  } catch {
    return { status: 0, text: '', ms: performance.now() - started };
  }
}
