import type { PendingChange } from '../../domain/write-back-changes.js';
import type { WriteBackValue } from '../../domain/write-back.js';

/**
 * What the write-back engine (HR -> Entra, docs/rules.md §4) needs: the outbox in the database
 * (WriteBackStore, gateways/db) and writes to the directory (UserWriter, the Graph user-writes
 * gateway). Both are declared here and built by the composition root.
 */

/** The settings a drain decides with, read at each round so a switch takes effect at once (rule 4.6). */
export interface WriteBackSettings {
  update: boolean;
  create: boolean;
  delete: boolean;
  /** The HR fields the admin permits (rule 4.1). */
  permittedFields: string[];
  /** The verified domain of new users' user principal names (rule 4.2); null: none chosen yet. */
  createDomain: string | null;
  /** The synced group a new user is added to (rule 4.2); null: none. */
  createGroupId: string | null;
}

/** What HR holds for a user to create in Entra (rule 4.2). */
export interface NewUserSource {
  email: string;
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
}

/** One HR user's pending changes, oldest first, with what HR and the directory mirror hold now. */
export interface PendingUser {
  /** Null when the HR user no longer exists. */
  hrUserId: string | null;
  /** The Entra user the HR user is linked to now. */
  entraId: string | null;
  email: string | null;
  changes: PendingChange[];
  /** The most attempts any of the changes has had. */
  attempts: number;
  /** The permitted fields' values HR holds now (the employee profile's when connected). */
  values: Record<string, WriteBackValue>;
  /** From the directory mirror: true synced from on-premises AD, false synced once, null cloud-only or unknown. */
  onPremisesSyncEnabled: boolean | null;
  /** The manager chosen in HR is not linked to an Entra user. */
  managerUnlinked: boolean;
  /** The HR user's own names and e-mail, for a creation; null when the HR user no longer exists. */
  person: NewUserSource | null;
  /**
   * A creation sent before whose answer never came back (the connection dropped, the service
   * stopped): what it was sent as, so the next attempt finds the user Graph may have created.
   */
  creating: CreationSent | null;
}

/** A creation on its way to Graph, recorded before the call (rule 4.2). */
export interface CreationSent {
  userPrincipalName: string;
  /** When it was sent (the database's clock). */
  at: Date;
}

/**
 * How a change ends up after a round: sent, skipped (nothing Entra could or should do, with the
 * reason), failed (Graph refused it; the admin can retry or discard), or retried later (Graph
 * was busy: still pending, not before `retryAfterMs`).
 */
export interface SettledChange {
  id: string;
  status: 'sent' | 'skipped' | 'failed' | 'retry';
  reason: string | null;
  errorCode?: string | null;
  errorStatus?: number | null;
  retryAfterMs?: number;
  /** What Entra answered that HR keeps (a created user's id, user principal name, mail). */
  result?: Record<string, unknown>;
}

export interface WriteBackStore {
  settings(): Promise<WriteBackSettings>;
  /** Rule 4.6: pending changes whose toggle is off now are cancelled; how many. */
  cancelSwitchedOff(settings: WriteBackSettings): Promise<number>;
  /** The pending changes of the first `users` HR users with a change due, every pending change of each. */
  due(users: number): Promise<PendingUser[]>;
  /** Counts an attempt before the call, committed, so a crash in the middle still shows it. */
  markAttempt(ids: readonly string[]): Promise<void>;
  settle(drainId: string, changes: readonly SettledChange[]): Promise<void>;
  /** Records, committed before POST /users, what a creation is sent as (see PendingUser.creating). */
  markCreating(ids: readonly string[], userPrincipalName: string): Promise<void>;
  /**
   * Rule 4.2: links the HR user to the Entra user created for it, and takes the mail (or, without
   * one, the user principal name) Entra assigned as its e-mail unless another HR user has it.
   */
  linkCreated(hrUserId: string, entraId: string, userPrincipalName: string, mail: string | null): Promise<void>;
  /** When the next pending change is due; null when none is pending. */
  nextDueAt(): Promise<Date | null>;
}

/** One write to the directory; `key` is the caller's, unique within one `write()`. */
export type DirectoryWrite =
  | { key: string; kind: 'update'; userId: string; properties: Record<string, unknown>; onPremisesSynced: boolean }
  | { key: string; kind: 'manager'; userId: string; managerId: string | null; onPremisesSynced: boolean }
  | { key: string; kind: 'delete'; userId: string; onPremisesSynced: boolean };

/** What Graph said about one write; a refusal carries the gateway's error for the error policy. */
export type DirectoryWriteResult = { key: string; ok: true } | DirectoryWriteFailure;

export interface DirectoryWriteFailure {
  key: string;
  ok: false;
  /** The failure as the admin sees it: Graph's status, code and message. */
  failure: { status: number | null; code: string; message: string; retryAfterMs?: number };
  /** The gateway's error, for FailurePolicy.decide (never inspected here). */
  error: unknown;
}

/** A user as the directory answered: its id and its properties as Entra spells them. */
export interface WrittenUser {
  id: string;
  properties: Record<string, unknown>;
}

export interface UserWriteOptions {
  /** The user is synced from on-premises AD, so the directory may refuse some properties. */
  onPremisesSynced?: boolean;
}

/**
 * Writing users in the directory (Microsoft Graph). Properties travel as Entra spells them; which
 * HR field maps to which property is decided before this port is called (src/domain/write-back.ts).
 */
export interface UserWriter {
  /** Many writes in `$batch` calls of 20; one result per write, in the order given, never a throw for one write. */
  write(writes: readonly DirectoryWrite[]): Promise<DirectoryWriteResult[]>;
  createUser(properties: Record<string, unknown>): Promise<WrittenUser>;
  /** The user with this user principal name, with its id, user principal name, mail and creation time; null when none. */
  findUser(userPrincipalName: string): Promise<WrittenUser | null>;
  /** POST /users as write-back sends it: Graph's refusal is an answer (keyed `create`), never a throw. */
  tryCreateUser(
    properties: Record<string, unknown>,
  ): Promise<{ user: WrittenUser } | { refused: DirectoryWriteFailure }>;
  /** Sends only the properties given. */
  updateUser(id: string, changes: Record<string, unknown>, options?: UserWriteOptions): Promise<void>;
  /** A soft delete; deleting a user that is already gone is not an error. */
  deleteUser(id: string): Promise<void>;
  /** Assigns the manager, or removes it with null (removing an absent manager is not an error). */
  setManager(id: string, managerId: string | null): Promise<void>;
  /** Adds a user to a group; a user already a member is not an error. */
  addGroupMember(groupId: string, userId: string): Promise<void>;
  /** The tenant's verified domain names, the default first. */
  verifiedDomains(): Promise<string[]>;
}
