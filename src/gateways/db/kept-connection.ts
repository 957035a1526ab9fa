import pg from 'pg';
import type { Logger } from 'pino';

/** The channel every change of a token's holder notifies (migration-20270106090000-principal-changes.ts). */
export const PRINCIPAL_CHANNEL = 'ehc_principals';

export interface KeptConnectionEvents {
  /** Run on each new connection before it counts as open (LISTEN, for one). */
  opened?: (client: pg.Client) => Promise<void>;
  /** A notification with its payload (delivered when the notifying transaction commits). */
  notified?: (payload: string) => void;
  /** The connection was lost: notifications may be missed until `ready` again. */
  lost?: () => void;
  /** The connection is open (at first, and again after a reconnection). */
  ready?: () => void;
}

/**
 * A connection of its own, apart from the pools, opened again every two seconds until it works
 * when it is lost.
 */
export class KeptConnection {
  private current: pg.Client | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  private constructor(
    private readonly config: pg.ClientConfig,
    private readonly events: KeptConnectionEvents,
    private readonly logger: Logger,
    private readonly purpose: string,
  ) {}

  static async open(
    config: pg.ClientConfig,
    events: KeptConnectionEvents,
    logger: Logger,
    purpose: string,
  ): Promise<KeptConnection> {
    const kept = new KeptConnection(config, events, logger, purpose);
    await kept.connect();
    return kept;
  }

  /** The open connection; null while it is lost. */
  get client(): pg.Client | null {
    return this.current;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    const { notified } = this.events;
    if (notified) client.on('notification', (message) => notified(message.payload ?? ''));
    client.on('error', (error) => {
      this.logger.warn({ err: error }, `the ${this.purpose} connection was closed; reconnecting`);
      this.current = null;
      this.events.lost?.();
      this.reconnectLater();
    });
    await client.connect();
    await this.events.opened?.(client);
    this.current = client;
    this.events.ready?.();
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
    clearTimeout(this.retry);
    this.events.lost?.();
    await this.current?.end().catch(() => undefined);
    this.current = null;
  }
}

/** A kept connection that LISTENs on one channel (https://www.postgresql.org/docs/current/sql-listen.html). */
export function listenTo(
  url: string,
  channel: string,
  events: Omit<KeptConnectionEvents, 'opened'>,
  logger: Logger,
): Promise<KeptConnection> {
  return KeptConnection.open(
    { connectionString: url },
    {
      ...events,
      opened: async (client) => {
        await client.query(`listen ${channel}`);
      },
    },
    logger,
    `${channel} notification`,
  );
}
