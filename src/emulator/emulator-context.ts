import type { AppRegistry } from './auth/app-registry.js';
import type { CalendarStore } from './calendar/calendar-store.js';
import type { CalendarDeltaStates } from './calendar/calendar-view-delta.js';
import type { SubscriptionStore } from './calendar/subscriptions.js';
import type { AuthCodeStore } from './auth/auth-codes.js';
import type { SigningKey } from './auth/jwt.js';
import type { DirectoryStore } from './store/directory-store.js';
import type { FaultInjector } from './throttle/fault-injector.js';
import type { MailboxLimits } from './throttle/mailbox-limits.js';
import type { QuotaBuckets } from './throttle/quota-buckets.js';
import type { RequestStats } from './throttle/request-stats.js';

/** Behaviour switches the control API can flip at run time. */
export interface EmulatorSettings {
  /**
   * Expired or unknown delta tokens: 400 syncStateNotFound (default) or 410 Gone + Location
   * (https://learn.microsoft.com/graph/delta-query-overview#synchronization-reset).
   */
  deltaExpiredMode: '400' | '410';
  /**
   * Properties a PATCH may not touch on users with onPremisesSyncEnabled=true
   * (https://learn.microsoft.com/graph/api/user-update).
   */
  onPremMasteredProperties: string[];
  /** Whether PUT/DELETE manager/$ref works on synced users (unconfirmed in Graph, so configurable). */
  syncedManagerWritable: boolean;
}

/** Everything a request handler may need; one per running emulator. */
export interface EmulatorContext {
  store: DirectoryStore;
  registry: AppRegistry;
  /** Authorization codes issued by the sign-in page, until redeemed or expired. */
  authCodes: AuthCodeStore;
  key: SigningKey;
  tenantId: string;
  /** Verified domains; the first is the default for generated users. */
  domains: string[];
  /** `https://127.0.0.1:PORT`, known once the server listens. */
  origin: string;
  /** Injected clock plus any time advanced through the control API. */
  now: () => number;
  advanceTime: (ms: number) => void;
  tokenLifetimeSeconds: number;
  deltaTokenMaxAgeMs: number;
  settings: EmulatorSettings;
  /** HMAC key for skip and delta tokens, so forged or foreign tokens are recognised as unknown. */
  tokenSecret: Buffer;
  /** Bumped by "expire all delta tokens" and by a tenant reset; tokens of an older epoch are expired. */
  deltaEpoch: number;
  /** Mailboxes: calendars, shares, events (the Outlook part of Graph). */
  calendars: CalendarStore;
  /** Server-side calendar view delta states (what each delta token stands for). */
  calendarDelta: CalendarDeltaStates;
  /** Subscriptions to mailboxes' events and the delivery of their change notifications. */
  subscriptions: SubscriptionStore;
  faults: FaultInjector;
  /** Outlook's per-mailbox limits (4 concurrent, 10,000 per 10 minutes), on with the quotas. */
  mailboxLimits: MailboxLimits;
  quota: QuotaBuckets;
  stats: RequestStats;
}
