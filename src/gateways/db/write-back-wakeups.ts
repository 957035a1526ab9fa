import pg from 'pg';
import type { Logger } from 'pino';

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
  private client: pg.Client | null = null;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;

  private constructor(
    private readonly url: string,
    private readonly wake: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  static async open(url: string, wake: () => Promise<void>, logger: Logger): Promise<WriteBackWakeups> {
    const wakeups = new WriteBackWakeups(url, wake, logger);
    await wakeups.connect();
    return wakeups;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', () => this.schedule());
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'the write-back notification connection was closed; reconnecting');
      this.client = null;
      this.reconnectLater();
    });
    await client.connect();
    await client.query(`listen ${WRITE_BACK_CHANNEL}`);
    this.client = client;
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wake().catch((error: unknown) => this.logger.warn({ err: error }, 'could not queue the write-back drain'));
    }, SETTLE_MS);
    this.timer.unref();
  }

  private reconnectLater(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.connect().catch(() => this.reconnectLater());
    }, 2000);
    this.retry.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}
