import type { FieldOwners } from '../../domain/ownership.js';
import type { CustomAttributeMapping } from '../../domain/attribute-mapping.js';
import type { NeverSyncedPolicy } from '../../domain/deactivation.js';
import type { RoleMapping, RoleSyncMemory } from '../../domain/role-policy.js';
import type { UserSource } from '../../domain/user-source.js';

/** The settings one run applies, read once at its start. */
export interface RunSettings {
  syncedGroupIds: string[];
  followNestedGroups: boolean;
  neverSyncedPolicy: NeverSyncedPolicy;
  guardThreshold: number;
  roleSync: boolean;
  attributeMapping: CustomAttributeMapping[];
  fieldOwners: FieldOwners;
  /** Entra group id -> HR role ids. */
  roleMapping: RoleMapping;
  protectedRoleIds: string[];
  /** Role id -> name, so outcomes speak of roles by name. */
  roleNames: Record<string, string>;
  /** Which source owns HR users (docs/rules.md 7.5): under 'both' the run leaves the users a push provisioned alone. */
  userSource: UserSource;
}

/** A mirrored Entra user with what the apply stage needs around it. */
export interface MirrorUser {
  entraId: string;
  properties: Record<string, unknown>;
  removed: string | null;
  manager: { id: string; mail: string | null; employeeId: string | null } | null;
  /** The synced and role-mapped groups the user belongs to (through nested groups when they are followed). */
  groups: string[];
}

/** An HR user that may be the same person as an incoming Entra user. */
export interface HrCandidate {
  id: string;
  email: string;
  entraId: string | null;
  active: boolean;
  origin: string;
  hasEmployeeProfile: boolean;
  employeeArchived: boolean;
  roleIds: string[];
  roleSyncState: RoleSyncMemory | null;
  /** Current values by HR field name (built-in fields and custom fields as `custom.<key>`). */
  values: Record<string, string | boolean | null>;
  /** By HR field, the Entra value HR kept its own value over at the match (rule 2.8). */
  kept: Record<string, string | boolean | null>;
}

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

export type Outcome = 'created' | 'updated' | 'deactivated' | 'reactivated' | 'skipped' | 'failed';

export interface UserOutcome {
  hrUserId: string | null;
  entraId: string | null;
  email: string | null;
  outcome: Outcome;
  changes: FieldChange[];
  reason: string | null;
}

export interface NewUserRow {
  entraId: string;
  email: string;
  values: Record<string, string | boolean | null>;
  custom: Record<string, string | null>;
  roleIds: string[];
  roleSyncState: RoleSyncMemory | null;
}

export interface UserUpdateRow {
  id: string;
  /** Columns to set, by HR field name; custom fields as `custom.<key>`. */
  values: Record<string, string | boolean | null>;
  linkEntraId: string | null;
  reactivate: boolean;
  roleSyncState: RoleSyncMemory | null | undefined;
  /** The new memory of kept HR values (rule 2.8); undefined when it did not change. */
  kept: Record<string, string | boolean | null> | undefined;
}

/** Everything one page of users changes, written in one transaction. */
export interface PagePlan {
  creates: NewUserRow[];
  updates: UserUpdateRow[];
  roleGrants: Array<{ hrUserId: string; roleId: string }>;
  roleRevokes: Array<{ hrUserId: string; roleId: string }>;
  deactivations: Array<{ hrUserId: string; entraId: string | null; email: string; reason: string }>;
  outcomes: UserOutcome[];
}

/** The range of mirror changes one apply looks at. */
export interface ApplyRange {
  afterSeq: number;
  uptoSeq: number;
  all: boolean;
  onlyIds?: string[];
  /**
   * A window applied while the users are still being read: only users whose manager, if they have
   * one, is already in the mirror (the others wait for the pass after the read).
   */
  managerInMirror?: boolean;
  /**
   * The pass after windows (read-while-applying.ts): the ends of the windows that applied, ascending,
   * the first starting at afterSeq. It skips the users a window applied with their manager in the
   * mirror and unchanged since (stored no later than that window's end).
   */
  windowEnds?: readonly number[];
}

/**
 * Where the inbound engine reads and writes HR (gateways/db): the settings of a run, the apply
 * stage's pages and plans, and the marks of what has been applied. One query per page, never per user.
 */
export interface HrSyncStore {
  runSettings(): Promise<RunSettings>;
  /** The mirror's change sequence applied so far and now, and the fingerprint of the last apply's settings. */
  applyState(): Promise<{ appliedSeq: number; currentSeq: number; fingerprint: string | null }>;
  markApplied(seq: number, fingerprint: string, full: boolean): Promise<void>;
  /** Rule 3.2: marks changed the inactive HR users in a synced group again; how many. */
  markDueReactivations(syncedGroupIds: string[], nested: boolean): Promise<number>;
  /** The groups that matter to a run, each with the groups nested in it when they are followed. */
  groupClosure(roots: string[], nested: boolean): Promise<Array<{ root: string; group: string }>>;
  /** A page of mirror users changed in the range, keyset-paged by id. */
  changedUsers(
    q: ApplyRange & { afterId: string; limit: number; closure: Array<{ root: string; group: string }> },
  ): Promise<MirrorUser[]>;
  /** HR users that may be the same people (by Entra id or e-mail). */
  candidates(entraIds: string[], emails: string[]): Promise<HrCandidate[]>;
  /** One page plan in one transaction; `apply` false records the outcomes only (a preview). */
  writePlan(plan: PagePlan, runId: string, apply: boolean): Promise<UserOutcome[]>;
  /**
   * HR users linked to Entra users no synced group holds any more (after a full apply); with
   * `neverSynced`, HR users linked to none too (rule 3.3), except, with `sparePushed`, those a SCIM
   * push provisions (userSource both, docs/rules.md 7.5).
   */
  queueOrphanDeactivations(runId: string, neverSynced: boolean, write: boolean, sparePushed: boolean): Promise<void>;
  resolveManagers(everyone: boolean): Promise<number>;
}
