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
}
