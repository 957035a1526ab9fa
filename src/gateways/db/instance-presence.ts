import type { Logger } from 'pino';
import { KeptConnection } from './kept-connection.js';

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
  private constructor(
    private readonly connection: KeptConnection,
    readonly instance: string,
  ) {}

  static async open(url: string, instance: string, logger: Logger): Promise<InstancePresence> {
    if (instance.length + PREFIX.length > 63)
      throw new Error('The instance name is longer than PostgreSQL keeps (59 characters)');
    const connection = await KeptConnection.open(
      { connectionString: url, application_name: `${PREFIX}${instance}` },
      {},
      logger,
      'instance presence',
    );
    return new InstancePresence(connection, instance);
  }

  /**
   * The names of the instances connected now, this one always included. Throws while this instance
   * is itself cut off: it then cannot tell a dead instance from a live one.
   */
  async liveInstances(): Promise<Set<string>> {
    const pool = this.connection.client;
    if (!pool) throw new Error('the instance presence connection is down');
    const live = new Set<string>([this.instance]);
    const { rows } = await pool.query<{ name: string }>(
      `select distinct substr(application_name, ${PREFIX.length + 1}) as name from pg_stat_activity where application_name like '${PREFIX}%'`,
    );
    for (const row of rows) live.add(row.name);
    return live;
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
