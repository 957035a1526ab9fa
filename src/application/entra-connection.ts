import type { Logger } from 'pino';
import type { GraphConnectionOptions } from '../gateways/graph/index.js';
import type { CalendarSource, SubscriptionSource } from '../sync/calendars/calendar-sync.ports.js';
import type { DirectoryReader } from '../sync/inbound/inbound-sync.ports.js';
import type { PictureSource } from '../sync/pictures/picture-sync.service.js';
import type { UserWriter } from '../sync/write-back/write-back.ports.js';
import type {
  ConnectionTester,
  EntraGateways,
  EntraSignIn,
  OpenEntraGateways,
  TenantGroups,
} from './entra-connection.ports.js';

export type ConnectionSource = 'configuration' | 'admin' | 'demo';

/** What may be shown about the connection: never the secret or the private key. */
export interface ConnectionDescription {
  tenantId: string;
  clientId: string;
  source: ConnectionSource;
  credentialKind: 'secret' | 'certificate';
  /** YYYY-MM-DD, when the admin gave the client secret's expiry date (rule 1.3). */
  clientSecretExpiresAt: string | null;
}

/**
 * The one Entra connection of the installation (rule 1.1), swapped at run time when an admin
 * connects, reconnects or disconnects. Jobs ask for it at each run, so a disconnect stops the next
 * sync without touching any HR user (1.4).
 */
export class EntraConnection {
  private gateways: EntraGateways | null = null;
  private described: ConnectionDescription | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly open: OpenEntraGateways,
  ) {}

  connect(
    options: GraphConnectionOptions,
    source: ConnectionSource,
    clientSecretExpiresAt: string | null = null,
  ): void {
    this.gateways = this.open({ ...options, logger: this.logger.child({ component: 'graph' }) });
    this.described = {
      tenantId: options.tenantId,
      clientId: options.clientId,
      source,
      credentialKind: options.credential.kind,
      clientSecretExpiresAt,
    };
    this.logger.info({ tenantId: options.tenantId, clientId: options.clientId, source }, 'Entra connection configured');
  }

  disconnect(): void {
    if (this.described)
      this.logger.info(
        { tenantId: this.described.tenantId, source: this.described.source },
        'Entra connection removed',
      );
    this.gateways = null;
    this.described = null;
  }

  isConnected(): boolean {
    return this.gateways !== null;
  }

  directory(): DirectoryReader | null {
    return this.gateways?.directory ?? null;
  }

  groups(): TenantGroups | null {
    return this.gateways?.groups ?? null;
  }

  pictures(): PictureSource | null {
    return this.gateways?.pictures ?? null;
  }

  tester(): ConnectionTester | null {
    return this.gateways?.tester ?? null;
  }

  userWrites(): UserWriter | null {
    return this.gateways?.userWrites ?? null;
  }

  calendars(): CalendarSource | null {
    return this.gateways?.calendars ?? null;
  }

  subscriptions(): SubscriptionSource | null {
    return this.gateways?.subscriptions ?? null;
  }

  signIn(): EntraSignIn | null {
    return this.gateways?.signIn ?? null;
  }

  describe(): ConnectionDescription | null {
    return this.described;
  }
}
