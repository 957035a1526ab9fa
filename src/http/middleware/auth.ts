import '../request-context.js';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiTokenRepository, type Principal } from '../../gateways/db/api-token.repository.js';
import { AppError } from '../../application/app-error.js';
import { isBearerToken } from '../../domain/bearer-token.js';

/** Every route behind it needs `Authorization: Bearer <token>`; 401 otherwise, with the same body for every reason. */
export const authenticate: RequestHandler = async (req, res, next) => {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer (\S{16,})$/.exec(header);
  if (!match || !isBearerToken(match[1]!)) return next(unauthorized(res));
  const principal = await new ApiTokenRepository(req.context.em).findPrincipal(match[1]!);
  if (!principal) return next(unauthorized(res));
  req.context.principal = principal;
  req.log = req.log.child({ userId: principal.userId });
  next();
};

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
