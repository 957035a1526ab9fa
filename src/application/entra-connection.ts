import type { Logger } from 'pino';
import { GraphGateway, type GraphConnectionOptions } from '../gateways/graph/index.js';
import { GraphDirectoryReader } from '../gateways/graph/directory-reader.adapter.js';
import type { DirectoryReader } from '../sync/inbound/inbound-sync.ports.js';
import type { PictureSource } from '../sync/pictures/picture-sync.service.js';

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
  private gateway: GraphGateway | null = null;
  private graphBaseUrl = 'https://graph.microsoft.com';
  private described: ConnectionDescription | null = null;

  constructor(private readonly logger: Logger) {}

  connect(
    options: GraphConnectionOptions,
    source: ConnectionSource,
    clientSecretExpiresAt: string | null = null,
  ): void {
    this.gateway = new GraphGateway({ ...options, logger: this.logger.child({ component: 'graph' }) });
    this.graphBaseUrl = options.graphBaseUrl ?? 'https://graph.microsoft.com';
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
    this.gateway = null;
    this.described = null;
  }

  graph(): GraphGateway | null {
    return this.gateway;
  }

  directory(): DirectoryReader | null {
    return this.gateway ? new GraphDirectoryReader(this.gateway, this.graphBaseUrl) : null;
  }

  pictures(): PictureSource | null {
    const graph = this.gateway;
    return graph ? { photo: (entraId) => graph.getPhoto(entraId) } : null;
  }

  describe(): ConnectionDescription | null {
    return this.described;
  }
}
