import { graphError, unauthorized } from '../http/graph-errors.js';
import type { Caller, GraphResponse } from '../http/graph-types.js';
import type { EmulatorContext } from '../emulator-context.js';
import { decodeJwt, verifyJwtSignature } from './jwt.js';

/**
 * Validates the bearer token of a Graph call. Missing, malformed, expired and foreign tokens are 401
 * InvalidAuthenticationToken with the messages Graph uses (https://learn.microsoft.com/graph/errors); a token
 * without `roles` is refused too
 * (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
 */
export function authenticate(
  ctx: EmulatorContext,
  authorization: string | undefined,
): { ok: true; caller: Caller } | { ok: false; response: GraphResponse } {
  const fail = (response: GraphResponse): { ok: false; response: GraphResponse } => ({ ok: false, response });
  const match = /^bearer\s+(\S*)/i.exec(authorization ?? '');
  const token = match?.[1] ?? '';
  if (token === '') return fail(unauthorized('Access token is empty.'));
  const jwt = decodeJwt(token);
  if (!jwt) return fail(unauthorized('CompactToken parsing failed with error code: 80049217'));
  if (!verifyJwtSignature(jwt, ctx.key.publicKey)) return fail(unauthorized('Access token validation failure.'));
  const { payload } = jwt;
  if (payload['aud'] !== 'https://graph.microsoft.com' && payload['aud'] !== '00000003-0000-0000-c000-000000000000') {
    return fail(unauthorized('Access token validation failure. Invalid audience.'));
  }
  const nowSeconds = ctx.now() / 1000;
  const exp = Number(payload['exp']);
  const nbf = Number(payload['nbf'] ?? 0);
  if (!(exp > nowSeconds) || nbf > nowSeconds)
    return fail(unauthorized('Access token has expired or is not yet valid.'));
  if (payload['tid'] !== ctx.tenantId) return fail(unauthorized('Access token validation failure.'));
  const roles = payload['roles'];
  if (!Array.isArray(roles) || roles.length === 0) {
    return fail(graphError(401, 'AccessDenied', 'Either scp or roles claim need to be present in the token.'));
  }
  return { ok: true, caller: { appId: String(payload['appid']), tenantId: ctx.tenantId, roles: roles.map(String) } };
}

/**
 * Any one of the route's sufficient permissions will do
 * (https://learn.microsoft.com/graph/permissions-reference).
 */
export function hasAnyRole(caller: Caller, required: readonly string[]): boolean {
  return required.length === 0 || required.some((role) => caller.roles.includes(role));
}
