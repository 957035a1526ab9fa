import { randomUUID } from 'node:crypto';
import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';
import './request-context.js';
import { authenticate, bearerTokenMatches } from './middleware/auth.js';
import { requireJsonBody, strictInput } from './middleware/request-guard.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import type { Metrics } from './metrics.js';
import { HOME_PAGE } from './home-page.js';
import { openApiDocument } from './openapi.js';
import { AppError } from '../application/app-error.js';
import { problemBody } from './problem.js';

export interface HttpOptions {
  orm: MikroORM;
  logger: Logger;
  metrics: Metrics;
  bodyLimit: string;
  rateLimitPerMinute: number;
  trustProxy?: boolean;
  /** When set, GET /metrics needs `Authorization: Bearer <this>`; public otherwise. */
  metricsToken?: string;
  /** Throws when a dependency the service needs (database, job store) is unreachable. */
  readiness: () => Promise<void>;
  /** Routers mounted behind authentication, by path prefix. */
  routers: Array<{ path: string; router: Router }>;
}

/** Builds the Express application: public probes first, then everything else behind a token. */
export function createApp(options: HttpOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  if (options.trustProxy) app.set('trust proxy', 1);
  app.use(helmet());
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
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
    }),
  );
  app.use((req, res, next) => {
    const end = options.metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => end({ route: routeLabel(req), status: String(res.statusCode) }));
    next();
  });

  app.get('/', (_req, res) => {
    res.type('html').send(HOME_PAGE);
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (req, res) => {
    try {
      await options.readiness();
      res.json({ status: 'ready' });
    } catch (error) {
      req.log.warn({ err: error }, 'not ready');
      res
        .status(503)
        .type('application/problem+json')
        .json(problemBody(new AppError('not_ready', 'The database or the job store is unreachable'), String(req.id)));
    }
  });
  app.get('/metrics', async (req, res, next) => {
    if (options.metricsToken && !bearerTokenMatches(req.headers.authorization, options.metricsToken)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      return next(new AppError('unauthorized', 'GET /metrics needs the METRICS_TOKEN as a bearer token'));
    }
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });

  app.use(
    rateLimit({
      windowMs: 60_000,
      limit: options.rateLimitPerMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) => next(new AppError('rate_limited', 'Too many requests; retry later')),
    }),
  );
  app.use((req, _res, next) => {
    req.context = { em: options.orm.em.fork() };
    next();
  });
  // Everything under /api names people (users, profiles, exports, runs' outcomes, audit): no cache
  // may keep a copy (RFC 9111 section 5.2.2.5). Set first, so errors carry it too.
  app.use('/api', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Authenticate before reading the body: an anonymous client gets 401 whatever it sends, and
  // never makes the service parse up to REQUEST_BODY_LIMIT of JSON.
  app.use('/api', authenticate, requireJsonBody, express.json({ limit: options.bodyLimit }), strictInput);
  for (const { path, router } of options.routers) app.use(path, router);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

function routeLabel(req: express.Request): string {
  const route = (req as { route?: { path?: string } }).route?.path;
  return route ? `${req.baseUrl}${route}`.replace(/(.)\/$/, '$1') : 'unmatched';
}
