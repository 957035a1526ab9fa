import pg from 'pg';
import type { Logger } from 'pino';

const PREFIX = 'ehc:';

/**
 * Which service instances are alive, as the database sees them: each instance keeps one connection
 * open whose `application_name` carries its name. PostgreSQL ends a connection when the process at
 * the other end dies (kill -9 included), so an instance without a session is gone, and whatever it
 * left marked as running (sync runs, Agenda job locks) can be released without waiting for a timeout.
 * `application_name` is visible in pg_stat_activity to every role
 * (https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ACTIVITY-VIEW).
 */
export class InstancePresence {
  private client: pg.Client | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  private constructor(
    private readonly url: string,
    readonly instance: string,
    private readonly logger: Logger,
  ) {}

  static async open(url: string, instance: string, logger: Logger): Promise<InstancePresence> {
    if (instance.length + PREFIX.length > 63)
      throw new Error('The instance name is longer than PostgreSQL keeps (59 characters)');
    const presence = new InstancePresence(url, instance, logger);
    await presence.connect();
    return presence;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: `${PREFIX}${this.instance}` });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'the instance presence connection was closed; reconnecting');
      this.client = null;
      this.reconnectLater();
    });
    await client.connect();
    this.client = client;
  }

  private reconnectLater(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.connect().catch(() => this.reconnectLater());
    }, 2000);
    this.retry.unref();
  }

  /**
   * The names of the instances connected now, this one always included. Throws while this instance
   * is itself cut off: it then cannot tell a dead instance from a live one.
   */
  async liveInstances(): Promise<Set<string>> {
    const pool = this.client;
    if (!pool) throw new Error('the instance presence connection is down');
    const live = new Set<string>([this.instance]);
    const { rows } = await pool.query<{ name: string }>(
      `select distinct substr(application_name, ${PREFIX.length + 1}) as name from pg_stat_activity where application_name like '${PREFIX}%'`,
    );
    for (const row of rows) live.add(row.name);
    return live;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}
