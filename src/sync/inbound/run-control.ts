import { RunStopped, stopReasonOf, type StopReason } from './run-stop.js';

/**
 * One run's stop signal: aborted by the admin's cancel (in this process at once, or through the
 * database from another instance), by the run's time limit, or by the service shutting down.
 * `stopped` rejects when it aborts, so the engine can stop waiting for work that hangs.
 */
export class RunControl {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly poll: NodeJS.Timeout;
  private readonly onOuterAbort: () => void;
  readonly stopped: Promise<never>;

  constructor(
    runId: string,
    private readonly outer: AbortSignal | undefined,
    options: { timeLimitMs: number; cancelPollMs?: number },
    cancelRequested: (runId: string) => Promise<boolean>,
  ) {
    this.stopped = new Promise<never>((_, reject) => {
      this.controller.signal.addEventListener('abort', () => reject(this.controller.signal.reason as Error), {
        once: true,
      });
    });
    this.stopped.catch(() => undefined);
    this.timer = setTimeout(() => this.stop({ kind: 'time-limit', limitMs: options.timeLimitMs }), options.timeLimitMs);
    this.timer.unref();
    let polling = false;
    this.poll = setInterval(() => {
      if (polling) return;
      polling = true;
      cancelRequested(runId)
        .then(
          (cancel) => {
            if (cancel) this.stop({ kind: 'cancelled' });
          },
          () => undefined,
        )
        .finally(() => {
          polling = false;
        });
    }, options.cancelPollMs ?? 1000);
    this.poll.unref();
    this.onOuterAbort = () => this.stop(stopReasonOf(outer!));
    if (outer?.aborted) this.onOuterAbort();
    else outer?.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The first reason wins: a run cancelled during a shutdown stays cancelled. */
  stop(reason: StopReason): void {
    if (!this.controller.signal.aborted) this.controller.abort(new RunStopped(reason));
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearInterval(this.poll);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }
}
