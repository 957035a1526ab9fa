import type { Logger } from 'pino';

/**
 * SIGTERM/SIGINT stop the service cleanly: no new work, running jobs finish or are stopped and
 * recorded, connections close, then exit. The service's own shutdown keeps within `timeoutMs`; should
 * anything still hang past it, the process exits anyway (a stuck socket must not need a kill -9).
 */
export function stopOnSignals(service: { stop(): Promise<void> }, logger: Logger, timeoutMs: number): void {
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
      service.stop().then(
        () => {
          logger.info({ ms: Date.now() - started }, 'stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
