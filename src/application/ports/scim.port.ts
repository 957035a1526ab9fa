import type { FieldOwners } from '../../domain/ownership.js';
import type { UserSource } from '../../domain/user-source.js';
import type { RoleSyncMemory } from '../../domain/role-policy.js';
import type { QueryPlan } from '../../scim/scim-filter.js';
import type { ScimGroupRecord } from '../../scim/scim-group.mapping.js';
import type { ScimUserRecord, ScimUserValues } from '../../scim/scim-user.mapping.js';
import type { Resource } from '../../scim/scim-resource.js';
import type { UserOutcome } from '../../sync/inbound/apply.ports.js';

export interface ScimPage<T> {
  total: number;
  items: T[];
}

/** What a write needs to know about an HR user, read under a row lock. */
export interface ScimUserState extends ScimUserRecord {
  email: string;
  /** Linked to an Entra object by the Graph sync (rule 2.2). */
  entraId: string | null;
  /** A SCIM push wrote it before (it has a userName of its own). */
  provisioned: boolean;
  hasEmployeeProfile: boolean;
  employeeArchived: boolean;
  /** Rule 2.8: by field, the pushed value HR kept its own over at the match. */
  kept: Record<string, string | boolean | null>;
  /** The settings the write decides by, read with the lock (integration settings fieldOwners, userSource). */
  owners: FieldOwners;
  userSource: UserSource;
  /** What this state was read from; a write given it happens only while none of it has changed. */
  stamp: string;
}

/**
 * HR users as SCIM reads them (src/gateways/db): every HR user but those a DELETE took out of
 * SCIM; filters arrive as query plans, never as SQL.
 */
export interface ScimUserReader {
  list(plan: QueryPlan | null, page: { startIndex: number; count: number }): Promise<ScimPage<ScimUserRecord>>;
  get(id: string): Promise<ScimUserRecord | null>;
  /** Locks the row until the transaction ends; null when SCIM does not show the user. */
  lock(id: string): Promise<ScimUserState | null>;
  /** The same without a lock, for a write that checks the stamp instead. */
  read(id: string): Promise<ScimUserState | null>;
  /**
   * The HR users a new push may be (rule 7.4): its userName compared with theirs, or its e-mail
   * with theirs, case-insensitively; locked, removed ones included (a DELETE never deleted them).
   */
  lockCandidates(userName: string, email: string): Promise<ScimUserState[]>;
  /** Which of these ids are users SCIM shows. */
  existing(ids: readonly string[]): Promise<string[]>;
}

/** The SCIM side of an HR user a push writes (its HR fields go through the HR user's own writes). */
export interface ScimIdentity {
  userName: string;
  externalId: string | null;
  attributes: Resource | null;
}

export interface ProvisionedUser extends ScimIdentity {
  email: string;
  fields: ScimUserValues;
  managerId: string | null;
  active: boolean;
  deactivatedReason: string | null;
}

/** What one push changes of an existing HR user; absent parts stay as they are. */
export interface ProvisionedChange {
  identity?: ScimIdentity;
  /** The changed HR fields only. */
  fields?: ScimUserValues;
  managerId?: string | null;
  /** The new memory of kept HR values (rule 2.8). */
  kept?: Record<string, string | boolean | null>;
  /** The new account status (rules 7.3, 3.5). */
  status?: { active: boolean; reason: string | null };
}

export interface ScimGroupMemberUser {
  id: string;
  email: string;
  entraId: string | null;
  hasEmployeeProfile: boolean;
  roleIds: string[];
  roleSyncState: RoleSyncMemory | null;
  /** The role-mapping keys of the pushed groups it is in. */
  groupKeys: string[];
}

/** Pushed groups and their members (src/gateways/db). */
export interface ScimGroupStore {
  list(
    plan: QueryPlan | null,
    page: { startIndex: number; count: number },
    withMembers: boolean,
  ): Promise<ScimPage<ScimGroupRecord>>;
  get(id: string, withMembers: boolean): Promise<ScimGroupRecord | null>;
  /** Locks the group until the transaction ends. */
  lock(id: string): Promise<ScimGroupRecord | null>;
  /** The new group's id; null when the name is taken (compared case-insensitively). */
  create(group: { displayName: string; externalId: string | null }): Promise<string | null>;
  /** 'taken' when another group has the name. */
  update(id: string, change: { displayName?: string; externalId?: string | null }): Promise<'updated' | 'taken'>;
  delete(id: string): Promise<void>;
  /** Adds members (present ones stay); the ids really added. */
  addMembers(id: string, userIds: readonly string[]): Promise<string[]>;
  /** Removes members; the ids really removed. */
  removeMembers(id: string, userIds: readonly string[]): Promise<string[]>;
  /** Removes every member; the ids removed. */
  clearMembers(id: string): Promise<string[]>;
  /** Drops a user from every pushed group (a DELETE took it out of SCIM); the groups it left. */
  leaveAll(userId: string): Promise<string[]>;
  /** A pushed group by its role-mapping key (its externalId in lower case, else its id). */
  findByKey(key: string): Promise<{ id: string; key: string; displayName: string } | null>;
  /** The members of the group of this key. */
  memberIdsByKey(key: string): Promise<string[]>;
  /** What role sync needs of these users, with the pushed groups they are in. */
  memberUsers(userIds: readonly string[]): Promise<ScimGroupMemberUser[]>;
}

/** Every change a SCIM request made, recorded like a sync run's outcomes (rule 8.1): one record per UTC day. */
export interface ScimHistory {
  record(outcomes: readonly UserOutcome[]): Promise<void>;
}
