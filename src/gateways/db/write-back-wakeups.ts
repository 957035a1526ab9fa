import type { Logger } from 'pino';
import { listenTo, type KeptConnection } from './kept-connection.js';

/** The channel the outbox's insert trigger notifies (migration-20261203090000-write-back.ts). */
export const WRITE_BACK_CHANNEL = 'ehc_write_back';
/** Changes that commit within this window wake one drain. */
const SETTLE_MS = 200;

/**
 * Wakes the write-back drain when changes were recorded: PostgreSQL delivers the outbox's
 * NOTIFY only when the recording transaction commits
 * (https://www.postgresql.org/docs/current/sql-notify.html), so the drain never looks before the
 * change is visible. Every instance listens; the drain's lock lets one of them work. Changes that
 * arrive within a moment of each other wake it once. A lost connection is opened again; whatever
 * it missed, the periodic sweep finds.
 */
export class WriteBackWakeups {
  private listener: KeptConnection | null = null;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly wake: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  static async open(url: string, wake: () => Promise<void>, logger: Logger): Promise<WriteBackWakeups> {
    const wakeups = new WriteBackWakeups(wake, logger);
    wakeups.listener = await listenTo(url, WRITE_BACK_CHANNEL, { notified: () => wakeups.schedule() }, logger);
    return wakeups;
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wake().catch((error: unknown) => this.logger.warn({ err: error }, 'could not queue the write-back drain'));
    }, SETTLE_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.listener?.close();
    this.listener = null;
  }
}
