import { randomUUID } from 'node:crypto';
import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import './request-context.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import type { Metrics } from './metrics.js';
import { AppError } from '../application/app-error.js';
import type { Surface, SurfaceKit } from './surfaces/surface.js';
import { operationsSurface } from './surfaces/operations.surface.js';
import { metricsSurface } from './surfaces/metrics.surface.js';
import { webAppSurface } from './surfaces/web-app.surface.js';
import { graphNotificationsSurface } from './surfaces/graph-notifications.surface.js';
import { adminApiSurface } from './surfaces/admin-api.surface.js';
import { scimSurface } from './surfaces/scim.surface.js';
import type { PrincipalLookup } from './middleware/auth.js';
import type { Repositories } from '../application/ports/repositories.port.js';
import type { CredentialSealer } from '../application/connection-credential.js';
import type { EntraSignIn } from '../application/entra-connection.ports.js';
import { webSessionSurface } from './surfaces/web-session.surface.js';
import { calendarFeedSurface, withoutFeedSecret } from './surfaces/calendar-feed.surface.js';
import type { WebSessionSettings } from './web-session.js';

export interface HttpOptions {
  orm: MikroORM;
  /** The repositories over a request's own EntityManager (the composition root's gateways). */
  repositories: (em: EntityManager) => Repositories;
  logger: Logger;
  metrics: Metrics;
  bodyLimit: string;
  rateLimitPerMinute: number;
  /** SCIM requests per token and minute. */
  scimRateLimitPerMinute: number;
  trustProxy?: boolean;
  /** When set, GET /metrics needs `Authorization: Bearer <this>`; public otherwise. */
  metricsToken?: string;
  /** The web app's built files; served when the directory exists. */
  webAppDir: string;
  /** Who holds an API or SCIM token. */
  principals: PrincipalLookup;
  /** Forgets the token holders `principals` remembers (an admin API write may have changed one). */
  forgetPrincipals?: () => void;
  /** Throws when a dependency the service needs (database, job store) is unreachable. */
  readiness: () => Promise<void>;
  /** Routers of the admin API (under /api, behind an API token), by path prefix. */
  routers: Array<{ path: string; router: Router }>;
  /** Queues a calendar run of one mailbox: what a change notification asks for. */
  requestCalendarSync: (hrUserId: string) => Promise<void>;
  /** The web app's sign-in and sessions. */
  web: { settings: WebSessionSettings; signIn: () => EntraSignIn | null; sealer: CredentialSealer };
}

/**
 * Builds the Express application: what every request gets (security headers, request id, log,
 * timing), then the surfaces in order, each with its own parser, authentication and error shape
 * (src/http/surfaces), then a problem+json 404 for paths no surface owns.
 */
export function createApp(options: HttpOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  if (options.trustProxy) app.set('trust proxy', 1);
  app.use(
    helmet({
      contentSecurityPolicy: {
        // Fluent UI's styles are inserted at run time (Griffel), which helmet's default style-src allows.
        // Over plain HTTP (a loopback demo) upgrading the page's requests to HTTPS would break it.
        directives: { 'upgrade-insecure-requests': options.web.settings.secure ? [] : null },
      },
    }),
  );
  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{8,128}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Never log credentials: the Authorization header and cookies are cut before serialisation.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      // A calendar feed's URL is its credential: its path is logged without the secret.
      serializers: { req: (req: { url: string }) => ({ ...req, url: withoutFeedSecret(req.url) }) },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
    }),
  );
  app.use((req, res, next) => {
    const end = options.metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => end({ route: routeLabel(req), status: String(res.statusCode) }));
    next();
  });

  const kit: SurfaceKit = {
    rateLimit: rateLimit({
      windowMs: 60_000,
      limit: options.rateLimitPerMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) => next(new AppError('rate_limited', 'Too many requests; retry later')),
    }),
    withEntityManager: (req, _res, next) => {
      const em = options.orm.em.fork();
      req.context = { em, repos: options.repositories(em) };
      next();
    },
  };
  const surfaces: Surface[] = [
    operationsSurface({ readiness: options.readiness }),
    metricsSurface({ metrics: options.metrics, ...(options.metricsToken ? { token: options.metricsToken } : {}) }),
    // Before the admin API: its path is under /api, yet it is public.
    graphNotificationsSurface({
      kit,
      bodyLimit: options.bodyLimit,
      requestCalendarSync: options.requestCalendarSync,
    }),
    webSessionSurface({ kit, ...options.web }),
    adminApiSurface({
      kit,
      bodyLimit: options.bodyLimit,
      principals: options.principals,
      ...(options.forgetPrincipals ? { forgetPrincipals: options.forgetPrincipals } : {}),
      sessions: options.web.settings,
      routers: options.routers,
    }),
    scimSurface({
      kit,
      bodyLimit: options.bodyLimit,
      principals: options.principals,
      rateLimitPerMinute: options.rateLimitPerMinute,
      tokenRateLimitPerMinute: options.scimRateLimitPerMinute,
    }),
    calendarFeedSurface({ kit }),
    webAppSurface({ directory: options.webAppDir }),
  ];
  for (const surface of surfaces) app.use(surface.path, surface.router);

  app.use(kit.rateLimit, notFoundHandler);
  app.use(errorHandler);
  return app;
}

function routeLabel(req: express.Request): string {
  const route = (req as { route?: { path?: string } }).route?.path;
  return route ? `${req.baseUrl}${route}`.replace(/(.)\/$/, '$1') : 'unmatched';
}
