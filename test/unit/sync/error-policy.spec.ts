import { describe, expect, it } from '@jest/globals';
import {
  FAILURE_POLICY,
  FailurePolicy,
  decideFailure,
  type FailureAction,
  type FailureRunStatus,
  type FailureScope,
  type UpstreamFailureKind,
} from '../../../src/sync/kernel/error-policy.js';
import { classifyGraphFailure } from '../../../src/gateways/graph/graph-failure.classifier.js';
import { GraphGatewayError } from '../../../src/gateways/graph/index.js';

/** kind, scope -> action, the run's end status, whether an admin is told. */
const TABLE: Array<[UpstreamFailureKind | null, FailureScope, FailureAction, FailureRunStatus, boolean]> = [
  ['retryable', 'stream', 'stop-run', 'failed', true],
  ['retryable', 'item', 'retry-later', null, false],
  ['cursor-invalid', 'stream', 'restart-full', null, false],
  ['cursor-invalid', 'item', 'retry-later', null, false],
  ['permission-missing', 'stream', 'stop-run', 'failed', true],
  ['permission-missing', 'item', 'stop-run', 'failed', true],
  ['auth-failed', 'stream', 'stop-run', 'failed', true],
  ['auth-failed', 'item', 'stop-run', 'failed', true],
  ['not-found', 'stream', 'stop-run', 'failed', true],
  ['not-found', 'item', 'skip-item', null, false],
  ['on-premises-mastered', 'stream', 'stop-run', 'failed', true],
  ['on-premises-mastered', 'item', 'skip-item', null, false],
  ['bad-request', 'stream', 'stop-run', 'failed', true],
  ['bad-request', 'item', 'skip-item', 'completed-with-failures', true],
  ['fatal', 'stream', 'stop-run', 'failed', true],
  ['fatal', 'item', 'skip-item', 'completed-with-failures', true],
  // An error that did not come from the directory (a database error) is treated as fatal.
  [null, 'stream', 'stop-run', 'failed', true],
  [null, 'item', 'skip-item', 'completed-with-failures', true],
];

describe('the error policy: one decision per failure kind and scope', () => {
  it.each(TABLE)('%s met reading one %s: %s, run status %s, alert %s', (kind, scope, action, runStatus, alert) => {
    expect(decideFailure(kind, scope)).toEqual({ action, runStatus, alert });
  });

  it('has a row for every kind the Graph gateway produces, and the table above covers every row', () => {
    const kinds = Object.keys(FAILURE_POLICY).sort();
    expect(kinds).toEqual(
      [
        'auth-failed',
        'bad-request',
        'cursor-invalid',
        'fatal',
        'not-found',
        'on-premises-mastered',
        'permission-missing',
        'retryable',
      ].sort(),
    );
    for (const kind of kinds)
      for (const scope of ['stream', 'item'] as const)
        expect(TABLE.some(([k, s]) => k === kind && s === scope)).toBe(true);
  });

  it("reads the kind from the Graph gateway's error, never its message", () => {
    const policy = new FailurePolicy(classifyGraphFailure);
    const stale = new GraphGatewayError({
      kind: 'cursor-invalid',
      status: 410,
      code: 'syncStateNotFound',
      graphMessage: 'Permission denied: the resource is throttled',
    });
    expect(policy.decide(stale, 'stream')).toEqual({
      kind: 'cursor-invalid',
      action: 'restart-full',
      runStatus: null,
      alert: false,
    });
    expect(policy.decide(new Error('syncStateNotFound'), 'stream')).toMatchObject({ kind: null, action: 'stop-run' });
  });
});
