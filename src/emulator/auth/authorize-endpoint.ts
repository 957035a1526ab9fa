import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../emulator-context.js';
import { redirectUriRegistered, type EmulatorClient } from './app-registry.js';
import { errorPage, pickUserPage, type PickableUser } from './authorize-page.js';

export interface AuthorizeResponse {
  status: number;
  html?: string;
  location?: string;
}

const MAX_SHOWN = 25;

/**
 * `/{tenant}/oauth2/v2.0/authorize`: the first leg of the authorization code flow
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code).
 * Errors before the redirect URI is known to be the client's are shown on a page of the emulator's
 * own; later ones go back to the redirect URI as `error` and `error_description` with the state. The
 * sign-in itself is a page where the person picks a user of the tenant (docs/graph.md §12).
 */
export function handleAuthorize(
  ctx: EmulatorContext,
  method: string,
  tenant: string,
  query: URLSearchParams,
  body: Buffer,
): AuthorizeResponse {
  const params = method === 'POST' ? new URLSearchParams(body.toString('utf8')) : query;
  const client = ctx.registry.get(params.get('client_id') ?? '');
  const clientId = params.get('client_id');
  if (!clientId) return shown(900144, "The request body must contain the following parameter: 'client_id'.");
  if (!client)
    return shown(
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!(client.redirectUris ?? []).length) return shown(500113, 'No reply address is registered for the application.');
  if (!redirectUriRegistered(client, redirectUri))
    return shown(
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${client.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
    );
  const back = (error: string, code: number, text: string) =>
    redirect(redirectUri, { error, error_description: `AADSTS${code}: ${text}`, state: params.get('state') });
  const problem = requestProblem(params);
  if (problem) return back(problem.error, problem.code, problem.text);
  if (params.get('prompt') === 'none')
    return back('login_required', 50058, 'A silent sign-in request was sent but no user is signed in.');
  const picked = params.get('emulator_user');
  if (method !== 'POST' || !picked) return pickPage(ctx, tenant, params);
  const user = ctx.store.users.get(picked.toLowerCase());
  if (!user) return pickPage(ctx, tenant, params);
  if (user.p['accountEnabled'] === false) return back('access_denied', 50057, 'The user account is disabled.');
  const code = ctx.authCodes.issue(grantOf(client, params, redirectUri, user.id));
  return redirect(redirectUri, { code, state: params.get('state'), session_state: randomUUID() });
}

function requestProblem(params: URLSearchParams): { error: string; code: number; text: string } | null {
  const responseType = params.get('response_type');
  if (!responseType) return missing('response_type');
  if (responseType !== 'code')
    return {
      error: 'unsupported_response_type',
      code: 700054,
      text: `The emulator supports response_type 'code' only, not '${responseType}'.`,
    };
  const mode = params.get('response_mode') ?? 'query';
  if (mode !== 'query')
    return { error: 'invalid_request', code: 900144, text: `The emulator answers with response_mode 'query' only.` };
  if (!params.get('scope')) return missing('scope');
  const method = params.get('code_challenge_method');
  if (method && !params.get('code_challenge')) return missing('code_challenge');
  if (method && method !== 'S256' && method !== 'plain')
    return { error: 'invalid_request', code: 501491, text: `Invalid code_challenge_method '${method}'.` };
  return null;
}

function missing(name: string): { error: string; code: number; text: string } {
  return {
    error: 'invalid_request',
    code: 900144,
    text: `The request body must contain the following parameter: '${name}'.`,
  };
}

function grantOf(client: EmulatorClient, params: URLSearchParams, redirectUri: string, userId: string) {
  return {
    clientId: client.clientId,
    redirectUri,
    scopes: (params.get('scope') ?? '').split(' ').filter(Boolean),
    userId,
    nonce: params.get('nonce') ?? undefined,
    codeChallenge: params.get('code_challenge') ?? undefined,
    codeChallengeMethod: params.get('code_challenge_method') === 'S256' ? ('S256' as const) : ('plain' as const),
  };
}

function pickPage(ctx: EmulatorContext, tenant: string, params: URLSearchParams): AuthorizeResponse {
  const search = (params.get('emulator_search') ?? params.get('login_hint') ?? '').trim().toLowerCase();
  const users: PickableUser[] = [];
  let matches = 0;
  for (const user of ctx.store.users.values()) {
    if (user.p['accountEnabled'] === false) continue;
    const entry = {
      id: user.id,
      displayName: String(user.p['displayName'] ?? user.id),
      userPrincipalName: String(user.p['userPrincipalName'] ?? ''),
    };
    const text = `${entry.displayName} ${entry.userPrincipalName} ${String(user.p['mail'] ?? '')}`.toLowerCase();
    if (search && !text.includes(search)) continue;
    matches += 1;
    if (users.length < MAX_SHOWN) users.push(entry);
  }
  const action = `${ctx.origin}/${encodeURIComponent(tenant)}/oauth2/v2.0/authorize`;
  return { status: 200, html: pickUserPage({ action, params, search, users, matches }) };
}

function shown(code: number, text: string): AuthorizeResponse {
  return { status: 400, html: errorPage(code, text) };
}

function redirect(uri: string, values: Record<string, string | null>): AuthorizeResponse {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(values)) if (value !== null) url.searchParams.set(name, value);
  return { status: 302, location: url.href };
}
