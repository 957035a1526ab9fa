import { pino, type Logger } from 'pino';
import { z } from 'zod';

/**
 * How to reach Entra's token endpoint and Microsoft Graph. Everything the gateway knows about its
 * peers comes from here: pointing it at another authority or Graph host (a sovereign cloud, or a
 * local stand-in during tests) is a matter of options only.
 */
export interface GraphConnectionOptions {
  tenantId: string;
  clientId: string;
  credential: GraphCredential;
  /** Default https://login.microsoftonline.com */
  authorityHost?: string;
  /** Default https://graph.microsoft.com (no version segment; requests go to `/v1.0`). */
  graphBaseUrl?: string;
  /**
   * Default `{graphBaseUrl}/.default` on Microsoft's clouds (each national cloud issues tokens for its
   * own Graph resource: https://learn.microsoft.com/graph/deployments), else Graph's global resource.
   */
  scope?: string;
  /** Retries of one request after 429/503/504 or a dropped connection. Default 5. */
  maxRetries?: number;
  /** Upper bound of the time one request may spend waiting between its retries. Default 120000. */
  maxTotalRetryWaitMs?: number;
  /** Requests in flight at once, across the whole gateway. Default 4. */
  concurrency?: number;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export type GraphCredential =
  { kind: 'secret'; clientSecret: string } | { kind: 'certificate'; thumbprintSha256: string; privateKeyPem: string };

export interface ResolvedGraphConnectionOptions {
  tenantId: string;
  clientId: string;
  credential: GraphCredential;
  authorityHost: string;
  graphBaseUrl: string;
  scope: string;
  maxRetries: number;
  maxTotalRetryWaitMs: number;
  concurrency: number;
  logger: Logger;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** `{authorityHost}/{tenantId}` */
  authority: string;
  /** `[host:port]` when the authority is not one MSAL knows, so MSAL skips instance discovery. */
  knownAuthorities: string[];
  /** Hostname of a non-Microsoft Graph host, so the SDK attaches the bearer token to it. */
  customHosts: Set<string> | undefined;
}

/** Hosts MSAL resolves from its built-in cloud metadata. */
const MICROSOFT_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
  'login.microsoftonline.de',
]);

/** Hosts the Graph SDK's AuthenticationHandler trusts without `customHosts` (src/Constants.ts GRAPH_URLS). */
const MICROSOFT_GRAPH_HOSTS = new Set([
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'graph.microsoft.de',
  'microsoftgraph.chinacloudapi.cn',
  'canary.graph.microsoft.com',
]);

const httpsUrl = z
  .string()
  .url()
  .refine((value) => value.startsWith('https://'), 'must be an https:// URL')
  .transform((value) => value.replace(/\/+$/, ''));

/**
 * Requests in flight per connection, every gateway together (the retry middleware's limiter).
 * Directory reads are limited by rate, not by concurrency (docs/graph.md §7.2); Outlook allows 4
 * concurrent requests per app and mailbox, and a mailbox's calendar run sends one at a time (§7.1a).
 * At 4 the full round's 12 user and 4 group streams and the calendar runs queued behind one another.
 * bench:sync, 100,000 users, same machine and hour: first full sync 47.5 s with 4 in flight, 43.3 s with 16
 * (51.4 s at 100 ms a request); bench:calendar's first sync needs eight mailboxes' requests at once.
 */
export const GRAPH_CONCURRENCY = 16;

const schema = z.object({
  tenantId: z.string().min(1),
  clientId: z.string().min(1),
  credential: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('secret'), clientSecret: z.string().min(1) }),
    z.object({
      kind: z.literal('certificate'),
      thumbprintSha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'hex SHA-256 thumbprint'),
      privateKeyPem: z.string().includes('PRIVATE KEY'),
    }),
  ]),
  authorityHost: httpsUrl.default('https://login.microsoftonline.com'),
  graphBaseUrl: httpsUrl
    .refine((value) => !/\/(v1\.0|beta)$/.test(value), 'give the Graph base URL without the version segment')
    .default('https://graph.microsoft.com'),
  scope: z.string().min(1).optional(),
  maxRetries: z.number().int().min(0).max(20).default(5),
  maxTotalRetryWaitMs: z.number().int().min(0).default(120_000),
  concurrency: z.number().int().min(1).max(64).default(GRAPH_CONCURRENCY),
});

export function resolveGraphConnectionOptions(options: GraphConnectionOptions): ResolvedGraphConnectionOptions {
  const { logger, sleep, now, ...data } = options;
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    // Report the offending paths only: a zod message could echo a secret's value.
    const paths = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)');
    throw new TypeError(`Invalid Graph connection options: ${[...new Set(paths)].join(', ')}`);
  }
  const valid = parsed.data;
  const authorityUrl = new URL(valid.authorityHost);
  const graphUrl = new URL(valid.graphBaseUrl);
  const microsoftGraph = MICROSOFT_GRAPH_HOSTS.has(graphUrl.hostname);
  return {
    ...valid,
    scope: valid.scope ?? `${microsoftGraph ? valid.graphBaseUrl : 'https://graph.microsoft.com'}/.default`,
    logger: logger ?? pino({ level: 'silent' }),
    sleep: sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: now ?? Date.now,
    authority: `${valid.authorityHost}/${valid.tenantId}`,
    knownAuthorities: MICROSOFT_AUTHORITY_HOSTS.has(authorityUrl.hostname) ? [] : [authorityUrl.host],
    customHosts: microsoftGraph ? undefined : new Set([graphUrl.hostname]),
  };
}

/**
 * Microsoft's clouds, where an admin may point the connection through the API: the global service,
 * US Government (L4 and L5/DoD) and 21Vianet China, as listed under "App registration and token
 * service root endpoints" and "Microsoft Graph and Graph Explorer service root endpoints" on
 * https://learn.microsoft.com/graph/deployments. Any other host (a proxy, the emulator) must come
 * from the configuration, so an API caller cannot send the stored secret, or a token, elsewhere.
 */
export const MICROSOFT_CLOUD_HOSTS = {
  authorityHost: ['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn'],
  graphBaseUrl: [
    'graph.microsoft.com',
    'graph.microsoft.us',
    'dod-graph.microsoft.us',
    'microsoftgraph.chinacloudapi.cn',
  ],
} as const;

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com';

export type GraphHostField = keyof typeof MICROSOFT_CLOUD_HOSTS;

/**
 * The fields whose URL is neither a Microsoft cloud's root (https, default port, no path) nor one of
 * the `trusted` URLs the configuration names (same origin and path). Pure; URLs that do not parse
 * count as not allowed.
 */
export function hostsNotAllowed(hosts: Record<GraphHostField, string>, trusted: readonly string[]): GraphHostField[] {
  return (Object.keys(MICROSOFT_CLOUD_HOSTS) as GraphHostField[]).filter(
    (field) => !hostAllowed(field, hosts[field], trusted),
  );
}

function hostAllowed(field: GraphHostField, value: string, trusted: readonly string[]): boolean {
  const url = parseUrl(value);
  if (!url || url.protocol !== 'https:' || url.username || url.password || url.search || url.hash) return false;
  const path = url.pathname.replace(/\/+$/, '');
  if (!url.port && !path && (MICROSOFT_CLOUD_HOSTS[field] as readonly string[]).includes(url.hostname)) return true;
  return trusted.some((t) => {
    const other = parseUrl(t);
    return other !== null && other.origin === url.origin && other.pathname.replace(/\/+$/, '') === path;
  });
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
