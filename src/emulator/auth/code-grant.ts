import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../emulator-context.js';
import { aadError, type AadErrorResponse } from './aad-error.js';
import type { EmulatorClient } from './app-registry.js';
import { verifierMatches, type AuthCodeGrant } from './auth-codes.js';
import { base64url, signJwt } from './jwt.js';

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/**
 * `grant_type=authorization_code` at the token endpoint, the client already authenticated
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#redeem-a-code-for-an-access-token):
 * the code must be unused, unexpired, issued to this client for this redirect URI, and the PKCE
 * verifier must match its challenge (RFC 7636 section 4.6). Errors are `invalid_grant` (docs/graph.md §12.3).
 */
export function redeemCode(
  ctx: EmulatorContext,
  client: EmulatorClient,
  form: URLSearchParams,
  correlationId: string | undefined,
): { status: number; body: unknown } {
  const fail = (error: string, code: number, text: string): AadErrorResponse =>
    aadError(400, error, code, text, ctx.now(), correlationId);
  const code = form.get('code');
  if (!code) return fail('invalid_request', 900144, "The request body must contain the following parameter: 'code'.");
  const redirectUri = form.get('redirect_uri');
  if (!redirectUri)
    return fail('invalid_request', 900144, "The request body must contain the following parameter: 'redirect_uri'.");
  const redeemed = ctx.authCodes.redeem(code);
  if (!redeemed.ok) {
    if (redeemed.reason === 'redeemed')
      return fail(
        'invalid_grant',
        54005,
        'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
      );
    if (redeemed.reason === 'expired')
      return fail(
        'invalid_grant',
        70008,
        'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
      );
    return fail('invalid_grant', 70000, "The provided value for the 'code' parameter is not valid.");
  }
  const { grant } = redeemed;
  if (grant.clientId.toLowerCase() !== client.clientId.toLowerCase())
    return fail('invalid_grant', 70000, "The provided value for the 'code' parameter is not valid.");
  if (grant.redirectUri !== redirectUri)
    return fail(
      'invalid_grant',
      500112,
      `The reply address '${redirectUri}' does not match the reply address '${grant.redirectUri}' provided when requesting Authorization code.`,
    );
  if (!verifierMatches(grant, form.get('code_verifier')))
    return fail(
      'invalid_grant',
      501481,
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    );
  const user = ctx.store.users.get(grant.userId);
  if (!user || user.p['accountEnabled'] === false) return fail('invalid_grant', 50057, 'The user account is disabled.');
  return { status: 200, body: userTokens(ctx, client, grant, user.p, form.get('client_info') === '1') };
}

function userTokens(
  ctx: EmulatorContext,
  client: EmulatorClient,
  grant: AuthCodeGrant,
  user: Record<string, unknown>,
  withClientInfo: boolean,
): Record<string, unknown> {
  const iat = Math.floor(ctx.now() / 1000);
  const exp = iat + ctx.tokenLifetimeSeconds;
  const scopes = new Set(grant.scopes.map((s) => s.toLowerCase()));
  // The access token is for Graph's delegated User.Read, what an app that asked only for OIDC scopes gets.
  const granted = [
    ...grant.scopes.filter((s) => OIDC_SCOPES.has(s.toLowerCase()) && s !== 'offline_access'),
    'User.Read',
  ];
  const oid = grant.userId;
  const access = signJwt(
    {
      aud: GRAPH_APP_ID,
      iss: `https://sts.windows.net/${ctx.tenantId}/`,
      iat,
      nbf: iat,
      exp,
      appid: client.clientId,
      idtyp: 'user',
      name: user['displayName'] ?? null,
      oid,
      scp: granted.join(' '),
      sub: pairwiseSubject(oid, GRAPH_APP_ID),
      tid: ctx.tenantId,
      upn: user['userPrincipalName'] ?? null,
      uti: randomUUID(),
      ver: '1.0',
    },
    ctx.key,
  );
  return {
    token_type: 'Bearer',
    scope: granted.join(' '),
    expires_in: ctx.tokenLifetimeSeconds,
    ext_expires_in: ctx.tokenLifetimeSeconds,
    access_token: access,
    ...(scopes.has('offline_access') ? { refresh_token: randomBytes(48).toString('base64url') } : {}),
    ...(scopes.has('openid') ? { id_token: idToken(ctx, client, grant, user, iat) } : {}),
    ...(withClientInfo ? { client_info: base64url(JSON.stringify({ uid: oid, utid: ctx.tenantId })) } : {}),
  };
}

/**
 * A v2.0 ID token with the claims of https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference:
 * `aud` the client id, `iss` the tenant's v2.0 issuer (the OpenID configuration's), `oid`, a pairwise
 * `sub`, `tid`, `nonce` as sent to /authorize; `name`, `preferred_username` with the profile scope,
 * `email` with the email scope when the user has a mailbox. Signed with the key of the JWKS.
 */
function idToken(
  ctx: EmulatorContext,
  client: EmulatorClient,
  grant: AuthCodeGrant,
  user: Record<string, unknown>,
  iat: number,
): string {
  const scopes = new Set(grant.scopes.map((s) => s.toLowerCase()));
  const profile = scopes.has('profile');
  const mail = typeof user['mail'] === 'string' ? user['mail'] : null;
  return signJwt(
    {
      aud: client.clientId,
      iss: `${ctx.origin}/${ctx.tenantId}/v2.0`,
      iat,
      nbf: iat,
      exp: iat + 3600,
      aio: randomBytes(24).toString('base64url'),
      ...(profile ? { name: user['displayName'] ?? null, preferred_username: user['userPrincipalName'] ?? null } : {}),
      ...(scopes.has('email') && mail ? { email: mail } : {}),
      ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
      ...(profile ? { oid: grant.userId } : {}),
      rh: randomBytes(16).toString('base64url'),
      sid: randomUUID(),
      sub: pairwiseSubject(grant.userId, client.clientId),
      tid: ctx.tenantId,
      uti: randomBytes(16).toString('base64url'),
      ver: '2.0',
    },
    ctx.key,
    { x5t: false },
  );
}

/** "The subject is a pairwise identifier and is unique to an application ID" (id-token-claims-reference). */
function pairwiseSubject(oid: string, appId: string): string {
  return createHash('sha256').update(`${oid}:${appId.toLowerCase()}`).digest('base64url').slice(0, 43);
}
