/**
 * What a sync does about a failed call to the directory, decided in one place for every engine
 * (inbound, pictures; write-back and calendars next). Engines never branch on an error themselves:
 * they ask `FailurePolicy.decide` and act on the answer.
 *
 * The kinds are the Graph gateway's closed set (src/gateways/graph/graph-gateway.error.ts), which it
 * derives from HTTP status codes and Graph's error codes, never from message text
 * (https://learn.microsoft.com/graph/errors). The gateway implements `FailureClassifier`.
 */
export type UpstreamFailureKind =
  | 'retryable'
  | 'permission-missing'
  | 'not-found'
  | 'bad-request'
  | 'on-premises-mastered'
  | 'auth-failed'
  | 'cursor-invalid'
  | 'fatal';

/** Reads the kind off an error thrown by a gateway; null when the error did not come from the directory. */
export type FailureClassifier = (error: unknown) => UpstreamFailureKind | null;

/**
 * Where the failure met the work: reading a whole stream (a delta round, whose cursor covers every
 * item) or one item (a user's picture, one user's write).
 */
export type FailureScope = 'stream' | 'item';

/**
 * - retry-later: transient; leave the item (or the cursor) where it is, a later run takes it again.
 * - restart-full: the cursor is no longer accepted; drop it and read the stream from the start.
 * - skip-item: this item cannot be done; record why and go on with the others.
 * - stop-run: nothing more can succeed in this run (the next items would fail the same way).
 */
export type FailureAction = 'retry-later' | 'restart-full' | 'skip-item' | 'stop-run';

/** How the run ends because of the failure: null when the failure leaves the run's status alone. */
export type FailureRunStatus = 'failed' | 'completed-with-failures' | null;

export interface FailureDecision {
  action: FailureAction;
  runStatus: FailureRunStatus;
  /** Tell an administrator (the run notification), beyond the log line every failure gets. */
  alert: boolean;
}

const retryLater: FailureDecision = { action: 'retry-later', runStatus: null, alert: false };
const restartFull: FailureDecision = { action: 'restart-full', runStatus: null, alert: false };
const stopRun: FailureDecision = { action: 'stop-run', runStatus: 'failed', alert: true };
const skipQuietly: FailureDecision = { action: 'skip-item', runStatus: null, alert: false };
const skipAsFailure: FailureDecision = { action: 'skip-item', runStatus: 'completed-with-failures', alert: true };

/**
 * The table. Read a row as "a failure of this kind, met while reading a stream / one item, means...".
 * A stream that fails stops the run, whatever the kind, except a stale cursor (a full round starts,
 * docs/rules.md#inbound-sync); the run is recorded as failed and announced, and the next run resumes
 * from the stored cursor. For one item the kind decides: the credential or a permission fails every
 * later item too, so the run stops; a busy Graph is tried again later; a gone or on-premises object
 * is skipped; a refusal we cannot explain is skipped and counted as a failure.
 */
export const FAILURE_POLICY: Readonly<Record<UpstreamFailureKind, Readonly<Record<FailureScope, FailureDecision>>>> = {
  retryable: { stream: stopRun, item: retryLater },
  'cursor-invalid': { stream: restartFull, item: retryLater },
  'permission-missing': { stream: stopRun, item: stopRun },
  'auth-failed': { stream: stopRun, item: stopRun },
  'not-found': { stream: stopRun, item: skipQuietly },
  'on-premises-mastered': { stream: stopRun, item: skipQuietly },
  'bad-request': { stream: stopRun, item: skipAsFailure },
  fatal: { stream: stopRun, item: skipAsFailure },
};

/** The decision for a kind; an error that did not come from the directory (a database error) is fatal. */
export function decideFailure(kind: UpstreamFailureKind | null, scope: FailureScope): FailureDecision {
  return FAILURE_POLICY[kind ?? 'fatal'][scope];
}

/** The policy bound to the gateway's classifier: what engines hold. */
export class FailurePolicy {
  constructor(private readonly classify: FailureClassifier) {}

  decide(error: unknown, scope: FailureScope): FailureDecision & { kind: UpstreamFailureKind | null } {
    const kind = this.classify(error);
    return { kind, ...decideFailure(kind, scope) };
  }
}
