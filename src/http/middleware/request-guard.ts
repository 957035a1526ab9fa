import type { RequestHandler } from 'express';
import { z } from 'zod';
import { AppError } from '../../application/app-error.js';
import { findRoute, takesBody } from '../openapi.js';
import { parse } from '../validation.js';
import { hasContent } from '../surfaces/surface.js';

const NOTHING = z.strictObject({});

/**
 * Before the body is read: a body on a described route must be JSON. Anything else is refused
 * with 415 rather than ignored (a text/plain settings change used to answer 200 with nothing
 * changed). RFC 9110 section 15.5.16; RFC 5789 section 2.2 asks for Accept-Patch on a PATCH.
 */
export const requireJsonBody: RequestHandler = (req, res, next) => {
  const route = findRoute(req.method, req.baseUrl + req.path);
  if (!route || !takesBody(req.method) || !hasContent(req.headers)) return next();
  if (req.is('application/json')) return next();
  if (req.method === 'PATCH') res.setHeader('Accept-Patch', 'application/json');
  next(
    new AppError(
      'unsupported_media_type',
      `The body must be JSON, sent with Content-Type: application/json (got ${req.headers['content-type'] ? `"${String(req.headers['content-type']).slice(0, 100)}"` : 'none'})`,
    ),
  );
};

/**
 * After the body is read: the body and query string of every described route are checked against
 * its schemas (a route without one takes none), so no handler can forget to refuse an unknown
 * field, a NUL or a lone surrogate. Handlers still parse their own input for its typed value.
 */
export const strictInput: RequestHandler = (req, _res, next) => {
  const route = findRoute(req.method, req.baseUrl + req.path);
  if (!route) return next();
  parse(route.query ?? NOTHING, req.query, 'query');
  if (takesBody(req.method)) parse(route.body ?? NOTHING, req.body ?? {}, 'body');
  next();
};
