import { Router } from 'express';
import { AppError } from '../../application/app-error.js';
import { errorHandler } from '../middleware/error-handler.js';
import { openApiDocument } from '../openapi.js';
import { problemBody } from '../problem.js';
import type { Surface } from './surface.js';

/**
 * The public probes and the API description: no token, no input, no rate limit (an orchestrator
 * probes on its own schedule). /readyz answers 503 as problem+json when a dependency is down.
 */
export function operationsSurface(options: {
  /** Throws when a dependency the service needs (database, job store) is unreachable. */
  readiness: () => Promise<void>;
}): Surface {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
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
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  router.use(errorHandler);
  return { name: 'operations', path: '/', router };
}
