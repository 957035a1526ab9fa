import { randomBytes } from 'node:crypto';
import { pullRuns } from './domain/user-source.js';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { endPool } from './gateways/db/pg-pool.js';
import type { Logger } from 'pino';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { bootstrapAdmin } from './application/bootstrap-admin.js';
import { durationMs, isDemoMode, type AppConfig } from './config/config.js';
import { ConnectionService, type TrustedGraphHosts } from './application/connection.service.js';
import { EntraConnection } from './application/entra-connection.js';
import type { EntraGateways } from './application/entra-connection.ports.js';
import { calendarToday } from './application/employee-profiles.service.js';
import { trustCertificateAuthority } from './gateways/graph/tls-trust.js';
import { InboundSyncService } from './sync/inbound/inbound-sync.service.js';
import { RunRegistry } from './sync/inbound/run-registry.js';
import { RunStopped } from './sync/inbound/run-stop.js';
import { recoverAbandonedRuns } from './application/run-recovery.js';
import { SyncRequestsService } from './application/sync-requests.service.js';
import { InstancePresence } from './gateways/db/instance-presence.js';
import { listenTo, PRINCIPAL_CHANNEL } from './gateways/db/kept-connection.js';
import { PrincipalCache } from './application/principal-cache.js';
import type { TokenScope } from './application/ports/api-token.port.js';
import {
  GraphCalendarsGateway,
  GraphSubscriptionsGateway,
  EntraSignInGateway,
  GraphConnectionTester,
  GraphDirectoryGateway,
  GraphGroupsGateway,
  GraphSession,
  GraphUserWritesGateway,
  GraphUsersGateway,
  withGraphCallScope,
  type GraphConnectionOptions,
} from './gateways/graph/index.js';
import { classifyGraphFailure } from './gateways/graph/graph-failure.classifier.js';
import { FailurePolicy } from './sync/kernel/error-policy.js';
import { createRunNotifier } from './gateways/notify/run-notifier.js';
import { PictureSyncService } from './sync/pictures/picture-sync.service.js';
import { PictureRepository } from './gateways/db/picture.repository.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './gateways/db/embedded-postgres.js';
import { loadEncryptionKey } from './gateways/db/encryption-key.js';
import { openOrm, pingDatabase } from './gateways/db/orm.js';
import { repositoriesFor } from './gateways/db/repositories.js';
import { SecretBox } from './gateways/db/secret-box.js';
import { createApp } from './http/app.js';
import { Metrics } from './http/metrics.js';
import { apiRouters } from './http/routes/index.js';
import { entraSyncJob, type EntraSyncRunner } from './jobs/entra-sync.job.js';
import { employmentLifecycleJob } from './jobs/employment-lifecycle.job.js';
import { pictureBatchJob, pictureSyncJob } from './jobs/picture-sync.job.js';
import { syncScheduleJob } from './jobs/sync-schedule.job.js';
import { Scheduler } from './jobs/scheduler.js';
import { channelLock } from './jobs/sync-lock.js';
import { AdvisoryChannelLocks } from './gateways/db/channel-locks.js';
import { inboundStores } from './gateways/db/inbound-stores.js';
import { INBOUND_CHANNEL_ID } from './sync/kernel/channel-id.js';
import { wireWriteBack } from './write-back-wiring.js';
import { wireInvitations } from './invitation-wiring.js';
import { wireCalendars } from './calendar-wiring.js';
import { GRAPH_NOTIFICATIONS_PATH } from './http/surfaces/graph-notifications.surface.js';

export interface RunningService {
  url: string;
  connection: EntraConnection;
  inbound: InboundSyncService;
  orm: MikroORM;
  scheduler: Scheduler;
  metrics: Metrics;
  /** SIGTERM path: stop taking requests and jobs, let the running job finish or release it, close. */
  stop(): Promise<void>;
}

export interface ServiceOverrides {
  /** Tests replace the engine the sync job calls, e.g. to observe overlapping runs. */
  syncRunner?: EntraSyncRunner;
  instanceName?: string;
  /** Users per picture-batch job (default 100): tests make many small batches to watch them spread. */
  pictureBatchSize?: number;
}

