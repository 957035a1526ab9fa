import { AuthError, ServerError } from '@azure/msal-node';
import { GraphClientError, GraphError } from '@microsoft/microsoft-graph-client';
import { GraphGatewayError, type AuthFailure, type GraphErrorKind, type GraphRoute } from './graph-gateway.error.js';
import { permissionForRoute } from './graph-permissions.js';
import { isConnectionError, parseRetryAfterMs } from './graph-retry.policy.js';

/**
 * The one place that turns a Graph failure into a GraphGatewayError. It looks at the HTTP status
 * first, then at Graph's `error.code` (https://learn.microsoft.com/graph/errors), never at message text.
 */
export interface GraphFailureContext {
  route: GraphRoute;
  /** The request was a nextLink/deltaLink (a paging or delta token URL). */
  onTokenUrl?: boolean;
  /** The target user is synced from on-premises AD (the caller knows it from onPremisesSyncEnabled). */
  onPremisesSynced?: boolean;
  nowMs?: number;
}

export interface GraphHttpFailure {
  status: number;
  /** The response body: `{ error: {...} }`, the inner `error` object, or its JSON text. */
  body: unknown;
  headers?: Headers | Record<string, string | undefined>;
  /** A request id the caller already read (the SDK's GraphError has one); the body's and the header's come first. */
  requestId?: string;
}

/**
 * Codes that mean "the token in this URL is no longer any good": an expired or reset delta token
 * (https://learn.microsoft.com/graph/delta-query-overview#synchronization-reset) or an expired skip token.
 */
const CURSOR_CODES = new Set(['syncStateNotFound', 'resyncRequired', 'Directory_ExpiredPageToken']);
/** 400 codes that mean "we asked wrongly", even on a token URL. */
const OUR_MISTAKE_CODES = new Set(['Request_UnsupportedQuery', 'BadRequest']);

export function mapGraphHttpFailure(failure: GraphHttpFailure, context: GraphFailureContext): GraphGatewayError {
  const error = readErrorObject(failure.body);
  const code = error.code || `HTTP${failure.status}`;
  const kind = classify(failure.status, code, context);
  const retryAfterMs = parseRetryAfterMs(header(failure.headers, 'retry-after'), context.nowMs ?? Date.now());
  return new GraphGatewayError({
    kind,
    status: failure.status,
    code,
    graphMessage: error.message || `HTTP ${failure.status}`,
    requestId: error.requestId ?? header(failure.headers, 'request-id') ?? failure.requestId,
    route: context.route,
    missingPermission: kind === 'permission-missing' ? permissionForRoute(context.route) : undefined,
    retryAfterMs,
  });
}

/** Any error thrown by a Graph SDK call (GraphError, fetch failure, or one of ours). */
export function mapGraphSdkError(error: unknown, context: GraphFailureContext): GraphGatewayError {
  if (error instanceof GraphGatewayError) return error;
  if (error instanceof GraphClientError && error.customError instanceof GraphGatewayError) return error.customError;
  if (error instanceof GraphError && error.statusCode > 0) {
    const { statusCode: status, body, headers } = error;
    return mapGraphHttpFailure({ status, body, headers, requestId: error.requestId || undefined }, context);
  }
  // The SDK wraps a failed fetch in a GraphError with status -1 whose code is the original
  // error's name (fetch reports every network failure as a TypeError), or, for an error from
  // another realm, whose body is the original error.
  const lostConnection =
    isConnectionError(error) ||
    (error instanceof GraphError &&
      error.statusCode === -1 &&
      (error.code === 'TypeError' || isConnectionError(error.body)));
  const message = error instanceof Error ? error.message : String(error);
  return new GraphGatewayError({
    kind: lostConnection ? 'retryable' : 'fatal',
    code: lostConnection ? 'ConnectionFailed' : 'UnexpectedError',
    graphMessage: message,
    route: context.route,
    cause: error,
  });
}

/**
 * Wraps an already classified error so it crosses the Graph SDK unchanged: GraphRequest rethrows a
 * GraphClientError as is, while any other error thrown inside the middleware chain (a token
 * failure, a connection given up on) would be flattened into a GraphError with status -1.
 */
export function toSdkPassthrough(error: GraphGatewayError): GraphClientError {
  const wrapper = new GraphClientError(error.message);
  wrapper.customError = error;
  return wrapper;
}

/**
 * AADSTS numbers (https://learn.microsoft.com/entra/identity-platform/reference-error-codes) that say what is
 * wrong with the app's credentials. Entra's texts change without notice; the numbers and the `error` field
 * are what we key on.
 */
