import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { Logger } from 'pino';
import type { ConcurrencyLimiter } from './concurrency.limiter.js';
import { mapGraphSdkError, toSdkPassthrough } from './graph-error.mapper.js';
import { currentGraphCallScope } from './graph-call-scope.js';
import { routeOf } from './graph-permissions.js';
import {
  decideRetry,
  isConnectionError,
  parseRetryAfterMs,
  RETRYABLE_STATUSES,
  type RetryPolicyConfig,
  type RetryState,
} from './graph-retry.policy.js';

export interface GraphRetryMiddlewareOptions extends RetryPolicyConfig {
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  logger: Logger;
  /** Bounds requests in flight across the gateway; a request waiting to retry holds no slot. */
  limiter: ConcurrencyLimiter;
  /** A fresh token after a 401 (tried once per request). */
  refreshToken?: () => Promise<string>;
}

/**
 * Takes the place of the SDK's RetryHandler in the middleware chain. The SDK's handler cannot do
 * what we need (graph-client 3.0.7, src/middleware/RetryHandler.ts):
 * - it cannot bound the total wait of one request: `shouldRetry` is given the configured delay,
 *   not the Retry-After it will sleep, and `maxRetries` ≤ 10 × up to 180 s each is unbounded
 *   for our purposes;
 * - it sleeps with a private setTimeout, so tests cannot inject time;
 * - it does not retry a dropped connection (fetch rejects and the error passes straight up).
 * The policy itself is in graph-retry.policy.ts. Like the SDK's, this middleware sets the
 * `Retry-Attempt` header and never retries a streamed (octet-stream) body.
 *
 * GET bodies are read here, inside the retry loop, so a connection dropped in the middle of a page
 * is retried like one dropped before the headers: the caller sees each page exactly once.
 */
export class GraphRetryMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly options: GraphRetryMiddlewareOptions) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const scope = currentGraphCallScope();
    // The unit of work's signal reaches fetch itself, so a call that never answers is abandoned
    // when the run is cancelled, times out or the service stops.
    if (scope?.signal) {
      context.options ??= {};
      context.options.signal = scope.signal;
    }
    const method = (context.options?.method ?? 'GET').toUpperCase();
    const idempotent = method === 'GET' || method === 'HEAD';
    const state: RetryState = { retriesDone: 0, waitedMs: 0 };
    let tokenRefreshed = false;
    for (;;) {
      let failure: unknown;
      try {
        await this.options.limiter.run(() => this.attempt(context, idempotent));
      } catch (error) {
        if (!idempotent || !isConnectionError(error)) throw error;
        failure = error;
      }
      let retryAfterMs: number | undefined;
      if (failure === undefined) {
        const response = context.response as Response;
        if (response.status === 401 && this.options.refreshToken && !tokenRefreshed) {
          tokenRefreshed = true;
          setHeader(context, 'Authorization', `Bearer ${await this.options.refreshToken()}`);
          continue;
        }
        if (!RETRYABLE_STATUSES.has(response.status) || isStreamBody(context)) return;
        retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), this.options.now());
      }
      const decision = decideRetry(state, retryAfterMs, this.options, scope?.throttle);
      const route = routeOf(method, requestUrl(context));
      const status = failure === undefined ? context.response?.status : undefined;
      if (!decision.retry) {
        if (decision.reason === 'run-wait-budget') scope!.throttle!.exhausted = true;
        this.options.logger.warn(
          { route, status, reason: decision.reason, ...state, runWaitedMs: scope?.throttle?.waitedMs },
          'Graph request gave up retrying',
        );
        if (failure !== undefined) throw toSdkPassthrough(mapGraphSdkError(failure, { route }));
        return;
      }
      state.retriesDone++;
      state.waitedMs += decision.delayMs;
      if (scope?.throttle) scope.throttle.waitedMs += decision.delayMs;
      setHeader(context, 'Retry-Attempt', String(state.retriesDone));
      this.options.logger.debug(
        { route, status, delayMs: decision.delayMs, attempt: state.retriesDone },
        'Graph retry',
      );
      await sleepUnlessAborted(this.options.sleep, decision.delayMs, scope?.signal);
    }
  }

  private async attempt(context: Context, bufferBody: boolean): Promise<void> {
    if (!this.next) throw new Error('GraphRetryMiddleware has no next middleware');
    await this.next.execute(context);
    const response = context.response;
    if (!bufferBody || !response || response.body === null) return;
    // A 204 (like every null-body status) has no body to read, so it returned above: a Response
    // with such a status refuses one (https://fetch.spec.whatwg.org/#null-body-status).
    context.response = new Response(await response.arrayBuffer(), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }
}

/** A wait between attempts that ends early, with the signal's reason, when the unit of work stops. */
async function sleepUnlessAborted(
  sleep: (ms: number) => Promise<void>,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (!signal) return sleep(ms);
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason as Error);
    // Removed below whether or not it ran, so it needs no `once`.
    signal.addEventListener('abort', onAbort);
  });
  try {
    await Promise.race([sleep(ms), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}

function requestUrl(context: Context): string {
  return typeof context.request === 'string' ? context.request : context.request.url;
}

function isStreamBody(context: Context): boolean {
  return readHeader(context, 'content-type') === 'application/octet-stream';
}

function readHeader(context: Context, name: string): string | undefined {
  const headers = context.options?.headers;
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const entries = Array.isArray(headers) ? headers : Object.entries(headers);
  return entries.find(([key]) => key.toLowerCase() === name)?.[1];
}

function setHeader(context: Context, name: string, value: string): void {
  context.options ??= {};
  const headers = context.options.headers;
  if (headers instanceof Headers) {
    headers.set(name, value);
    return;
  }
  const record: Record<string, string | undefined> = Array.isArray(headers)
    ? Object.fromEntries(headers)
    : { ...headers };
  for (const key of Object.keys(record)) if (key.toLowerCase() === name.toLowerCase()) delete record[key];
  record[name] = value;
  context.options.headers = record as Record<string, string>;
}
