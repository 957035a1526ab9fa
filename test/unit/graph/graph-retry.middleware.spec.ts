import { describe, expect, it } from '@jest/globals';
import { getEventListeners } from 'node:events';
import { Writable } from 'node:stream';
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

/** The middleware alone, as the SDK's chain calls it, with the transport behind it and its log lines. */
function direct(steps: Step[], options: { maxRetries?: number } = {}) {
  const slept: number[] = [];
  const sent: { method: string; headers: [string, string][]; signal: AbortSignal | undefined }[] = [];
  const logs: Record<string, unknown>[] = [];
  const next: Middleware = {
    async execute(context: Context) {
      sent.push({
        method: context.options?.method ?? 'GET',
        headers: [...new Headers(context.options?.headers as ConstructorParameters<typeof Headers>[0]).entries()],
        signal: context.options?.signal ?? undefined,
      });
      const step = steps.shift();
      if (step === undefined) throw new Error('script exhausted');
      if (step instanceof Error) throw step;
      context.response = typeof step === 'function' ? step() : step;
    },
  };
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const retry = new GraphRetryMiddleware({
    maxRetries: options.maxRetries ?? 5,
    maxTotalRetryWaitMs: 120_000,
    random: () => 0,
    sleep: async (ms) => {
      slept.push(ms);
    },
    now: () => 0,
    logger: pino({ level: 'debug' }, logStream),
    limiter: new ConcurrencyLimiter(1),
  });
  retry.setNext(next);
  return { retry, sent, slept, logs };
}

const context = (method: string, headers?: ConstructorParameters<typeof Headers>[0]): Context => ({
  request: 'https://graph.example.test/v1.0/users/7f2c1a4e-0000-4000-8000-000000000001/photo/$value',
  options: { method, ...(headers ? { headers: headers as Record<string, string> } : {}) },
});

