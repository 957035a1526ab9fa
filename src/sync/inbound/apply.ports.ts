import type { FieldOwners } from '../../domain/ownership.js';
import type { CustomAttributeMapping } from '../../domain/attribute-mapping.js';
import type { NeverSyncedPolicy } from '../../domain/deactivation.js';
import type { RoleMapping, RoleSyncMemory } from '../../domain/role-policy.js';

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
