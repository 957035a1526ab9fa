import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { AppRegistry, DEFAULT_CLIENT } from './auth/app-registry.js';
import { AuthCodeStore } from './auth/auth-codes.js';
import type { EmulatorClient } from './auth/app-registry.js';
import { signingKey } from './auth/jwt.js';
import { CalendarStore } from './calendar/calendar-store.js';
import { CalendarDeltaStates } from './calendar/calendar-view-delta.js';
import { SubscriptionStore } from './calendar/subscriptions.js';
import { controlHandler } from './control/control.routes.js';
import { EmulatorControl } from './control/emulator-control.js';
import { selfSignedCertificate } from './core/tls-certificate.js';
import type { EmulatorContext } from './emulator-context.js';
import { buildGraphRoutes } from './graph/graph-routes.js';
import { GraphPipeline } from './http/graph-pipeline.js';
import { createEmulatorServer } from './http/https-server.js';
import { DirectoryStore } from './store/directory-store.js';
import { DEFAULT_ON_PREM_MASTERED } from './store/user-schema.js';
import { generateTenant } from './tenant-generator.js';
import { FaultInjector } from './throttle/fault-injector.js';
import { QuotaBuckets } from './throttle/quota-buckets.js';
import { MailboxLimits } from './throttle/mailbox-limits.js';
import { RequestStats } from './throttle/request-stats.js';

export type { EmulatorClient } from './auth/app-registry.js';
export { EmulatorControl } from './control/emulator-control.js';
export type * from './control/control-types.js';
export type { CalendarControl, ControlEvent } from './control/control-calendars.js';
export type { ShareRole } from './calendar/calendar-types.js';
export { EmulatorControlClient } from './control-client.js';
export { generateTenant } from './tenant-generator.js';

export interface EmulatorOptions {
  host?: string;
  port?: number;
  tenantId?: string;
  clients?: EmulatorClient[];
  seed?: { users: number; seed?: number } | false;
  tls?: { certPem: string; keyPem: string };
  tokenLifetimeSeconds?: number;
  deltaTokenMaxAgeMs?: number;
  now?: () => number;
  quota?: boolean;
}

export interface RunningEmulator {
  url: string;
  host: string;
  port: number;
  tenantId: string;
  authority: string;
  caCertPem: string;
  control: EmulatorControl;
  close(): Promise<void>;
}

export const DEFAULT_TENANT_ID = '7a3c1f52-5d0e-4b8a-9c61-2f4e8d9b0a17';
export const VERIFIED_DOMAINS = ['contoso.com', 'fabrikam.com'];

/** Starts the Graph + Entra emulator on loopback over HTTPS. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const tls = options.tls ?? (await selfSignedCertificate());
  const tenantId = (options.tenantId ?? DEFAULT_TENANT_ID).toLowerCase();
  const baseNow = options.now ?? Date.now;
  let offset = 0;
  const now = (): number => baseNow() + offset;
  const ctx: EmulatorContext = {
    store: new DirectoryStore(),
    registry: new AppRegistry(options.clients ?? [DEFAULT_CLIENT]),
    authCodes: new AuthCodeStore(now),
    key: signingKey(),
    tenantId,
    domains: [...VERIFIED_DOMAINS, `${tenantId.slice(0, 8)}.onmicrosoft.com`],
    origin: '',
    now,
    advanceTime: (ms) => {
      offset += ms;
    },
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
    deltaTokenMaxAgeMs: options.deltaTokenMaxAgeMs ?? 7 * 86_400_000,
    settings: {
      deltaExpiredMode: '400',
      onPremMasteredProperties: [...DEFAULT_ON_PREM_MASTERED],
      syncedManagerWritable: false,
    },
    tokenSecret: randomBytes(32),
    deltaEpoch: 1,
    calendars: new CalendarStore(() => ctx.store, now),
    calendarDelta: new CalendarDeltaStates(),
    subscriptions: new SubscriptionStore(now, () => tenantId),
    faults: new FaultInjector(),
    quota: new QuotaBuckets(options.quota ?? false, now),
    mailboxLimits: new MailboxLimits(() => ctx.quota.enabled, now),
    stats: new RequestStats(),
  };
  if (options.seed)
    ctx.store.load(generateTenant({ users: options.seed.users, seed: options.seed.seed ?? 42, domains: ctx.domains }));
  ctx.calendars.onChange((calendar, eventId, change) => ctx.subscriptions.changed(calendar, eventId, change));
  const pipeline = new GraphPipeline(ctx);
  pipeline.routes = buildGraphRoutes(ctx, (call, caller) => pipeline.run(call, caller));
  const control = new EmulatorControl(ctx);
  const server = createEmulatorServer(tls, ctx, pipeline, controlHandler(control));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  ctx.origin = `https://${hostInUrl}:${port}`;
  return {
    url: ctx.origin,
    host,
    port,
    tenantId,
    authority: `${ctx.origin}/${tenantId}`,
    caCertPem: tls.certPem,
    control,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
