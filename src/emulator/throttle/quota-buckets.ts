/**
 * Identity and access throttling for one app in one tenant ("Microsoft Graph service-specific throttling
 * limits", https://learn.microsoft.com/graph/throttling-limits): a token bucket of resource units sized by
 * tenant tier, refilled continuously over 10 s, and a write bucket of 3,000 per 150 s. Usage keeps counting
 * while throttled (https://learn.microsoft.com/graph/throttling), so early retries push the caller further
 * back.
 */
export type QuotaResult =
  { ok: true; limitPercentage?: number } | { ok: false; retryAfterSeconds: number; scope: string; information: string };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const WRITE_CAPACITY = 3000;
const WRITE_WINDOW_MS = 150_000;
const RU_WINDOW_MS = 10_000;

/** RU per 10 s for app + tenant by tenant size. */
export function ruCapacity(userCount: number): number {
  if (userCount < 50) return 3500;
  if (userCount <= 500) return 5000;
  return 8000;
}

export class QuotaBuckets {
  enabled: boolean;
  private buckets = new Map<string, Bucket>();

  constructor(
    enabled: boolean,
    private readonly now: () => number,
  ) {
    this.enabled = enabled;
  }

  charge(appId: string, tenantId: string, ru: number, isWrite: boolean, userCount: number): QuotaResult {
    if (!this.enabled) return { ok: true };
    const capacity = ruCapacity(userCount);
    const read = this.take(`ru:${appId}:${tenantId}`, capacity, RU_WINDOW_MS, ru);
    const write = isWrite ? this.take(`w:${appId}:${tenantId}`, WRITE_CAPACITY, WRITE_WINDOW_MS, 1) : undefined;
    if (read.waitMs > 0 || (write && write.waitMs > 0)) {
      const writeBlocked = write !== undefined && write.waitMs > 0;
      const waitMs = Math.max(read.waitMs, write?.waitMs ?? 0);
      return {
        ok: false,
        retryAfterSeconds: Math.max(0.001, Math.ceil(waitMs) / 1000),
        scope: `Tenant_Application/${writeBlocked ? 'Write' : 'ReadWrite'}/${appId}/${tenantId}`,
        information: writeBlocked ? 'WriteLimitExceeded' : 'ResourceUnitLimitExceeded',
      };
    }
    const used = (capacity - read.tokensLeft) / capacity;
    return used > 0.8 ? { ok: true, limitPercentage: Math.min(1.8, Math.round(used * 100) / 100) } : { ok: true };
  }

  reset(): void {
    this.buckets.clear();
  }

  private take(key: string, capacity: number, windowMs: number, cost: number): { waitMs: number; tokensLeft: number } {
    const now = this.now();
    const rate = capacity / windowMs;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + Math.max(0, now - bucket.updatedAt) * rate);
    bucket.updatedAt = now;
    const enough = bucket.tokens >= cost;
    bucket.tokens = Math.max(-capacity, bucket.tokens - cost);
    this.buckets.set(key, bucket);
    const waitMs = enough ? 0 : Math.max(1, (cost - bucket.tokens) / rate);
    return { waitMs, tokensLeft: bucket.tokens };
  }
}
