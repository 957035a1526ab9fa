/**
 * Why a run stopped before its end. Each has its own status and text, so the admin can tell a
 * cancellation from a run that hit its time limit or was interrupted by a shutdown. In every case
 * the delta cursors stored so far stay, and the next run resumes from them.
 */
export type StopReason = { kind: 'cancelled' } | { kind: 'time-limit'; limitMs: number } | { kind: 'shutdown' };

export class RunStopped extends Error {
  override name = 'RunStopped';
  constructor(readonly reason: StopReason) {
    super(describeStop(reason));
  }
}

export function stoppedStatus(reason: StopReason): 'cancelled' | 'failed' {
  return reason.kind === 'cancelled' ? 'cancelled' : 'failed';
}

export function describeStop(reason: StopReason): string {
  switch (reason.kind) {
    case 'cancelled':
      return 'cancelled by an administrator; the next run resumes from the stored cursor';
    case 'time-limit':
      return `stopped: the run reached its time limit of ${Math.round(reason.limitMs / 1000)} s (SYNC_RUN_TIME_LIMIT); the next run resumes from the stored cursor`;
    case 'shutdown':
      return 'interrupted: the service was shut down during the run; the next run resumes from the stored cursor';
  }
}

/** The reason an aborted signal carries, as a stop reason: anything but ours is a shutdown. */
export function stopReasonOf(signal: AbortSignal): StopReason {
  const reason: unknown = signal.reason;
  return reason instanceof RunStopped ? reason.reason : { kind: 'shutdown' };
}
