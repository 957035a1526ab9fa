import type { FailureClassifier, UpstreamFailureKind } from '../../sync/kernel/error-policy.js';
import { isGraphGatewayError, type GraphErrorKind } from './graph-gateway.error.js';

/**
 * The sync kernel's FailureClassifier, served by the Graph gateway: the kind its error mapper chose
 * (from status and Graph's error code). The map fails to compile when the gateway gains a kind the
 * error policy has no row for.
 */
const POLICY_KIND: Readonly<Record<GraphErrorKind, UpstreamFailureKind>> = {
  retryable: 'retryable',
  'permission-missing': 'permission-missing',
  'not-found': 'not-found',
  'bad-request': 'bad-request',
  'on-premises-mastered': 'on-premises-mastered',
  'auth-failed': 'auth-failed',
  'cursor-invalid': 'cursor-invalid',
  fatal: 'fatal',
};

export const classifyGraphFailure: FailureClassifier = (error) =>
  isGraphGatewayError(error) ? POLICY_KIND[error.kind] : null;
