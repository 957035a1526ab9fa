import { describe, expect, it } from '@jest/globals';
import { AuthenticationHandler, Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { pino } from 'pino';
import { ConcurrencyLimiter } from '../../../src/gateways/graph/concurrency.limiter.js';
import { withGraphCallScope, type GraphCallScope } from '../../../src/gateways/graph/graph-call-scope.js';
import { GraphGatewayError } from '../../../src/gateways/graph/graph-gateway.error.js';
import { GraphRequestExecutor } from '../../../src/gateways/graph/graph-request.executor.js';
import { GraphRetryMiddleware } from '../../../src/gateways/graph/graph-retry.middleware.js';

type Step = Response | Error | (() => Response);

/** Stands where HTTPMessageHandler would: answers from a script and records what was sent. */
class ScriptedTransport implements Middleware {
  readonly sent: { url: string; method: string; headers: Record<string, string> }[] = [];
  constructor(private readonly steps: Step[]) {}
  async execute(context: Context): Promise<void> {
    this.sent.push({
      url: String(context.request),
      method: context.options?.method ?? 'GET',
      headers: { ...(context.options?.headers as Record<string, string>) },
    });
    const step = this.steps.shift();
    if (step === undefined) throw new Error('script exhausted');
    if (step instanceof Error) throw step;
    context.response = typeof step === 'function' ? step() : step;
  }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const throttled = (retryAfter: string) =>
  json(
    429,
    { error: { code: 'TooManyRequests', message: 'Please retry again later.' } },
    { 'retry-after': retryAfter },
  );
const dropped = () =>
  new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });

function harness(
  steps: Step[],
  limits: { maxRetries?: number; maxTotalRetryWaitMs?: number; sleep?: (ms: number) => Promise<void> } = {},
) {
  const slept: number[] = [];
  let tokenCalls = 0;
  const transport = new ScriptedTransport(steps);
  const retry = new GraphRetryMiddleware({
    maxRetries: limits.maxRetries ?? 5,
    maxTotalRetryWaitMs: limits.maxTotalRetryWaitMs ?? 120_000,
    random: () => 0,
    sleep: async (ms) => {
      slept.push(ms);
      await limits.sleep?.(ms);
    },
    now: () => 0,
    logger: pino({ level: 'silent' }),
    limiter: new ConcurrencyLimiter(4),
    refreshToken: async () => `fresh-${++tokenCalls}`,
  });
  const client = Client.initWithMiddleware({
    middleware: [new AuthenticationHandler({ getAccessToken: async () => 'cached' }), retry, transport],
    baseUrl: 'https://graph.example.test',
    defaultVersion: 'v1.0',
    customHosts: new Set(['graph.example.test']),
  });
  return { executor: new GraphRequestExecutor(client, () => 0), transport, slept };
}

