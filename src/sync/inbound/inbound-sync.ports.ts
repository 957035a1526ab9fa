import type { ChannelStore, DeltaPage, StreamCursor } from '../kernel/channel-state.ports.js';
import type { ApplyRange, HrSyncStore } from './apply.ports.js';
import type { DeltaSource } from '../kernel/delta-fetch.stage.js';
import type { SyncRunStore } from './sync-run.ports.js';

export type { DeltaPage };

/**
 * What the inbound engine needs from the outside world. Graph's gateway and the database
 * repositories implement these; the engine knows neither Graph's client nor SQL.
 */

export type Removal = 'changed' | 'deleted';

/**
 * The stores one unit of work uses (one database session each time they are asked for): the
 * composition root builds them over gateways/db.
 */
export interface InboundStores {
  hr: HrSyncStore;
  runs: SyncRunStore;
  mirror: DirectoryMirror;
  channels: ChannelStore;
}

/** A user as the directory reported it in a delta round. */
export interface DirectoryUserChange {
  id: string;
  properties: Record<string, unknown>;
  removed?: Removal;
  /** The manager's id, null when removed, absent when the page did not mention it. */
  managerId?: string | null;
}

export interface DirectoryGroupChange {
  id: string;
  displayName?: string | null;
  removed?: Removal;
  membersAdded: Array<{ id: string; type: 'user' | 'group' | 'other' }>;
  membersRemoved: Array<{ id: string; type: 'user' | 'group' | 'other' }>;
}

/** Reading the directory (Microsoft Graph). A stale cursor fails with an error the FailureClassifier calls cursor-invalid. */
export interface DirectoryReader extends DeltaSource {
  userChanges(cursor: string | null, properties: readonly string[]): AsyncIterable<DeltaPage<DirectoryUserChange>>;
  groupChanges(cursor: string | null): AsyncIterable<DeltaPage<DirectoryGroupChange>>;
  /** One user read directly, for "sync this user now"; null when it does not exist. */
  user(id: string, properties: readonly string[]): Promise<DirectoryUserChange | null>;
}

/** The directory's delta streams: the inbound channel's cursors are kept under these names. */
export type DirectoryStream = 'users' | 'groups';

/** The mirror of the directory (gateways/db). */
export interface DirectoryMirror {
  hasUser(entraId: string): Promise<boolean>;
  /** How many mirrored users an apply over this range will look at (the run's progress total). */
  countUsers(range: ApplyRange): Promise<number>;
  /** Stores a page of changes and, in the same transaction, the cursor that follows it. */
  /** `next` null: a user read directly, outside any round (the cursor stays as it is). */
  storeUsers(items: DirectoryUserChange[], next: StreamCursor | null): Promise<void>;
  storeGroups(items: DirectoryGroupChange[], next: StreamCursor): Promise<void>;
  /** After a full round: whatever it did not see is gone. */
  finishFullRound(stream: DirectoryStream, round: number): Promise<void>;
}

/**
 * What bounds every directory call made for one run: its stop signal (a cancel, the time limit or a
 * shutdown aborts the call in flight) and its budget of time spent waiting for throttling.
 */
export interface RunCallScope {
  signal: AbortSignal;
  throttle: ThrottleBudget;
}

/** The run's total wait for Graph's Retry-After (and back-off), across all its requests. */
export interface ThrottleBudget {
  limitMs: number;
  waitedMs: number;
  /** Set when a request gave up because its next wait would cross `limitMs`. */
  exhausted: boolean;
}

/** Runs `work` so that every directory call it makes honours `scope` (the Graph gateway's call scope). */
export type RunScopeRunner = <T>(scope: RunCallScope, work: () => Promise<T>) => Promise<T>;
