export interface AuditEntry {
  actorId: string | null;
  /** A dotted verb: 'settings.update', 'employee-profile.connect', ... */
  action: string;
  target: string | null;
  oldValue: unknown;
  newValue: unknown;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  /** ISO 8601 UTC. */
  at: string;
  /** The actor's e-mail as it is now; null for the system or a deleted user. */
  actorEmail: string | null;
}

export interface AuditQuery {
  /** Keyset: only rows older than this id (the `next` of the previous page). */
  after?: number;
  limit: number;
  action?: string;
}

/**
 * Who changed what, when, from what to what. Written inside the transaction of the change it
 * records, so a rolled-back change leaves no audit row and a committed one always has its row.
 */
export interface AuditLog {
  /** One statement for any number of entries. Values are stored as JSON; callers leave secrets out. */
  record(entries: readonly AuditEntry[]): Promise<void>;
  /** Newest first, `limit` rows as asked (a page reads one more to know whether another follows). */
  list(query: AuditQuery): Promise<AuditRecord[]>;
}