/** The composition root: configuration in, a running service out. Everything is wired here once. */
export async function startService(
  config: AppConfig,
  logger: Logger,
  overrides: ServiceOverrides = {},
): Promise<RunningService> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.reverse())
      await closer().catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
  };
  try {
    const embedded = config.DATABASE_URL ? null : await startEmbedded(config, logger);
    if (embedded) closers.push(() => embedded.close());
    const databaseUrl = config.DATABASE_URL ?? embedded!.url;

    const orm = await openOrm({
      clientUrl: databaseUrl,
      poolSize: config.DB_POOL_SIZE,
      log: (message) => logger.debug(message),
    });
    closers.push(() => orm.close());
    logger.info({ database: config.DATABASE_URL ? 'postgresql' : 'embedded' }, 'database ready, migrations applied');
    await bootstrapAdmin(repositoriesFor(orm.em.fork()), {
      adminToken: config.ADMIN_TOKEN,
      dataDir: config.DATA_DIR,
      logger,
    });
    const secretBox = new SecretBox(loadEncryptionKey(config.ENCRYPTION_KEY, config.DATA_DIR, logger));

    // One pool for the job store and the channel locks (each held lock keeps a connection: the
    // inbound run, write-back's drain, up to eight mailboxes' calendars), apart from the ORM's.
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
    // An idle client whose connection the server ends (a restart, a dropped database) must not crash the process.
    pool.on('error', (error) => logger.warn({ err: error }, 'a job-store connection was closed by the database'));
    closers.push(() => endPool(pool));
    const metrics = new Metrics();
    // Unique per process, also across hosts and restarts (a container's pid is always 1).
    const instanceName = overrides.instanceName ?? `ehc-${process.pid}-${randomBytes(4).toString('hex')}`;
    const presence = await InstancePresence.open(databaseUrl, instanceName, logger);
    closers.push(() => presence.close());
    // Bearer tokens' holders, remembered until a change of tokens, users or roles commits anywhere.
    const principals = new PrincipalCache((em: EntityManager, token: string, scope: TokenScope) =>
      repositoriesFor(em).apiTokens.findPrincipal(token, scope),
    );
    const principalChanges = await listenTo(
      databaseUrl,
      PRINCIPAL_CHANNEL,
      {
        notified: () => principals.changed(),
        lost: () => principals.hearing(false),
        ready: () => principals.hearing(true),
      },
      logger,
    );
    closers.push(() => principalChanges.close());
    const scheduler = await Scheduler.create({
      pool,
      mongoUrl: config.MONGODB_URL,
      processEvery: config.JOB_POLL_INTERVAL,
      // The embedded database is a real PostgreSQL server too: a queued job is announced at once.
      notifications: true,
      instanceName,
      logger,
      onJobFinished: (name, outcome, seconds) => {
        metrics.jobRuns.inc({ job: name, outcome });
        metrics.jobDuration.observe({ job: name }, seconds);
      },
    });
    const connection = new EntraConnection(logger, openGraphGateways);
    const graphHosts = configuredGraphHosts(config);
    const entra = await connectEntra(
      config,
      connection,
      orm,
      logger,
      new ConnectionService({ connection, box: secretBox, hosts: graphHosts }),
      graphHosts,
    );
    closers.push(entra.close);
    const notifier = createRunNotifier({
      em: () => orm.em.fork(),
      secretBox,
      smtpUrl: config.SMTP_URL,
      from: config.NOTIFY_EMAIL_FROM,
      logger,
    });
    const registry = new RunRegistry();
    const failures = new FailurePolicy(classifyGraphFailure);
    const inbound = new InboundSyncService({
      // The engine's stores over gateways/db, each run in its own fork of the EntityManager.
      stores: () => inboundStores(orm.em.fork()),
      instance: instanceName,
      timeLimitMs: durationMs(config.SYNC_RUN_TIME_LIMIT),
      throttleWaitLimitMs: durationMs(config.SYNC_RUN_THROTTLE_WAIT_LIMIT),
      scope: withGraphCallScope,
      registry,
      directory: () => connection.directory(),
      failures,
      logger: logger.child({ component: 'inbound-sync' }),
      notifier,
      onRunFinished: (run) => {
        if (run.counts.created > 0)
          scheduler
            .now('picture-sync', {})
            .catch((error: unknown) => logger.warn({ err: error }, 'could not queue the picture sync'));
        metrics.syncRuns.inc({ status: run.status });
        for (const [outcome, count] of Object.entries(run.counts)) metrics.syncUsers.inc({ outcome }, count);
      },
    });
    // The inbound run takes its channel's lock; write-back and each mailbox's calendar channel take their own beside it.
    const channelLocks = new AdvisoryChannelLocks(pool);
    const lock = channelLock(channelLocks, INBOUND_CHANNEL_ID);
    const runner = overrides.syncRunner ?? {
      run: (request: Parameters<InboundSyncService['run']>[0]) => inbound.run(request),
    };
    const engine = () => (overrides.syncRunner || connection.isConnected() ? runner : null);
    const requests = new SyncRequestsService({
      repositories: () => repositoriesFor(orm.em.fork()),
      liveInstances: () => presence.liveInstances(),
      enqueue: async (runId) => {
        await scheduler.now('entra-sync', { trigger: 'manual', runId });
      },
      stopLocal: (runId) => registry.stop(runId, { kind: 'cancelled' }),
    });
    const syncJob = entraSyncJob({
      lock,
      runner: engine,
      queue: (trigger, mode) => requests.queueForJob(trigger, mode),
      fail: async (runId, reason) => {
        await repositoriesFor(orm.em.fork()).runs.finish(runId, 'failed', reason);
      },
    });
    // A job's lock outlives the run's own time limit, so Agenda never hands a live run to another worker.
    const syncLockLifetime = durationMs(config.SYNC_RUN_TIME_LIMIT) + durationMs('10 minutes');
    scheduler.define('entra-sync', syncJob, { lockLifetimeMs: syncLockLifetime });
    // Today one channel, the Entra inbound sync, due while it can run: connected, and not under
    // userSource 'push', where SCIM owns users (docs/rules.md 7.5).
    const pullDue = async () =>
      engine() !== null && pullRuns((await repositoriesFor(orm.em.fork()).settings.read()).userSource);
    const fanOut = { dueChannels: async () => ((await pullDue()) ? [INBOUND_CHANNEL_ID] : []), queue: scheduler };
    scheduler.define('sync-schedule', syncScheduleJob(fanOut, 'schedule'));
    scheduler.define('entra-reconciliation', syncScheduleJob(fanOut, 'reconciliation'));
    const pictures = new PictureSyncService({
      store: () => new PictureRepository(orm.em.fork()),
      source: () => connection.pictures(),
      failures,
      logger: logger.child({ component: 'picture-sync' }),
      ...(overrides.pictureBatchSize ? { batchSize: overrides.pictureBatchSize } : {}),
    });
    scheduler.define('picture-sync', pictureSyncJob({ pictures, queue: scheduler }));
    scheduler.define('picture-batch', pictureBatchJob({ pictures }), { lockLifetimeMs: durationMs('30 minutes') });
    // Where the service listens, once it does: the default of PUBLIC_URL.
    let listeningUrl = '';
    const calendars = wireCalendars({
      orm,
      scheduler,
      connection,
      locks: channelLocks,
      failures,
      pollInterval: config.CALENDAR_POLL_INTERVAL,
      // Graph reaches the service where people do (PUBLIC_URL), known once it listens.
      notifications: {
        url: () =>
          config.CALENDAR_NOTIFICATIONS && (config.PUBLIC_URL ?? listeningUrl)
            ? `${config.PUBLIC_URL ?? listeningUrl}${GRAPH_NOTIFICATIONS_PATH}`
            : null,
        pollInterval: config.CALENDAR_NOTIFIED_POLL_INTERVAL,
      },
      logger: logger.child({ component: 'calendar-sync' }),
    });
    scheduler.define(
      'employment-lifecycle',
      employmentLifecycleJob(
        () => orm.em.fork(),
        () => calendarToday(),
      ),
    );
    const writeBack = await wireWriteBack({
      orm,
      databaseUrl,
      scheduler,
      connection,
      locks: channelLocks,
      failures,
      logger: logger.child({ component: 'write-back' }),
    });
    closers.push(() => writeBack.close());
    const invitations = wireInvitations({
      orm,
      scheduler,
      locks: channelLocks,
      smtpUrl: config.SMTP_URL,
      from: config.NOTIFY_EMAIL_FROM ?? 'Entra HR Connector <entra-hr-connector@localhost>',
      publicUrl: () => config.PUBLIC_URL ?? listeningUrl,
      interval: config.INVITATION_SEND_INTERVAL,
      logger: logger.child({ component: 'invitations' }),
    });
    closers.push(async () => invitations.close());
    await recoverAbandonedRuns({
      runs: repositoriesFor(orm.em.fork()).runs,
      liveInstances: () => presence.liveInstances(),
      logger,
      releaseJobLocks: (isGone) => scheduler.releaseLocksOf(isGone),
    });
    await scheduler.start();
    await scheduleSync(orm, scheduler, logger);
    await scheduleDailyJobs(scheduler);
    await calendars.schedule();
    await writeBack.schedule();

    const app = createApp({
      orm,
      repositories: repositoriesFor,
      logger,
      metrics,
      bodyLimit: config.REQUEST_BODY_LIMIT,
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
      scimRateLimitPerMinute: config.SCIM_RATE_LIMIT_PER_MINUTE,
      trustProxy: config.TRUST_PROXY,
      metricsToken: config.METRICS_TOKEN,
      webAppDir: config.WEB_APP_DIR,
      principals: (em, token, scope) => principals.find(em, token, scope),
      forgetPrincipals: () => principals.changed(),
      readiness: async () => {
        await pingDatabase(orm);
        await scheduler.ping();
      },
      requestCalendarSync: (hrUserId) => calendars.notified(hrUserId),
      routers: apiRouters({
        scheduler,
        lock,
        inbound,
        requests,
        canSync: () => engine() !== null,
        connection,
        onSettingsChanged: async () => {
          await scheduleSync(orm, scheduler, logger);
          await calendars.schedule();
        },
        secretBox,
        notifier,
        graphHosts,
        smtpConfigured: Boolean(config.SMTP_URL),
        requestCalendarSync: (hrUserId, manual) => calendars.requestSync(hrUserId, manual),
        publicUrl: () => config.PUBLIC_URL ?? listeningUrl,
      }),
      web: {
        settings: {
          secure: config.NODE_ENV === 'production' || Boolean(config.PUBLIC_URL?.startsWith('https://')),
          lifetimeMs: durationMs(config.SESSION_LIFETIME),
          publicUrl: () => config.PUBLIC_URL ?? listeningUrl,
          localSignIn: config.LOCAL_SIGN_IN,
        },
        signIn: () => connection.signIn(),
        sealer: secretBox,
      },
    });
    const server = await listen(app, config.HOST, config.PORT);
    // Registered last so it runs first: no new requests, jobs drain, stuck runs are stopped.
    closers.push(() => stopWork(server, scheduler, registry, config.SHUTDOWN_TIMEOUT_MS, logger));
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
    listeningUrl = url;
    logger.info({ url }, 'service listening');
    await invitations.schedule();
    // Once the service answers, so the first run never competes with the start itself.
    await startFirstSync(orm, scheduler, requests, connection, entra.demo, logger);
    return { url, orm, scheduler, metrics, connection, inbound, stop: close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** One Graph session per connection, so every gateway shares its token, retries and concurrency budget. */
function openGraphGateways(options: GraphConnectionOptions): EntraGateways {
  const session = new GraphSession(options);
  return {
    directory: new GraphDirectoryGateway(session),
    groups: new GraphGroupsGateway(session),
    pictures: new GraphUsersGateway(session),
    tester: new GraphConnectionTester(session),
    userWrites: new GraphUserWritesGateway(session),
    calendars: new GraphCalendarsGateway(session),
    subscriptions: new GraphSubscriptionsGateway(session),
    signIn: new EntraSignInGateway(session),
  };
}

/**
 * Entra credentials from configuration win; then the connection an admin stored through the API;
 * without either, demo mode starts the Graph emulator with a generated tenant and points the
 * connection at it, exactly as at a real tenant. Returns what stops it.
 */
async function connectEntra(
  config: AppConfig,
  connection: EntraConnection,
  orm: MikroORM,
  logger: Logger,
  stored: ConnectionService,
  hosts: ConfiguredGraphHosts,
): Promise<{ close: () => Promise<void>; demo: boolean }> {
  const none = { close: async () => {}, demo: false };
  if (config.GRAPH_CA_CERT_FILE) trustCertificateAuthority(readFileSync(config.GRAPH_CA_CERT_FILE, 'utf8'));
  if (config.ENTRA_TENANT_ID && config.ENTRA_CLIENT_ID && config.ENTRA_CLIENT_SECRET) {
    connection.connect(
      {
        tenantId: config.ENTRA_TENANT_ID,
        clientId: config.ENTRA_CLIENT_ID,
        credential: { kind: 'secret', clientSecret: config.ENTRA_CLIENT_SECRET },
        authorityHost: config.GRAPH_AUTHORITY_HOST,
        graphBaseUrl: config.GRAPH_BASE_URL,
      },
      'configuration',
      config.ENTRA_CLIENT_SECRET_EXPIRES_AT ?? null,
    );
    return none;
  }
  const restored = await stored.restore(repositoriesFor(orm.em.fork())).catch((error: unknown) => {
    logger.error({ err: error }, 'the stored Entra connection cannot be used; connect again from the admin API');
    return 'disconnected' as const;
  });
  // After an admin disconnected, a demo tenant must not sync into the real tenant's HR users.
  if (restored === 'connected' || !isDemoMode(config) || (restored === 'disconnected' && config.DEMO_MODE !== 'on'))
    return none;
  // Loaded only now: with demo mode off the emulator's code never runs in the service.
  const { startDemoTenant } = await import('./demo-tenant.js');
  return startDemoTenant({
    config,
    connection,
    hosts,
    syncedGroups: () => repositoriesFor(orm.em.fork()).syncedGroups,
    logger,
  });
}

/**
 * A first day should show synced people, not wait for the schedule: in demo mode the first sync
 * runs at start, once, while the database has never synced. Otherwise the log says what to do.
 */
async function startFirstSync(
  orm: MikroORM,
  scheduler: Scheduler,
  requests: SyncRequestsService,
  connection: EntraConnection,
  demo: boolean,
  logger: Logger,
): Promise<void> {
  const repos = repositoriesFor(orm.em.fork());
  if (await repos.runViews.everRanInBackground()) return;
  const groups = await repos.syncedGroups.count();
  if (demo && groups > 0) {
    // The same path as "sync now" (a run recorded as queued, joined by later requests), asked by no one.
    const { runId } = await requests.firstSync();
    logger.info(
      { runId },
      `demo mode: the first sync of the demo tenant runs now; follow it at GET /api/admin/sync/runs/${runId}`,
    );
    return;
  }
  const job = await scheduler.status('sync-schedule');
  const steps = [
    ...(connection.isConnected() ? [] : ['connect Entra (PUT /api/admin/connection, or the ENTRA_* variables)']),
    ...(groups > 0 ? [] : ['choose the synced groups (GET /api/admin/groups, then PUT /api/admin/synced-groups)']),
    'sync now (POST /api/admin/sync/run)',
  ];
  logger.info(
    { nextRunAt: job.nextRunAt },
    `no sync has run yet: ${steps.map((step, i) => `${i + 1}. ${step}`).join('; ')}; after that the sync follows its schedule`,
  );
}

interface ConfiguredGraphHosts extends TrustedGraphHosts {
  add(url: string): void;
}

/** Hosts the configuration names (GRAPH_AUTHORITY_HOST, GRAPH_BASE_URL): the only non-Microsoft hosts a connection may use. */
function configuredGraphHosts(config: AppConfig): ConfiguredGraphHosts {
  const trusted = [config.GRAPH_AUTHORITY_HOST, config.GRAPH_BASE_URL].filter((url): url is string => Boolean(url));
  return {
    ...(config.GRAPH_AUTHORITY_HOST ? { authorityHost: config.GRAPH_AUTHORITY_HOST } : {}),
    ...(config.GRAPH_BASE_URL ? { graphBaseUrl: config.GRAPH_BASE_URL } : {}),
    trusted: () => trusted,
    add: (url) => {
      trusted.push(url);
    },
  };
}

async function startEmbedded(config: AppConfig, logger: Logger): Promise<EmbeddedPostgres> {
  const embedded = await startEmbeddedPostgres({ dataDir: config.DATA_DIR, log: (message) => logger.info(message) });
  logger.info({ dataDir: config.DATA_DIR }, 'no DATABASE_URL: using the embedded database (PostgreSQL in DATA_DIR)');
  return embedded;
}

/**
 * The recurring jobs follow the settings: the sync on its interval when automatic sync is on, and
 * the full reconciliation on its own (longer) interval; neither when automatic sync is off.
 */
export async function scheduleSync(orm: MikroORM, scheduler: Scheduler, logger: Logger): Promise<void> {
  const settings = await repositoriesFor(orm.em.fork()).settings.read();
  // The interval was once a recurring entra-sync itself; a job store from then still holds it.
  await scheduler.cancelRecurring('entra-sync', { trigger: 'schedule' });
  if (!settings.autoSync) {
    await scheduler.cancelRecurring('sync-schedule', {});
    await scheduler.cancelRecurring('entra-reconciliation', {});
    logger.info('automatic sync is off');
    return;
  }
  await scheduler.every(settings.syncInterval, 'sync-schedule', {});
  await scheduler.every(settings.fullReconciliationInterval, 'entra-reconciliation', {});
  const { nextRunAt } = await scheduler.status('sync-schedule');
  logger.info(
    { interval: settings.syncInterval, reconciliation: settings.fullReconciliationInterval, nextRunAt },
    'entra-sync scheduled',
  );
}

/**
 * Daily at 00:05 UTC, just after the date changes (a cron time, so a restart never pushes the run
 * back a day), plus one run at start to catch up after downtime; runs are idempotent (rule 3.5).
 */
async function scheduleDailyJobs(scheduler: Scheduler): Promise<void> {
  await scheduler.every('5 0 * * *', 'employment-lifecycle', {});
  // Pictures never show in Graph's delta: an hourly job re-checks a bounded number each time.
  await scheduler.every('20 * * * *', 'picture-sync', {});
  await scheduler.now('employment-lifecycle', {});
}

/**
 * SIGTERM within SHUTDOWN_TIMEOUT_MS, even when a run is stuck on a Graph call that never answers:
 * running jobs get most of the time to finish; then every run still going is stopped (recorded as
 * failed, "interrupted", with its cursor kept for the next run), and open requests are cut.
 */
async function stopWork(
  server: Server,
  scheduler: Scheduler,
  registry: RunRegistry,
  timeoutMs: number,
  logger: Logger,
): Promise<void> {
  const grace = Math.min(timeoutMs, Math.max(1500, Math.min(5000, timeoutMs / 4)));
  // Two waits of `settle` (jobs, then runs started by requests) leave time to close the pools.
  const settle = Math.max(250, (grace - 700) / 2);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await scheduler.shutdown(timeoutMs - grace, settle, new RunStopped({ kind: 'shutdown' }));
  const stopped = await registry.stopAll({ kind: 'shutdown' }, settle);
  if (stopped) logger.warn({ runs: stopped }, 'runs still going at shutdown were stopped');
  server.closeAllConnections();
  await closed;
}

function listen(app: ReturnType<typeof createApp>, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}
