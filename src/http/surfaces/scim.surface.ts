import '../request-context.js';
import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AppError } from '../../application/app-error.js';
import { isGraphGatewayError } from '../../gateways/graph/index.js';
import { ScimError, SCIM_MEDIA_TYPE, scimErrorBody, type ScimType } from '../../scim/scim-error.js';
import { scimRouter } from '../routes/scim.routes.js';
import { bearerToken, type PrincipalLookup } from '../middleware/auth.js';
import { toAppError } from '../middleware/error-handler.js';
import { statusOf } from '../problem.js';
import { hasContent, noStore, type Surface, type SurfaceKit } from './surface.js';

export const SCIM_PATH = '/scim/v2';

/** The methods SCIM uses (RFC 7644 section 3.2, https://datatracker.ietf.org/doc/html/rfc7644#section-3.2). */
const SCIM_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * SCIM 2.0 at /scim/v2, for Entra's provisioning service: bearer tokens of scope `scim` held by an
 * administrator (an API token does not open it, nor a SCIM token the admin API), bodies of
 * application/scim+json or application/json (RFC 7644 section 3.8,
 * https://datatracker.ietf.org/doc/html/rfc7644#section-3.8), and every error in SCIM's shape
 * (RFC 7644 section 3.12, https://datatracker.ietf.org/doc/html/rfc7644#section-3.12). The
 * routes are src/http/routes/scim.routes.ts; any other path is a SCIM 404.
 */
export function scimSurface(options: {
  kit: SurfaceKit;
  bodyLimit: string;
  principals: PrincipalLookup;
  /** Per client address, counting only answers of 401 (guessing tokens). */
  rateLimitPerMinute: number;
  /** Per SCIM token: 429 with Retry-After beyond it, which Entra honours. */
  tokenRateLimitPerMinute: number;
}): Surface {
  const router = Router();
  router.use(failedAuthenticationLimit(options.rateLimitPerMinute), options.kit.withEntityManager, noStore);
  // Authenticate before reading the body, as the admin API does.
  router.use(authenticateScim(options.principals), tokenLimit(options.tokenRateLimitPerMinute));
  router.use(allowScimMethods, requireScimJson);
  router.use(express.json({ type: [SCIM_MEDIA_TYPE, 'application/json'], limit: options.bodyLimit }));
  router.use(scimRouter({ baseUrl: (req) => `${req.protocol}://${req.get('host')}${SCIM_PATH}` }));
  router.use((req, _res, next) => {
    next(new AppError('not_found', `No SCIM resource at ${req.baseUrl}${req.path}`));
  });
  router.use(scimErrorHandler);
  return { name: 'SCIM', path: SCIM_PATH, router };
}

function authenticateScim(principals: PrincipalLookup): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req.headers.authorization);
    const principal = token ? await principals(req.context.em, token, 'scim') : null;
    if (!principal) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="scim"');
      return next(new AppError('unauthorized', 'A valid SCIM token is required'));
    }
    // A SCIM token acts with its holder's authority, and provisioning is an administrator's.
    if (!principal.isAdmin)
      return next(new AppError('forbidden', 'The holder of this SCIM token is no longer an administrator'));
    req.context.principal = principal;
    req.log = req.log.child({ userId: principal.userId, surface: 'scim' });
    next();
  };
}

/**
 * Entra's provisioning service calls from a few addresses at many requests a second, so the
 * service-wide per-address limit would throttle it: here an address is limited only in the
 * requests answered 401, which is what guessing tokens looks like.
 */
function failedAuthenticationLimit(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    handler: (_req, _res, next) => next(new AppError('rate_limited', 'Too many failed authentications; retry later')),
  });
}

/**
 * Each SCIM token gets its own budget per minute; beyond it the answer is 429 with Retry-After
 * (RFC 6585 section 4), which Entra's provisioning service honours before it retries. The count
 * lives in this process (express-rate-limit's memory store): several instances each allow it.
 */
function tokenLimit(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // The token's id, never the token.
    keyGenerator: (req) => `scim-token:${req.context.principal?.tokenId ?? req.context.principal?.userId ?? ''}`,
    handler: (_req, _res, next) =>
      next(
        new AppError(
          'rate_limited',
          `Too many requests with this SCIM token (at most ${perMinute} a minute); retry after the seconds Retry-After gives`,
        ),
      ),
  });
}

const allowScimMethods: RequestHandler = (req, res, next) => {
  if (SCIM_METHODS.has(req.method)) return next();
  res.setHeader('Allow', [...SCIM_METHODS].join(', '));
  next(new AppError('method_not_allowed', `SCIM does not use ${req.method}`));
};

const UNSUPPORTED_BODY = `The body must be ${SCIM_MEDIA_TYPE} (or application/json), in UTF-8`;

const requireScimJson: RequestHandler = (req, _res, next) => {
  if (!hasContent(req.headers) || req.is([SCIM_MEDIA_TYPE, 'application/json'])) return next();
  next(new AppError('unsupported_media_type', UNSUPPORTED_BODY));
};

/** Every error of the surface in SCIM's shape; an unknown one is a 500 that names the request id only. */
const scimErrorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  if (error instanceof ScimError) {
    res
      .status(error.status)
      .type(SCIM_MEDIA_TYPE)
      .json(scimErrorBody(error.status, error.detail, error.scimType));
    return;
  }
  const appError = toAppError(error);
  const status = statusOf(appError);
  if (appError.code === 'internal_error') req.log?.error({ err: error }, 'unhandled error');
  if (isGraphGatewayError(error))
    req.log?.warn({ graph: error.toLogObject() }, 'Microsoft Graph failed during the request');
  // The generic texts speak of the admin API's JSON; SCIM's name its own media type and the request id.
  const detail =
    appError.code === 'internal_error'
      ? `An unexpected error occurred; quote the request id ${String(req.id)} when reporting it`
      : appError.code === 'unsupported_media_type'
        ? UNSUPPORTED_BODY
        : appError.detail;
  res
    .status(status)
    .type(SCIM_MEDIA_TYPE)
    .json(scimErrorBody(status, detail, scimTypeOf(appError, error)));
};

/**
 * `scimType` only where RFC 7644 section 3.12 defines one: a body that is not JSON is
 * invalidSyntax, a value of the wrong form invalidValue; later routes name theirs (uniqueness,
 * mutability...) in the error's `scimType` extension.
 */
function scimTypeOf(appError: AppError, cause: unknown): ScimType | undefined {
  const declared = appError.extensions?.scimType;
  if (typeof declared === 'string') return declared as ScimType;
  if ((cause as { type?: string })?.type === 'entity.parse.failed') return 'invalidSyntax';
  if (appError.code === 'validation_failed') return 'invalidValue';
  return undefined;
}
