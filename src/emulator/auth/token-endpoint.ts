import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../emulator-context.js';
import { aadError } from './aad-error.js';
import type { AadErrorResponse } from './aad-error.js';
import { servicePrincipalId } from './app-registry.js';
import { handleAuthorize } from './authorize-endpoint.js';
import { checkClientCredential } from './client-credentials.js';
import { redeemCode } from './code-grant.js';
import { signJwt } from './jwt.js';

export interface EntraResponse {
  status: number;
  body?: unknown;
  /** A page for the browser (the sign-in page, or an error Entra shows itself). */
  html?: string;
  /** A redirect (302) back to the client's redirect URI. */
  location?: string;
}

const ROUTES = [
  'v2.0/.well-known/openid-configuration',
  'discovery/v2.0/keys',
  'oauth2/v2.0/token',
  'oauth2/v2.0/authorize',
];

const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

/**
 * Entra's endpoints for one tenant: OpenID configuration, signing keys, the authorization endpoint
 * and the token endpoint for client credentials
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow) and
 * authorization codes (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow).
 * Returns undefined when the path is not an Entra path.
 */
export function handleEntra(
  ctx: EmulatorContext,
  method: string,
  segments: string[],
  headers: Record<string, string | undefined>,
  body: Buffer,
  query: URLSearchParams = new URLSearchParams(),
): EntraResponse | undefined {
  const [tenant, ...rest] = segments;
  const route = rest.join('/').toLowerCase();
  if (tenant === undefined || !ROUTES.includes(route)) return undefined;
  if (!resolvesToTenant(ctx, tenant)) {
    return aadError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct ` +
        'tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen ' +
        'if there are no active subscriptions for the tenant.',
      ctx.now(),
    );
  }
  if (route === 'v2.0/.well-known/openid-configuration') return { status: 200, body: openIdConfiguration(ctx, tenant) };
  if (route === 'discovery/v2.0/keys') return { status: 200, body: jwks(ctx) };
  if (route === 'oauth2/v2.0/authorize') return handleAuthorize(ctx, method, tenant, query, body);
  if (method !== 'POST')
    return aadError(405, 'invalid_request', 900561, 'The endpoint only accepts POST requests.', ctx.now());
  return issueToken(ctx, tenant, headers, body);
}

function resolvesToTenant(ctx: EmulatorContext, tenant: string): boolean {
  const lower = tenant.toLowerCase();
  return lower === ctx.tenantId || ctx.domains.includes(lower);
}

/**
 * The document MSAL fetches; issuer must be our own origin
 * (test/integration/emulator/token-endpoint.spec.ts).
 */
function openIdConfiguration(ctx: EmulatorContext, tenant: string): Record<string, unknown> {
  const base = `${ctx.origin}/${tenant}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${ctx.origin}/${ctx.tenantId}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
  };
}

function jwks(ctx: EmulatorContext): Record<string, unknown> {
  const jwk = ctx.key.publicKey.export({ format: 'jwk' });
  return {
    keys: [
      {
        kty: 'RSA',
        use: 'sig',
        kid: ctx.key.kid,
        x5t: ctx.key.kid,
        n: jwk.n,
        e: jwk.e,
        issuer: `${ctx.origin}/${ctx.tenantId}/v2.0`,
      },
    ],
  };
}

function issueToken(
  ctx: EmulatorContext,
  tenant: string,
  headers: Record<string, string | undefined>,
  body: Buffer,
): EntraResponse {
  const form = new URLSearchParams(body.toString('utf8'));
  const basic = parseBasic(headers['authorization']);
  const correlationId = form.get('client-request-id') ?? undefined;
  const missing = (name: string): AadErrorResponse =>
    aadError(
      400,
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${name}'.`,
      ctx.now(),
      correlationId,
    );
  const grantType = form.get('grant_type');
  if (!grantType) return missing('grant_type');
  if (grantType !== 'client_credentials' && grantType !== 'authorization_code') {
    return aadError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
      ctx.now(),
      correlationId,
    );
  }
  const clientId = form.get('client_id') ?? basic?.id;
  if (!clientId) return missing('client_id');
  const client = ctx.registry.get(clientId);
  if (!client) {
    return aadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory ` +
        `'${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented ` +
        'to by any user in the tenant. You may have sent your authentication request to the wrong tenant.',
      ctx.now(),
      correlationId,
    );
  }
  const scope = form.get('scope');
  if (grantType === 'client_credentials' && !scope) return missing('scope');
  if (grantType === 'client_credentials' && scope?.trim() !== GRAPH_DEFAULT_SCOPE) {
    return aadError(
      400,
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
      ctx.now(),
      correlationId,
    );
  }
  const credential = checkClientCredential(ctx, client, {
    clientId: client.clientId,
    secret: form.get('client_secret') ?? basic?.secret,
    assertionType: form.get('client_assertion_type') ?? undefined,
    assertion: form.get('client_assertion') ?? undefined,
    tokenEndpoint: `${ctx.origin}/${tenant}/oauth2/v2.0/token`,
    correlationId,
  });
  if (!credential.ok) return credential.error;
  if (grantType === 'authorization_code') return redeemCode(ctx, client, form, correlationId);
  const iat = Math.floor(ctx.now() / 1000);
  const exp = iat + ctx.tokenLifetimeSeconds;
  const claims: Record<string, unknown> = {
    aud: 'https://graph.microsoft.com',
    iss: `https://sts.windows.net/${ctx.tenantId}/`,
    iat,
    nbf: iat,
    exp,
    app_displayname: client.clientId,
    appid: client.clientId,
    appidacr: credential.method === 'secret' ? '1' : '2',
    idp: `https://sts.windows.net/${ctx.tenantId}/`,
    idtyp: 'app',
    oid: servicePrincipalId(client.clientId),
    sub: servicePrincipalId(client.clientId),
    tid: ctx.tenantId,
    uti: randomUUID(),
    ver: '1.0',
  };
  if (client.roles.length > 0) claims['roles'] = [...client.roles];
  return {
    status: 200,
    body: {
      token_type: 'Bearer',
      expires_in: ctx.tokenLifetimeSeconds,
      ext_expires_in: ctx.tokenLifetimeSeconds,
      access_token: signJwt(claims, ctx.key),
    },
  };
}

/** id and secret are form-urlencoded before being joined with ':' (https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1). */
function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const unescape = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
  return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
}