describe('GraphRetryMiddleware', () => {
  it('rides out 429s honouring Retry-After and marks each retry', async () => {
    const { executor, transport, slept } = harness([throttled('2'), throttled('0.5'), json(200, { value: [1] })]);
    await expect(executor.get('/users')).resolves.toEqual({ value: [1] });
    expect(slept).toEqual([2000, 500]);
    expect(transport.sent.map((s) => s.headers['Retry-Attempt'])).toEqual([undefined, '1', '2']);
    expect(transport.sent[0]?.headers.Authorization).toBe('Bearer cached');
  });

  it('never waits more than maxTotalRetryWaitMs in total and then fails as retryable', async () => {
    const storm = Array.from({ length: 10 }, () => throttled('50'));
    const { executor, slept, transport } = harness(storm, { maxTotalRetryWaitMs: 120_000, maxRetries: 10 });
    const error = await executor.get('/users').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphGatewayError);
    expect(error).toMatchObject({ kind: 'retryable', status: 429, code: 'TooManyRequests', retryAfterMs: 50_000 });
    expect(slept).toEqual([50_000, 50_000]);
    expect(slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(120_000);
    expect(transport.sent).toHaveLength(3);
  });

  it('stops after maxRetries', async () => {
    const { executor, slept } = harness([throttled('1'), throttled('1'), throttled('1')], { maxRetries: 2 });
    await expect(executor.get('/users')).rejects.toMatchObject({ kind: 'retryable', status: 429 });
    expect(slept).toEqual([1000, 1000]);
  });

  it('retries 503 and 504 with back-off when Graph gives no Retry-After', async () => {
    const { executor, slept } = harness([json(503, {}), json(504, {}), json(200, { ok: true })]);
    await expect(executor.get('/users')).resolves.toEqual({ ok: true });
    expect(slept).toEqual([1000, 2000]);
  });

  it('does not retry other statuses', async () => {
    const { executor, slept } = harness([json(403, { error: { code: 'Authorization_RequestDenied', message: 'no' } })]);
    await expect(executor.get('/users')).rejects.toMatchObject({
      kind: 'permission-missing',
      missingPermission: 'User.Read.All',
    });
    expect(slept).toEqual([]);
  });

  it('retries a GET whose connection dropped before the answer', async () => {
    const { executor, transport } = harness([dropped(), json(200, { value: ['page'] })]);
    await expect(executor.get('/users')).resolves.toEqual({ value: ['page'] });
    expect(transport.sent).toHaveLength(2);
  });

  it('retries a GET whose connection dropped in the middle of the body', async () => {
    const broken = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"value":[1,2'));
            controller.error(
              new TypeError('terminated', {
                cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
              }),
            );
          },
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    const { executor, transport } = harness([broken, json(200, { value: [1, 2, 3] })]);
    await expect(executor.get('/users')).resolves.toEqual({ value: [1, 2, 3] });
    expect(transport.sent).toHaveLength(2);
  });

  it('gives up on dropped connections within the same bounds, as a retryable error', async () => {
    const { executor, slept } = harness([dropped(), dropped(), dropped()], { maxRetries: 2 });
    await expect(executor.get('/users')).rejects.toMatchObject({ kind: 'retryable', code: 'ConnectionFailed' });
    expect(slept).toHaveLength(2);
  });

  it('does not replay a POST whose connection dropped', async () => {
    const { executor, transport } = harness([dropped(), json(201, { id: 'x' })]);
    await expect(executor.send('POST', '/users', { displayName: 'A' })).rejects.toMatchObject({ kind: 'retryable' });
    expect(transport.sent).toHaveLength(1);
  });

  it('asks for a new token once after a 401', async () => {
    const unauthorized = json(401, { error: { code: 'InvalidAuthenticationToken', message: 'expired' } });
    const { executor, transport } = harness([unauthorized, json(200, { ok: 1 })]);
    await expect(executor.get('/users')).resolves.toEqual({ ok: 1 });
    expect(transport.sent[1]?.headers.Authorization).toBe('Bearer fresh-1');

    const again = harness([json(401, {}), json(401, { error: { code: 'InvalidAuthenticationToken', message: 'no' } })]);
    await expect(again.executor.get('/users')).rejects.toMatchObject({ kind: 'auth-failed', status: 401 });
  });

  it('bounds the total wait of all the requests of one run, and records it there', async () => {
    // Three requests of the same run, each throttled with Retry-After 40 s: alone, each could wait
    // (120 s per request); together they may not pass the run's 90 s.
    const storm = Array.from({ length: 6 }, () => throttled('40'));
    const { executor, slept, transport } = harness([...storm, json(200, { ok: 1 })], { maxRetries: 10 });
    const scope: GraphCallScope = { throttle: { limitMs: 90_000, waitedMs: 0, exhausted: false } };
    const outcomes = await withGraphCallScope(scope, async () => {
      const results: unknown[] = [];
      for (const path of ['/users', '/groups', '/users/x'])
        results.push(await executor.get(path).catch((e: unknown) => e));
      return results;
    });
    expect(slept).toEqual([40_000, 40_000]);
    expect(scope.throttle).toEqual({ limitMs: 90_000, waitedMs: 80_000, exhausted: true });
    expect(outcomes[0]).toMatchObject({ kind: 'retryable', status: 429 });
    expect(outcomes.slice(1).every((o) => o instanceof GraphGatewayError && o.kind === 'retryable')).toBe(true);
    // No request slept past the run's budget: the third asked, saw it would cross it, and gave up at once.
    expect(transport.sent).toHaveLength(5);
    // Outside any run only the per-request bound applies.
    const free = harness([throttled('40'), throttled('40'), throttled('40'), json(200, { ok: 1 })]);
    await expect(free.executor.get('/users')).resolves.toEqual({ ok: 1 });
    expect(free.slept).toEqual([40_000, 40_000, 40_000]);
  });

  it('stops waiting, and abandons the request in flight, when the run is stopped', async () => {
    const controller = new AbortController();
    let release: () => void = () => undefined;
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        release = resolve;
        void ms;
      });
    const { executor, slept } = harness([throttled('60'), json(200, { ok: 1 })], { sleep });
    const call = withGraphCallScope(
      { signal: controller.signal, throttle: { limitMs: 3_600_000, waitedMs: 0, exhausted: false } },
      () => executor.get('/users'),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(slept).toEqual([60_000]);
    controller.abort(new Error('cancelled by an administrator'));
    await expect(call).rejects.toMatchObject({ graphMessage: expect.stringMatching(/cancelled by an administrator/) });
    release();
  });
});
