import { createHmac, randomUUID } from 'node:crypto';

/**
 * Posts a JSON event to the admin's webhook.
 *
 * Signature (how a receiver verifies a delivery): with the webhook secret set in the integration
 * settings, every request carries
 *   X-Timestamp: <unix seconds>
 *   X-Signature-256: sha256=<hex HMAC-SHA256(secret, X-Timestamp + "." + raw body)>
 * The receiver recomputes the HMAC over the exact bytes received, compares in constant time, and
 * rejects a timestamp older than a few minutes; signing the timestamp with the body stops a
 * captured delivery from being replayed later. X-Delivery-Id stays the same across the retries
 * of one delivery, so a receiver can drop duplicates. Without a secret, no signature is sent.
 */
export interface WebhookOptions {
  timeoutMs: number;
  /** Retries after the first attempt, on network errors, timeouts, 429 and 5xx. */
  retries: number;
  /** Waits before each retry, in milliseconds. */
  backoffMs: readonly number[];
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  timeoutMs: 10_000,
  retries: 2,
  backoffMs: [1_000, 5_000],
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
};

export class WebhookDeliveryError extends Error {
  override name = 'WebhookDeliveryError';
  constructor(
    message: string,
    readonly attempts: number,
    readonly status?: number,
  ) {
    super(message);
  }
}

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Sends once, retrying what may pass on a second try; throws WebhookDeliveryError when it gives up. */
export async function sendWebhook(
  url: string,
  secret: string | null,
  payload: unknown,
  options: WebhookOptions = DEFAULT_WEBHOOK_OPTIONS,
): Promise<{ status: number; attempts: number }> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(options.now() / 1000));
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'entra-hr-connector-webhook/1',
    'X-Delivery-Id': randomUUID(),
    'X-Timestamp': timestamp,
    ...(secret ? { 'X-Signature-256': signWebhook(secret, timestamp, body) } : {}),
  };
  let last: WebhookDeliveryError | undefined;
  for (let attempt = 1; attempt <= options.retries + 1; attempt += 1) {
    if (attempt > 1) await options.sleep(options.backoffMs[attempt - 2] ?? options.backoffMs.at(-1) ?? 0);
    try {
      // Redirects are not followed: a signed delivery goes only where the admin pointed it.
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await res.body?.cancel();
      if (res.status >= 200 && res.status < 300) return { status: res.status, attempts: attempt };
      last = new WebhookDeliveryError(`the webhook answered HTTP ${res.status}`, attempt, res.status);
      if (res.status !== 429 && res.status < 500) throw last;
    } catch (error) {
      if (error instanceof WebhookDeliveryError) throw error;
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${options.timeoutMs} ms`
          : `the request failed (${causeOf(error)})`;
      last = new WebhookDeliveryError(reason, attempt);
    }
  }
  throw last!;
}

/** fetch hides the network error in `cause`; its code (ECONNREFUSED, ...) says what went wrong without the URL. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
