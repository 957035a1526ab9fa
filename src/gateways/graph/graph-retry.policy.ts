/**
 * When to retry one Graph request and how long to wait: pure, so tests drive it with numbers.
 *
 * Rules (https://learn.microsoft.com/graph/throttling, and the SDK's own RetryHandler,
 * https://github.com/microsoftgraph/msgraph-sdk-javascript/blob/dev/src/middleware/RetryHandler.ts):
 * - 429, 503 and 504 are retried; `Retry-After` (seconds, fractions allowed, or an HTTP date) is
 *   honoured exactly; without it, exponential back-off from `baseDelayMs` with jitter.
 * - A dropped connection is retried only for idempotent requests (the caller says which).
 * - At most `maxRetries` retries, and the waits of one request never add up to more than
 *   `maxTotalRetryWaitMs`: when the next wait would cross that line we stop at once rather than
 *   sleep and fail later, and the caller gets a retryable error carrying Graph's Retry-After.
 * - Within a unit of work (a sync run), the waits of all its requests together never add up to
 *   more than the unit's own budget: three requests of 40 s each are 120 s of one run.
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

export interface RetryPolicyConfig {
  maxRetries: number;
  maxTotalRetryWaitMs: number;
  /** First back-off step when Graph gives no Retry-After. Default 1000. */
  baseDelayMs?: number;
  /** Cap of one back-off step (not of a Retry-After Graph sends). Default 30000. */
  maxBackoffMs?: number;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
}

export interface RetryState {
  /** Retries already made for this request. */
  retriesDone: number;
  /** Time already spent waiting between attempts of this request. */
  waitedMs: number;
}

/** The wait budget shared by every request of one unit of work (a sync run). */
export interface SharedWaitBudget {
  limitMs: number;
  /** Time its requests have already waited, all together. */
  waitedMs: number;
}

export type RetryDecision =
  { retry: true; delayMs: number } | { retry: false; reason: 'max-retries' | 'wait-budget' | 'run-wait-budget' };

export function decideRetry(
  state: RetryState,
  retryAfterMs: number | undefined,
  config: RetryPolicyConfig,
  shared?: SharedWaitBudget,
): RetryDecision {
  if (state.retriesDone >= config.maxRetries) return { retry: false, reason: 'max-retries' };
  const delayMs = retryAfterMs ?? backoffDelayMs(state.retriesDone + 1, config);
  if (state.waitedMs + delayMs > config.maxTotalRetryWaitMs) return { retry: false, reason: 'wait-budget' };
  if (shared && shared.waitedMs + delayMs > shared.limitMs) return { retry: false, reason: 'run-wait-budget' };
  return { retry: true, delayMs };
}

/** Exponential back-off for attempt n (1-based): base·2^(n-1) plus up to 20 % jitter, capped. */
export function backoffDelayMs(attempt: number, config: RetryPolicyConfig): number {
  const base = config.baseDelayMs ?? 1000;
  const cap = config.maxBackoffMs ?? 30_000;
  const raw = Math.min(cap, base * 2 ** (attempt - 1));
  const jitter = raw * 0.2 * (config.random ?? Math.random)();
  return Math.round(raw + jitter);
}

/**
 * `Retry-After` in milliseconds: delta-seconds (fractional, as Graph sends `2.128`) or an HTTP date
 * relative to `nowMs`. Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // An empty or blank value is no date either.
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

const CONNECTION_ERROR_CODES: ReadonlySet<unknown> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * A connection dropped or never made: Node's fetch rejects with `TypeError: fetch failed` (or
 * `terminated` while reading a body) whose `cause` carries the socket error code. Checked by shape,
 * not `instanceof`: fetch's errors come from Node's own realm, which differs from ours under a vm
 * (as in jest), where `instanceof TypeError` is false.
 */
export function isConnectionError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    const { code, name, message, cause } = current as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    if (CONNECTION_ERROR_CODES.has(code)) return true;
    if (
      name === 'TypeError' &&
      typeof message === 'string' &&
      /fetch failed|terminated|other side closed/i.test(message)
    ) {
      return true;
    }
    current = cause;
  }
  return false;
}
