import { Router } from 'express';
import { AppError } from '../../application/app-error.js';
import { bearerTokenMatches } from '../middleware/auth.js';
import { errorHandler } from '../middleware/error-handler.js';
import type { Metrics } from '../metrics.js';
import type { Surface } from './surface.js';

/**
 * GET /metrics for a Prometheus scraper. With METRICS_TOKEN configured it needs that token as a
 * bearer token (and only that one: an API token does not open it, nor the metrics token the API);
 * without it the figures are public, for a scraper on a private network. Not rate limited: a
 * scraper calls on its own schedule. Errors are problem+json.
 */
export function metricsSurface(options: { metrics: Metrics; token?: string }): Surface {
  const router = Router();
  router.get('/', async (req, res, next) => {
    if (options.token && !bearerTokenMatches(req.headers.authorization, options.token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      return next(new AppError('unauthorized', 'GET /metrics needs the METRICS_TOKEN as a bearer token'));
    }
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  router.use(errorHandler);
  return { name: 'metrics', path: '/metrics', router };
}
