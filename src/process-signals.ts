import type { Logger } from 'pino';

type Stoppable = { stop(): Promise<void> };

/**
 * SIGTERM/SIGINT stop the service cleanly: no new work, running jobs finish or are stopped and
 * recorded, connections close, then exit. The service's own shutdown keeps within `timeoutMs`; should
 * anything still hang past it, the process exits anyway (a stuck socket must not need a kill -9).
 * Installed before the service starts: a signal during the start (migrations, the demo's first sync
 * being queued) stops the service as soon as it is up instead of killing the process half-way.
 */
export function stopOnSignals(service: Stoppable | Promise<Stoppable>, logger: Logger, timeoutMs: number): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      const started = Date.now();
      logger.info({ signal, timeoutMs }, 'stopping: no new work, letting the running job finish');
      setTimeout(() => {
        logger.error({ timeoutMs }, 'shutdown did not finish within SHUTDOWN_TIMEOUT_MS; exiting');
        process.exit(1);
      }, timeoutMs + 250).unref();
      Promise.resolve(service).then(
        (running) =>
          running.stop().then(
            () => {
              logger.info({ ms: Date.now() - started }, 'stopped');
              process.exit(0);
            },
            (error: unknown) => {
              logger.error({ err: error }, 'shutdown failed');
              process.exit(1);
            },
          ),
        () => {
          // The start failed: the entry point reports why and exits.
        },
      );
    });
  }
}
