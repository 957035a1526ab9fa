import express, { Router } from 'express';
import { authenticate, type PrincipalLookup } from '../middleware/auth.js';
import { requireJsonBody, strictInput } from '../middleware/request-guard.js';
import { errorHandler, notFoundHandler } from '../middleware/error-handler.js';
import { isSafeMethod, type WebSessionSettings } from '../web-session.js';
import { noStore, type Surface, type SurfaceKit } from './surface.js';

const PREFIX = '/api';

/**
 * The API under /api (the admin API and /api/me): bearer API tokens or the web app's session, JSON bodies up to
 * REQUEST_BODY_LIMIT, every input checked against its OpenAPI description, and RFC 9457
 * problem+json errors (src/http/problem.ts).
 */
export function adminApiSurface(options: {
  kit: SurfaceKit;
  bodyLimit: string;
  principals: PrincipalLookup;
  /**
   * Called when a request that may change something has been answered: a revoked token, a role
   * taken away, a user deactivated must count from the next request on, and the database's
   * notification of the change may arrive after that request.
   */
  forgetPrincipals?: () => void;
  /** The web app's session cookie opens the API too (with its CSRF token for writes). */
  sessions?: Pick<WebSessionSettings, 'secure'>;
  /** Its routers by full mount path (src/http/routes/index.ts), each under /api. */
  routers: Array<{ path: string; router: Router }>;
}): Surface {
  const router = Router();
  router.use(options.kit.rateLimit, options.kit.withEntityManager, noStore);
  const { forgetPrincipals } = options;
  if (forgetPrincipals)
    router.use((req, res, next) => {
      if (!isSafeMethod(req.method)) res.on('finish', forgetPrincipals);
      next();
    });
  // Authenticate before reading the body: an anonymous client gets 401 whatever it sends, and
  // never makes the service parse up to REQUEST_BODY_LIMIT of JSON.
  router.use(
    authenticate(options.principals, options.sessions),
    requireJsonBody,
    express.json({ limit: options.bodyLimit }),
    strictInput,
  );
  for (const { path, router: routes } of options.routers) {
    if (!path.startsWith(`${PREFIX}/`)) throw new Error(`${path} is not under ${PREFIX}`);
    router.use(path.slice(PREFIX.length), routes);
  }
  router.use(notFoundHandler);
  router.use(errorHandler);
  return { name: 'admin API', path: PREFIX, router };
}
