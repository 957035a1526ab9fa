import tls from 'node:tls';
import { startEmulator } from '../../../src/emulator/index.js';
import type { EmulatorOptions, RunningEmulator } from '../../../src/emulator/index.js';

export type { RunningEmulator } from '../../../src/emulator/index.js';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** Starts an emulator in this process and trusts its certificate for fetch, MSAL and the Graph SDK. */
export async function startTrusted(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator(options);
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), emulator.caCertPem]);
  return emulator;
}

export interface TokenReply {
  status: number;
  body: Record<string, unknown>;
}

export async function requestToken(
  emulator: RunningEmulator,
  form: Record<string, string>,
  headers: Record<string, string> = {},
  tenant = emulator.tenantId,
): Promise<TokenReply> {
  const res = await fetch(`${emulator.url}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function accessToken(
  emulator: RunningEmulator,
  clientId = 'demo-client-id',
  secret = 'demo-client-secret',
): Promise<string> {
  const reply = await requestToken(emulator, {
    client_id: clientId,
    client_secret: secret,
    grant_type: 'client_credentials',
    scope: GRAPH_SCOPE,
  });
  if (reply.status !== 200) throw new Error(`token request failed: ${JSON.stringify(reply.body)}`);
  return reply.body['access_token'] as string;
}

export interface GraphReply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** A bare Graph caller: plain fetch, so tests see exactly what goes over the wire. */
export class GraphCaller {
  constructor(
    private readonly emulator: RunningEmulator,
    public token: string,
  ) {}

  static async create(emulator: RunningEmulator): Promise<GraphCaller> {
    return new GraphCaller(emulator, await accessToken(emulator));
  }

  url(path: string): string {
    return path.startsWith('https://') ? path : `${this.emulator.url}/v1.0${path}`;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<GraphReply> {
    return this.send('GET', path, undefined, headers);
  }

  async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<GraphReply> {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${this.token}`, ...headers } };
    if (Buffer.isBuffer(body)) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.url(path), init);
    const type = res.headers.get('content-type') ?? '';
    const raw = Buffer.from(await res.arrayBuffer());
    const parsed =
      type.includes('json') && raw.length > 0
        ? JSON.parse(raw.toString('utf8'))
        : type.startsWith('text/')
          ? raw.toString('utf8')
          : raw;
    return { status: res.status, headers: res.headers, body: parsed };
  }

  /** Follows nextLinks to the end; returns every page's body. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async pages(path: string, headers: Record<string, string> = {}): Promise<any[]> {
    const pages = [];
    let next: string | undefined = path;
    while (next) {
      const reply = await this.get(next, headers);
      if (reply.status !== 200) throw new Error(`page ${next} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      pages.push(reply.body);
      next = reply.body['@odata.nextLink'];
    }
    return pages;
  }
}
