import '../request-context.js';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../application/app-error.js';
import type { Principal, TokenScope } from '../../application/ports/api-token.port.js';
import { hashToken, isBearerToken } from '../../domain/bearer-token.js';
import { csrfTokenMatches, isSafeMethod, sessionToken, type WebSessionSettings } from '../web-session.js';

/** Who holds a token of this scope (the composition root reads the api_token table); null for none. */
export type PrincipalLookup = (em: EntityManager, token: string, scope: TokenScope) => Promise<Principal | null>;

/** The token of `Authorization: Bearer <token>` when it could be one of ours; null otherwise. */
export function bearerToken(header: string | undefined): string | null {
  const token = /^Bearer (\S{16,})$/.exec(header ?? '')?.[1];
  return token && isBearerToken(token) ? token : null;
}

/**
 * Every route behind it needs `Authorization: Bearer <token>` with a token of scope `api` (a SCIM
 * token does not open the admin API), or, without an Authorization header, the web app's session
 * cookie; 401 otherwise, with the same body for every reason. A request by session that may change
 * something (anything but GET, HEAD, OPTIONS) must also carry the session's CSRF token in
 * X-CSRF-Token (403 otherwise): a cookie goes along with another site's requests, a header does not.
 */
export function authenticate(
  principals: PrincipalLookup,
  sessions?: Pick<WebSessionSettings, 'secure'>,
): RequestHandler {
  return async (req, res, next) => {
    if (req.headers.authorization === undefined && sessions) {
      const cookieToken = sessionToken(req, sessions);
      const session = cookieToken ? await req.context.repos.webSessions.findPrincipal(hashToken(cookieToken)) : null;
      if (!session) return next(unauthorized(res));
      if (!isSafeMethod(req.method) && !csrfTokenMatches(req, session.csrfToken))
        return next(
          new AppError(
            'forbidden',
            "This page's security token is missing or out of date: reload the page and try again",
            undefined,
            {
              csrf: true,
            },
          ),
        );
      const { userId, email, roles, isAdmin } = session;
      req.context.principal = { userId, email, roles, isAdmin };
      req.log = req.log.child({ userId, session: session.sessionId });
      return next();
    }
    const token = bearerToken(req.headers.authorization);
    const principal = token ? await principals(req.context.em, token, 'api') : null;
    if (!principal) return next(unauthorized(res));
    req.context.principal = principal;
    req.log = req.log.child({ userId: principal.userId });
    next();
  };
}

export const requireAdmin: RequestHandler = (req, _res, next) => {
  if (!req.context.principal?.isAdmin)
    return next(new AppError('forbidden', 'This action needs an administrator role'));
  next();
};

export function principalOf(req: { context: { principal?: Principal } }): Principal {
  const principal = req.context.principal;
  if (!principal) throw new AppError('unauthorized', 'A valid API token is required');
  return principal;
}

function unauthorized(res: { setHeader(name: string, value: string): void }): AppError {
  res.setHeader('WWW-Authenticate', 'Bearer realm="entra-hr-connector"');
  return new AppError('unauthorized', 'A valid API token is required');
}

/** Compares a bearer token with the expected one in constant time (hashes of equal length). */
export function bearerTokenMatches(header: string | undefined, expected: string): boolean {
  const given = /^Bearer (\S+)$/.exec(header ?? '')?.[1];
  if (!given) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
