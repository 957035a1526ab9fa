/**
 * What the caller should do about a failed Graph or token call. The closed set the rest of the
 * connector branches on; everything Graph-specific (status, code, request id) travels along for
 * logs and for the admin screen, never for branching.
 *
 * - retryable: throttled, unavailable, connection lost, or the retry budget ran out: try later.
 * - permission-missing: 403 or a missing app role; `missingPermission` names it when the route says.
 * - not-found: the user, group or link does not exist.
 * - bad-request: Graph refused what we sent (our bug or invalid data); do not retry.
 * - on-premises-mastered: the property belongs to on-premises AD; skip write-back for this user.
 * - auth-failed: no token (wrong secret, unknown client or tenant) or Graph refused the token.
 * - cursor-invalid: a delta or paging token expired or is unknown: start a full round again.
 * - fatal: anything else.
 */
export type GraphErrorKind =
  | 'retryable'
  | 'permission-missing'
  | 'not-found'
  | 'bad-request'
  | 'on-premises-mastered'
  | 'auth-failed'
  | 'cursor-invalid'
  | 'fatal';

/** Why a token could not be obtained or was refused; for auth-failed errors only. */
export type AuthFailure =
  | 'secret-invalid'
  | 'secret-expired'
  | 'credential-missing'
  | 'certificate-invalid'
  | 'client-not-found'
  | 'tenant-not-found'
  | 'authority-unreachable'
  | 'token-rejected'
  | 'unknown';

/** The route a request took, with ids replaced by `{id}`: `GET /groups/{id}/members`. */
export interface GraphRoute {
  method: string;
  path: string;
}

export interface GraphGatewayErrorInit {
  kind: GraphErrorKind;
  /** HTTP status; undefined when no response arrived (connection lost, token library error). */
  status?: number;
  /** Graph's `error.code`, the token endpoint's `error` plus AADSTS number, or a local code. */
  code: string;
  /** Graph's or Entra's own message text, kept for people; never branched on. */
  graphMessage: string;
  requestId?: string;
  route?: GraphRoute;
  missingPermission?: string;
  authFailure?: AuthFailure;
  /** How long Graph asked us to wait, when it said. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class GraphGatewayError extends Error {
  readonly kind: GraphErrorKind;
  readonly status: number | undefined;
  readonly code: string;
  readonly graphMessage: string;
  readonly requestId: string | undefined;
  readonly route: GraphRoute | undefined;
  readonly missingPermission: string | undefined;
  readonly authFailure: AuthFailure | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: GraphGatewayErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'GraphGatewayError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.graphMessage = init.graphMessage;
    this.requestId = init.requestId;
    this.route = init.route;
    this.missingPermission = init.missingPermission;
    this.authFailure = init.authFailure;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** Fields safe for a log line (no token, no secret: neither is ever stored on the error). */
  toLogObject(): Record<string, unknown> {
    return {
      kind: this.kind,
      status: this.status,
      code: this.code,
      requestId: this.requestId,
      route: this.route ? `${this.route.method} ${this.route.path}` : undefined,
      missingPermission: this.missingPermission,
      authFailure: this.authFailure,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

export function isGraphGatewayError(error: unknown): error is GraphGatewayError {
  return error instanceof GraphGatewayError;
}

/** Runs `action`; a GraphGatewayError of kind 'not-found' becomes null, anything else is rethrown. */
export async function nullWhenNotFound<T>(action: () => Promise<T>): Promise<T | null> {
  try {
    return await action();
  } catch (error) {
    if (isGraphGatewayError(error) && error.kind === 'not-found') return null;
    throw error;
  }
}

function describe(init: GraphGatewayErrorInit): string {
  const where = init.route ? ` ${init.route.method} ${init.route.path}` : '';
  const status = init.status === undefined ? '' : ` ${init.status}`;
  const permission = init.missingPermission ? ` (needs ${init.missingPermission})` : '';
  return `Graph ${init.kind}:${where}${status} ${init.code}${permission}: ${init.graphMessage}`;
}
