import { afterEach, describe, expect, it } from '@jest/globals';
import {
  DEFAULT_WEBHOOK_OPTIONS,
  sendWebhook,
  WebhookDeliveryError,
  type WebhookOptions,
} from '../../../src/gateways/notify/webhook-sender.js';
import { startWebhookReceiver, verifySignature } from './notify-servers.js';

const SECRET = 'whsec-0123456789abcdef';
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('webhook sender against a real local HTTP server', () => {
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>> | undefined;
  const waits: number[] = [];
  // The clock and the sleeping are injected, so retries take no real time.
  const options = (overrides: Partial<WebhookOptions> = {}): WebhookOptions => ({
    ...DEFAULT_WEBHOOK_OPTIONS,
    now: () => NOW,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  });
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
    waits.length = 0;
  });

  it('posts the JSON signed over the timestamp and the raw body, which the receiver can verify', async () => {
    receiver = await startWebhookReceiver();
    const result = await sendWebhook(receiver.url, SECRET, { event: 'sync-run.problem', note: 'ünïcode ✓' }, options());
    expect(result).toEqual({ status: 204, attempts: 1 });
    const [delivery] = receiver.deliveries;
    expect(delivery!.headers['content-type']).toBe('application/json');
    expect(delivery!.headers['x-timestamp']).toBe(String(NOW / 1000));
    expect(delivery!.headers['x-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(delivery!, SECRET)).toBe(true);
    expect(verifySignature(delivery!, 'another-secret-value')).toBe(false);
    expect(verifySignature({ ...delivery!, body: delivery!.body.replace('✓', 'x') }, SECRET)).toBe(false);
    expect(JSON.parse(delivery!.body)).toEqual({ event: 'sync-run.problem', note: 'ünïcode ✓' });
  });

  it('retries a 5xx answer and succeeds, with the same delivery id and signature', async () => {
    receiver = await startWebhookReceiver((attempt) => (attempt === 1 ? 503 : 200));
    expect(await sendWebhook(receiver.url, SECRET, { n: 1 }, options())).toEqual({ status: 200, attempts: 2 });
    expect(waits).toEqual([1_000]);
    const [first, second] = receiver.deliveries;
    expect(second!.headers['x-delivery-id']).toBe(first!.headers['x-delivery-id']);
    expect(verifySignature(second!, SECRET)).toBe(true);
  });

  it('gives up after two retries of 5xx answers', async () => {
    receiver = await startWebhookReceiver(() => 500);
    const error = await sendWebhook(receiver.url, SECRET, {}, options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookDeliveryError);
    expect(error).toMatchObject({ attempts: 3, status: 500, message: 'the webhook answered HTTP 500' });
    expect(receiver.deliveries).toHaveLength(3);
    expect(waits).toEqual([1_000, 5_000]);
  });

  it('does not retry a 4xx answer, nor follow a redirect', async () => {
    receiver = await startWebhookReceiver(() => 401);
    await expect(sendWebhook(receiver.url, SECRET, {}, options())).rejects.toMatchObject({ attempts: 1, status: 401 });
    await receiver.close();
    receiver = await startWebhookReceiver(() => 302);
    await expect(sendWebhook(receiver.url, SECRET, {}, options())).rejects.toMatchObject({ attempts: 1, status: 302 });
    expect(receiver.deliveries).toHaveLength(1);
  });

  it('times out a receiver that never answers, and retries', async () => {
    receiver = await startWebhookReceiver(() => 'hang');
    const started = Date.now();
    await expect(sendWebhook(receiver.url, SECRET, {}, options({ timeoutMs: 150 }))).rejects.toMatchObject({
      attempts: 3,
      message: 'no answer within 150 ms',
    });
    expect(receiver.deliveries).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('retries network errors and names them without the URL', async () => {
    receiver = await startWebhookReceiver();
    const url = receiver.url;
    await receiver.close();
    receiver = undefined;
    const error = (await sendWebhook(url, SECRET, {}, options()).catch((e: unknown) => e)) as WebhookDeliveryError;
    expect(error).toMatchObject({ attempts: 3, message: 'the request failed (ECONNREFUSED)' });
    expect(error.message).not.toContain('path-secret');
  });

  it('sends no signature without a secret', async () => {
    receiver = await startWebhookReceiver();
    await sendWebhook(receiver.url, null, { n: 1 }, options());
    expect(receiver.deliveries[0]!.headers['x-signature-256']).toBeUndefined();
    expect(receiver.deliveries[0]!.headers['x-timestamp']).toBe(String(NOW / 1000));
  });
});