describe('GraphRetryMiddleware, as the SDK calls it', () => {
  it('marks a retry on headers given as a Headers object, as pairs, or under another spelling, keeping the others', async () => {
    const asHeaders = direct([json(503, {}), json(200, {})]);
    await asHeaders.retry.execute(context('GET', new Headers({ Accept: 'application/json' })));
    expect(asHeaders.sent[1]!.headers).toEqual([
      ['accept', 'application/json'],
      ['retry-attempt', '1'],
    ]);

    const asPairs = direct([json(503, {}), json(503, {}), json(200, {})]);
    await asPairs.retry.execute(
      context('GET', [
        ['retry-attempt', '9'],
        ['Accept', 'application/json'],
      ]),
    );
    expect(asPairs.sent.map((request) => request.headers)).toEqual([
      [
        ['accept', 'application/json'],
        ['retry-attempt', '9'],
      ],
      [
        ['accept', 'application/json'],
        ['retry-attempt', '1'],
      ],
      [
        ['accept', 'application/json'],
        ['retry-attempt', '2'],
      ],
    ]);
  });

  it('never sends a streamed body twice: an octet-stream upload answered 503 is returned as it is', async () => {
    for (const headers of [
      { 'Content-Type': 'application/octet-stream' },
      new Headers({ 'content-type': 'application/octet-stream' }),
      [['CONTENT-TYPE', 'application/octet-stream']] as [string, string][],
    ]) {
      const upload = direct([json(503, {}), json(200, {})]);
      const call = context('PUT', headers);
      await upload.retry.execute(call);
      expect((call.response as Response).status).toBe(503);
      expect(upload.sent).toHaveLength(1);
    }
    // A JSON write answered 503 was not processed: it is sent again.
    const patch = direct([json(503, {}), new Response(null, { status: 204 })]);
    const call = context('PATCH', { Accept: 'application/octet-stream', 'Content-Type': 'application/json' });
    await patch.retry.execute(call);
    expect(patch.sent).toHaveLength(2);
    expect((call.response as Response).status).toBe(204);
  });

  it('retries a HEAD or a lower-case get whose connection dropped, like a GET', async () => {
    for (const method of ['HEAD', 'get']) {
      const read = direct([dropped(), new Response(null, { status: 200 })]);
      await read.retry.execute(context(method));
      expect(read.sent).toHaveLength(2);
    }
    const write = direct([dropped(), json(200, {})]);
    await expect(write.retry.execute(context('DELETE'))).rejects.toThrow('fetch failed');
    expect(write.sent).toHaveLength(1);
  });

  it('takes a call without a method for a GET: a dropped connection is tried again', async () => {
    const read = direct([dropped(), json(200, {})]);
    await read.retry.execute({ request: 'https://graph.example.test/v1.0/users' });
    expect(read.sent).toHaveLength(2);
  });

  it('gives up on a GET whose connection keeps dropping by throwing the connection failure, logged without a status', async () => {
    const { retry, logs } = direct([json(503, {}), dropped(), dropped()], { maxRetries: 2 });
    const failure = await retry.execute(context('GET')).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ customError: { kind: 'retryable', code: 'ConnectionFailed' } });
    expect(logs.at(-1)).toMatchObject({ msg: 'Graph request gave up retrying', reason: 'max-retries' });
    expect(logs.at(-1)).not.toHaveProperty('status');
  });

  it('refuses to run without a next middleware', async () => {
    const alone = new GraphRetryMiddleware({
      maxRetries: 0,
      maxTotalRetryWaitMs: 0,
      random: () => 0,
      sleep: async () => {},
      now: () => 0,
      logger: pino({ level: 'silent' }),
      limiter: new ConcurrencyLimiter(1),
    });
    await expect(alone.execute(context('GET'))).rejects.toThrow('GraphRetryMiddleware has no next middleware');
  });

  it('reads a body once, keeping status and headers; a 204 has none to read', async () => {
    const answered = direct([
      new Response(null, { status: 204, statusText: 'No Content', headers: { 'request-id': 'r1' } }),
    ]);
    const call = context('GET');
    await answered.retry.execute(call);
    const response = call.response as Response;
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();

    const page = direct([
      new Response('{"value":[]}', { status: 200, statusText: 'OK', headers: { 'request-id': 'r2' } }),
    ]);
    const pageCall = context('GET');
    await page.retry.execute(pageCall);
    const read = pageCall.response as Response;
    expect([read.status, read.statusText, read.headers.get('request-id')]).toEqual([200, 'OK', 'r2']);
    await expect(read.json()).resolves.toEqual({ value: [] });
  });

  it('logs each retry at debug and the giving up at warn, with the route and why', async () => {
    const { retry, logs } = direct([throttled('1'), throttled('2'), throttled('3')], { maxRetries: 2 });
    await retry.execute(context('GET'));
    const route = { method: 'GET', path: '/users/{id}/photo/$value' };
    expect(
      logs.map(({ level, msg, route, status, delayMs, attempt }) => ({ level, msg, route, status, delayMs, attempt })),
    ).toEqual([
      { level: 20, msg: 'Graph retry', route, status: 429, delayMs: 1000, attempt: 1 },
      { level: 20, msg: 'Graph retry', route, status: 429, delayMs: 2000, attempt: 2 },
      { level: 40, msg: 'Graph request gave up retrying', route, status: 429, delayMs: undefined, attempt: undefined },
    ]);
    expect(logs[2]).toMatchObject({ reason: 'max-retries', retriesDone: 2, waitedMs: 3000 });
  });

  it('logs the route of a call made with a Request object as of one made with its URL', async () => {
    const { retry, logs } = direct([throttled('1'), json(200, {})]);
    const { request, options } = context('GET');
    await retry.execute({ request: new Request(request as string), options });
    expect(logs[0]).toMatchObject({ route: { method: 'GET', path: '/users/{id}/photo/$value' } });
  });

  it("gives the run's signal to fetch, and leaves no abort listener behind after its waits", async () => {
    const controller = new AbortController();
    const { retry, sent, slept } = direct([throttled('1'), throttled('1'), json(200, {})]);
    await withGraphCallScope({ signal: controller.signal }, () => retry.execute(context('GET')));
    expect(sent.map((request) => request.signal)).toEqual([controller.signal, controller.signal, controller.signal]);
    expect(slept).toEqual([1000, 1000]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('does not wait at all when the run was stopped while the request was in flight', async () => {
    const controller = new AbortController();
    const { retry, slept } = direct([
      () => {
        controller.abort(new Error('service stopping'));
        return throttled('1');
      },
    ]);
    await expect(
      withGraphCallScope({ signal: controller.signal }, () => retry.execute(context('GET'))),
    ).rejects.toThrow('service stopping');
    expect(slept).toEqual([]);
  });
});
