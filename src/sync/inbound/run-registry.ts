import type { StopReason } from './run-stop.js';

/**
 * The runs this process is executing, each with the means to stop it at once: a cancel by the
 * admin through this instance, and SIGTERM. (A cancel through another instance reaches the run
 * through the database, which the engine polls.)
 */
export class RunRegistry {
  private readonly runs = new Map<string, { stop: (reason: StopReason) => void; done: Promise<unknown> }>();

  add(runId: string, stop: (reason: StopReason) => void, done: Promise<unknown>): void {
    this.runs.set(runId, { stop, done });
    void done.finally(() => this.runs.delete(runId));
  }

  stop(runId: string, reason: StopReason): boolean {
    const run = this.runs.get(runId);
    run?.stop(reason);
    return run !== undefined;
  }

  /** Stops every run and waits (at most `graceMs`) for them to record how they ended. */
  async stopAll(reason: StopReason, graceMs: number): Promise<number> {
    const running = [...this.runs.values()];
    for (const run of running) run.stop(reason);
    await Promise.race([
      Promise.allSettled(running.map((run) => run.done)),
      new Promise((resolve) => setTimeout(resolve, graceMs).unref()),
    ]);
    return running.length;
  }

  get size(): number {
    return this.runs.size;
  }
}
