import type { ChangeAction } from '../../domain/write-back-changes.js';

export const WRITE_BACK_STATUSES = ['pending', 'sent', 'skipped', 'failed', 'cancelled', 'discarded'] as const;
export type WriteBackStatus = (typeof WRITE_BACK_STATUSES)[number];

/** One change in write-back's outbox, as the admin sees it (docs/rules.md §4). */
export interface WriteBackChangeView {
  /** A decimal string: the outbox's sequence number. */
  id: string;
  action: ChangeAction;
  hrUserId: string | null;
  entraId: string | null;
  email: string | null;
  /** The HR fields an update names. */
  fields: string[];
  status: WriteBackStatus;
  attempts: number;
  /** Why it was skipped, failed or cancelled, or what was left out of a sent one. */
  reason: string | null;
  /** Graph's error code and HTTP status when Graph refused it. */
  errorCode: string | null;
  errorStatus: number | null;
  /** What Entra answered that HR keeps (a created user's id, user principal name and mail). */
  result: Record<string, unknown> | null;
  /** The drain pass that settled it. */
  drainId: string | null;
  /** ISO 8601 UTC. */
  createdAt: string;
  notBefore: string;
  settledAt: string | null;
}

export interface WriteBackChangeQuery {
  status?: WriteBackStatus[];
  action?: ChangeAction;
  hrUserId?: string;
  /** Keyset: only changes older than this id (the `next` of the previous page). */
  after?: string;
  /** Rows to read: the page asks for one more to know whether another follows. */
  limit: number;
}

/** Write-back's outbox as the admin API reads and acts on it. */
export interface WriteBackOutboxRepository {
  /** Newest first. */
  list(query: WriteBackChangeQuery): Promise<WriteBackChangeView[]>;
  /** Null when there is none; locked until the transaction ends. */
  lock(id: string): Promise<WriteBackChangeView | null>;
  /** Pending again, due now, with its attempts reset; the drain is woken when the transaction commits. */
  requeue(id: string): Promise<void>;
  /** Never sent: discarded with the reason. */
  discard(id: string, reason: string): Promise<void>;
  /** Rule 4.6: every pending change of the action is cancelled with the reason; how many. */
  cancelPending(action: ChangeAction, reason: string): Promise<number>;
}
