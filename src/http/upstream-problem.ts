import { AppError } from '../application/app-error.js';
import type { GraphGatewayError } from '../gateways/graph/index.js';

/**
 * A Graph (or Entra sign-in) failure met while serving an admin call becomes a 502
 * `upstream_failed`: the service itself worked, the directory did not. The body carries Graph's own
 * error code, status and request id (for a support ticket with Microsoft) and says what to do; the
 * advice is chosen from the gateway's error kind only, never from Graph's message text.
 */
export function upstreamProblem(error: GraphGatewayError): AppError {
  return new AppError('upstream_failed', `${adviceFor(error)} (Microsoft Graph: ${error.code})`, undefined, {
    upstream: {
      kind: error.kind,
      code: error.code,
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.requestId ? { requestId: error.requestId } : {}),
      ...(error.route ? { route: `${error.route.method} ${error.route.path}` } : {}),
      ...(error.missingPermission ? { missingPermission: error.missingPermission } : {}),
      ...(error.authFailure ? { authFailure: error.authFailure } : {}),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000) }),
    },
  });
}

function adviceFor(error: GraphGatewayError): string {
  switch (error.kind) {
    case 'auth-failed':
      return authAdvice(error);
    case 'permission-missing':
      return `The app registration lacks a permission${error.missingPermission ? ` (${error.missingPermission})` : ''}: grant it with admin consent in Entra, then test the connection`;
    case 'retryable':
      return `Microsoft Graph is busy or unreachable; try again${error.retryAfterMs === undefined ? ' in a minute' : ` in ${Math.ceil(error.retryAfterMs / 1000)} s`}`;
    case 'not-found':
      return 'Entra has no such object (it may have been deleted); refresh and try again';
    case 'bad-request':
    case 'on-premises-mastered':
      return 'Microsoft Graph refused the request; if it happens again, report it with the request id';
    default:
      return 'Microsoft Graph failed to answer; try again, and if it happens again report it with the request id';
  }
}

function authAdvice(error: GraphGatewayError): string {
  switch (error.authFailure) {
    case 'secret-invalid':
      return 'Entra refused the client secret: enter the current secret of the app registration in the connection';
    case 'secret-expired':
      return 'The client secret has expired: create a new one in the app registration and enter it in the connection';
    case 'client-not-found':
      return 'Entra does not know the client (application) id: check it in the connection';
    case 'tenant-not-found':
      return 'Entra does not know the tenant id: check it in the connection';
    case 'certificate-invalid':
      return 'Entra refused the certificate: upload the certificate the app registration holds';
    case 'authority-unreachable':
      return 'The Entra sign-in endpoint cannot be reached: check the authority host and the network';
    default:
      return "Entra refused the connection's credentials: check them, then test the connection";
  }
}
