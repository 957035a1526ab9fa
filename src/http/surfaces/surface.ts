import type { RequestHandler, Router } from 'express';

/**
 * One face the service shows to one kind of caller. Every request under `path` belongs to it from
 * its first middleware to its last: its body parser, its authentication, its routes, its not-found
 * and its error shape. app.ts only puts the surfaces in order; no request crosses from one into another.
 */
export interface Surface {
  /** For logs and tests: "admin API", "SCIM", ... */
  name: string;
  /** The path prefix it owns ("/" for the public probes). */
  path: string;
  router: Router;
}

/** What app.ts builds once and lends to the surfaces that want it. */
export interface SurfaceKit {
  /** The per-address rate limit; it reports `rate_limited` to the surface's own error handler. */
  rateLimit: RequestHandler;
  /** Gives the request its own forked EntityManager (req.context.em). */
  withEntityManager: RequestHandler;
}

/**
 * No cache may keep a copy of what names people or carries a token (RFC 9111 section 5.2.2.5,
 * https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2.5). Set first, so errors carry it too.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** True when the request carries body bytes (RFC 9110 section 8.6: a Content-Length, or a chunked body). */
export function hasContent(headers: Record<string, string | string[] | undefined>): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = Number(headers['content-length'] ?? 0);
  return Number.isFinite(length) && length > 0;
}