const AADSTS_FAILURES: Readonly<Record<string, AuthFailure>> = {
  '7000215': 'secret-invalid',
  '7000222': 'secret-expired',
  '7000218': 'credential-missing',
  '700027': 'certificate-invalid',
  '700024': 'certificate-invalid',
  '700016': 'client-not-found',
  '90002': 'tenant-not-found',
  '900023': 'tenant-not-found',
};
const OAUTH_ERROR_FAILURES: Readonly<Record<string, AuthFailure>> = {
  invalid_client: 'secret-invalid',
  unauthorized_client: 'client-not-found',
  invalid_tenant: 'tenant-not-found',
};

/** An error from @azure/msal-node while getting a token. */
export function mapTokenError(error: unknown): GraphGatewayError {
  if (error instanceof ServerError) {
    const number = error.errorNo === undefined ? undefined : String(error.errorNo);
    const status = error.status;
    const serverSide = status === 429 || (status ?? 0) >= 500;
    return new GraphGatewayError({
      kind: serverSide ? 'retryable' : 'auth-failed',
      status,
      code: number ? `AADSTS${number}` : error.errorCode || 'token_error',
      graphMessage: firstLine(error.errorMessage),
      authFailure: serverSide
        ? undefined
        : ((number ? AADSTS_FAILURES[number] : undefined) ?? OAUTH_ERROR_FAILURES[error.errorCode] ?? 'unknown'),
      cause: error,
    });
  }
  if (error instanceof AuthError) {
    // msal-node 7 reports every failure to discover the tenant's endpoints (unknown tenant,
    // unreachable or untrusted authority, TLS) as endpoints_resolution_error
    // (test/integration/graph/graph-gateway.connection.spec.ts).
    const network = /network|timeout/i.test(error.errorCode);
    return new GraphGatewayError({
      kind: network ? 'retryable' : 'auth-failed',
      code: error.errorCode || 'token_error',
      graphMessage: firstLine(error.errorMessage),
      authFailure: network
        ? undefined
        : error.errorCode === 'endpoints_resolution_error'
          ? 'authority-unreachable'
          : 'unknown',
      cause: error,
    });
  }
  return mapGraphSdkError(error, { route: { method: 'POST', path: '/oauth2/v2.0/token' } });
}

function firstLine(text: string): string {
  const description = /Description: (.*?)(?: - Correlation ID:|\r|\n|$)/.exec(text);
  return (description?.[1] ?? text.split(/\r?\n/)[0]!).slice(0, 500);
}

function classify(status: number, code: string, context: GraphFailureContext): GraphErrorKind {
  if (status === 429 || status >= 500) return status === 501 ? 'bad-request' : 'retryable';
  if (CURSOR_CODES.has(code)) return 'cursor-invalid';
  // A success whose answer was cut before its body arrived whole: what was asked may be done, so
  // it is tried again later, where the caller finds what was made (docs/graph.md §8).
  if (status >= 200 && status < 300) return 'retryable';
  if (status < 400) return 'fatal';
  if (status === 410) return context.onTokenUrl ? 'cursor-invalid' : 'not-found';
  if (status === 401) return 'auth-failed';
  if (status === 403) return 'permission-missing';
  if (status === 404) return 'not-found';
  if (status === 424) return 'retryable';
  if (status === 400) {
    if (context.onTokenUrl && !OUR_MISTAKE_CODES.has(code)) return 'cursor-invalid';
    const isUserPatch = context.route.method === 'PATCH' && context.route.path === '/users/{id}';
    if (isUserPatch && context.onPremisesSynced && code === 'Request_BadRequest') return 'on-premises-mastered';
  }
  return 'bad-request';
}

interface ErrorObject {
  code?: string;
  message?: string;
  requestId?: string;
}

function readErrorObject(body: unknown): ErrorObject {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return { message: body.slice(0, 500) };
    }
  }
  if (!isRecord(value)) return {};
  const error = isRecord(value.error) ? value.error : value;
  const inner = isRecord(error.innerError) ? error.innerError : isRecord(error.innererror) ? error.innererror : {};
  return {
    code: typeof error.code === 'string' ? error.code : undefined,
    message: typeof error.message === 'string' ? error.message : undefined,
    requestId: typeof inner['request-id'] === 'string' ? inner['request-id'] : undefined,
  };
}

function header(headers: GraphHttpFailure['headers'], name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  return Object.entries(headers).find(([candidate]) => candidate.toLowerCase() === name)?.[1];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
