import type { ConnectionTestResult, GraphConnectionOptions, GraphFeatures } from '../gateways/graph/index.js';
import type { CalendarSource } from '../sync/calendars/calendar-sync.ports.js';
import type { DirectoryReader } from '../sync/inbound/inbound-sync.ports.js';
import type { PictureSource } from '../sync/pictures/picture-sync.service.js';
import type { UserWriter } from '../sync/write-back/write-back.ports.js';

/** A group of the tenant, as an admin picks it for sync or for a role mapping. */
export interface TenantGroup {
  id: string;
  displayName?: string | null;
  description?: string | null;
}

export interface TenantGroupSearch {
  /** Words of the display name. */
  search?: string;
  /** Page size. */
  top?: number;
}

/** The tenant's groups (Microsoft Graph). */
export interface TenantGroups {
  listGroups(options?: TenantGroupSearch): AsyncIterable<TenantGroup[]>;
  /** The groups that exist among `ids`, in the order asked; unknown ids are left out. */
  getGroups(ids: readonly string[]): Promise<TenantGroup[]>;
}

/** "Test connection" (rule 1.3): the credential, the granted permissions, read probes. */
export interface ConnectionTester {
  testConnection(
    features: GraphFeatures,
    syncedGroupIds: readonly string[],
    clientSecretExpiresAt?: Date,
  ): Promise<ConnectionTestResult>;
}

/** The gateways of one Entra connection; they share one Graph session (token, retry and concurrency budget). */
export interface EntraGateways {
  directory: DirectoryReader;
  groups: TenantGroups;
  pictures: PictureSource;
  tester: ConnectionTester;
  userWrites: UserWriter;
  calendars: CalendarSource;
}

/** Opens the gateways of a connection; the composition root decides which classes serve them. */
export type OpenEntraGateways = (options: GraphConnectionOptions) => EntraGateways;
