/** The Entra connection an admin stored through the API (one row); the credential stays sealed here. */
export interface StoredConnection {
  tenantId: string;
  clientId: string;
  credentialKind: 'secret' | 'certificate';
  /** The sealed StoredCredential; empty once disconnected. */
  sealedCredential: string;
  /** YYYY-MM-DD. */
  clientSecretExpiresAt: string | null;
  connected: boolean;
  lastTestedAt: Date | string | null;
}

export interface ConnectionRecord {
  tenantId: string;
  clientId: string;
  credentialKind: 'secret' | 'certificate';
  sealedCredential: string;
  certificateThumbprint: string | null;
  clientSecretExpiresAt: string | null;
}

export interface ConnectionRepository {
  read(): Promise<StoredConnection | null>;
  /** Locks the row until the transaction ends. */
  lock(): Promise<StoredConnection | null>;
  /** Stores the connection as connected and not yet tested. */
  save(connection: ConnectionRecord): Promise<void>;
  /** Marks it disconnected and erases the credential (docs/rules.md#connection). */
  disconnect(): Promise<void>;
  /** Records a test, unless the row meanwhile holds another tenant or was disconnected. */
  markTested(tenantId: string, at: Date): Promise<void>;
}

export interface SyncedGroupView {
  id: string;
  displayName: string | null;
}

/** The synced groups (docs/rules.md#inbound-sync): Entra groups whose members become HR users. */
export interface SyncedGroupRepository {
  /** Ordered by display name. */
  list(): Promise<SyncedGroupView[]>;
  /** The ids, ordered by id. */
  ids(): Promise<string[]>;
  count(): Promise<number>;
  /** Exactly these groups from now on, with the display names given (ids in lower case). */
  replace(groups: Array<{ id: string; displayName: string }>): Promise<void>;
  /** Adds one group unless it is already synced. */
  add(group: { id: string; displayName: string }): Promise<void>;
  /**
   * Users in each group, nested groups followed, as the directory mirror saw them at the last sync;
   * a group the mirror does not hold is left out.
   */
  memberCounts(groupIds: readonly string[]): Promise<Map<string, number>>;
}
