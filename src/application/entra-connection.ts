import type { Logger } from 'pino';
import { GraphGateway, type GraphConnectionOptions } from '../gateways/graph/index.js';
import { GraphDirectoryReader } from '../gateways/graph/directory-reader.adapter.js';
import type { DirectoryReader } from '../sync/inbound/inbound-sync.ports.js';

/**
 * The one Entra connection of the installation (rule 1.1), swapped at run time when an admin
 * connects, reconnects or disconnects. Jobs ask for it at each run, so a disconnect stops the next
 * sync without touching any HR user (1.4).
 */
export class EntraConnection {
  private gateway: GraphGateway | null = null;
  private described: { tenantId: string; clientId: string; source: string } | null = null;

  constructor(private readonly logger: Logger) {}

  connect(options: GraphConnectionOptions, source: 'configuration' | 'admin' | 'demo'): void {
    this.gateway = new GraphGateway({ ...options, logger: this.logger.child({ component: 'graph' }) });
    this.described = { tenantId: options.tenantId, clientId: options.clientId, source };
    this.logger.info({ tenantId: options.tenantId, clientId: options.clientId, source }, 'Entra connection configured');
  }

  disconnect(): void {
    this.gateway = null;
    this.described = null;
  }

  graph(): GraphGateway | null {
    return this.gateway;
  }

  directory(): DirectoryReader | null {
    return this.gateway ? new GraphDirectoryReader(this.gateway) : null;
  }

  describe(): { tenantId: string; clientId: string; source: string } | null {
    return this.described;
  }
}
