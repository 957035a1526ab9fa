import { randomUUID } from 'node:crypto';
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleEntra } from '../auth/token-endpoint.js';
import type { EmulatorContext } from '../emulator-context.js';
import type { GraphPipeline } from './graph-pipeline.js';
import { mailboxOfPath } from '../throttle/mailbox-limits.js';
import type { FinishedResponse } from './response-finish.js';

export interface ControlReply {
  status: number;
  body?: unknown;
}

export type ControlHandler = (
  method: string,
  segments: string[],
  query: URLSearchParams,
  body: Buffer,
) => Promise<ControlReply>;

const MAX_BODY = 16 * 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * HTTPS only: the Graph SDK sends the token only to https URLs
 * (https://github.com/microsoftgraph/msgraph-sdk-javascript/blob/dev/src/GraphRequestUtil.ts), and MSAL
 * insists on an https authority (test/integration/emulator/token-endpoint.spec.ts). Routes: /v1.0 and /beta
 * (Graph), /_control (loopback only), everything else is tried as an Entra tenant path.
 */
export function createEmulatorServer(
  tls: { certPem: string; keyPem: string },
  ctx: EmulatorContext,
  pipeline: GraphPipeline,
  control: ControlHandler,
): Server {
  return createServer({ cert: tls.certPem, key: tls.keyPem, keepAliveTimeout: 30_000 }, (req, res) => {
    handle(req, res, ctx, pipeline, control).catch((err: unknown) => {
      console.error('emulator: unhandled error', err);
      if (!res.headersSent) writeJson(res, 500, { error: { code: 'InternalServerError', message: String(err) } });
      else res.destroy();
    });
  });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: EmulatorContext,
  pipeline: GraphPipeline,
  control: ControlHandler,
): Promise<void> {
  const body = await readBody(req);
  if (body === undefined)
    return writeJson(res, 413, { error: { code: 'RequestEntityTooLarge', message: 'Request body too large.' } });
  const url = new URL(req.url ?? '/', ctx.origin);
  const method = (req.method ?? 'GET').toUpperCase();
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const first = segments[0]?.toLowerCase();
  if (first === '_control') {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? ''))
      return writeJson(res, 403, { error: 'control API is loopback only' });
    const reply = await control(method, segments.slice(1).map(decodeURIComponent), url.searchParams, body);
    return writeJson(res, reply.status, reply.body);
  }
  const headers = lowerHeaders(req);
  if (first === 'v1.0' || first === 'beta') {
    const rawTarget = (req.url ?? '/').slice(1 + (segments[0] as string).length);
    const target = rawTarget.startsWith('/') ? rawTarget : `/${rawTarget}`;
    const path = target.split('?')[0] as string;
    // Outlook's per-mailbox limits count the whole request, its latency included.
    const mailbox = mailboxOfPath(path);
    const gate = mailbox === null ? null : ctx.mailboxLimits.enter(mailbox);
    if (gate && !gate.ok) {
      ctx.stats.record(`${method} (mailbox limit)`, 429, 0);
      return writeJson(
        res,
        429,
        { error: { code: gate.code, message: gate.message } },
        {
          'Retry-After': String(gate.retryAfterSeconds),
        },
      );
    }
    try {
      const latency = ctx.faults.latencyFor(method, path);
      if (latency > 0) await sleep(latency);
      const outcome = await pipeline.run({ method, version: segments[0] as string, target, headers, body });
      const drop = ctx.faults.take(method, path, ['drop']);
      return drop ? writeThenDrop(res, outcome.response) : writeFinished(res, outcome.response);
    } finally {
      gate?.release();
    }
  }
  const entra = handleEntra(ctx, method, segments.map(decodeURIComponent), headers, body, url.searchParams);
  if (!entra) return writeJson(res, 404, { error: { code: 'NotFound', message: `No route for ${url.pathname}` } });
  const common = {
    'Cache-Control': 'no-store, no-cache',
    'x-ms-request-id': randomUUID(),
    'Strict-Transport-Security': 'max-age=31536000',
  };
  if (entra.location !== undefined) {
    res.writeHead(302, { ...common, Location: entra.location });
    return void res.end();
  }
  if (entra.html !== undefined) {
    const page = Buffer.from(entra.html);
    res.writeHead(entra.status, {
      ...common,
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': page.length,
      // The page runs no script and is never framed. No form-action: a pick's answer redirects to the client.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    });
    return void res.end(page);
  }
  writeJson(res, entra.status, entra.body, {
    ...common,
    'client-request-id': headers['client-request-id'] ?? randomUUID(),
  });
}

function lowerHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function writeFinished(res: ServerResponse, response: FinishedResponse): void {
  const headers: Record<string, string | number> = { ...response.headers };
  if (response.payload) headers['Content-Length'] = response.payload.length;
  res.writeHead(response.status, headers);
  res.end(response.payload);
}

/** Fault mode "drop": headers and half the body go out, then the socket is destroyed. */
function writeThenDrop(res: ServerResponse, response: FinishedResponse): void {
  const payload = response.payload ?? Buffer.alloc(0);
  res.writeHead(response.status, { ...response.headers, 'Content-Length': Math.max(payload.length, 1) });
  res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.socket?.destroy());
}

function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    ...headers,
    ...(payload ? { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': payload.length } : {}),
  });
  res.end(payload);
}
