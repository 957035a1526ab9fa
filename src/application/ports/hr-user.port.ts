import type { ChangeOrigin } from '../../domain/change-origin.js';
import type { FieldOwners } from '../../domain/ownership.js';
import type { HrEditableField } from '../../domain/hr-field.catalogue.js';
import type { RoleSyncMemory } from '../../domain/role-policy.js';
import type { UserSource } from '../../domain/user-source.js';
import type { ScimUserRecord } from '../../scim/scim-user.mapping.js';
import type { UserOutcome } from '../../sync/inbound/apply.ports.js';
import type { ProvisionedChange, ProvisionedUser } from './scim.port.js';

/** A role as an HR user holds it. */
export interface HeldRole {
  id: string;
  name: string;
  protected: boolean;
}

export interface NewHrUserRecord {
  email: string;
  firstName: string;
  lastName: string;
  displayName: string;
}

/** What an admin's edit needs to know about the user, read under a row lock. */
export interface HrUserEditTarget {
  email: string;
  entraId: string | null;
  /** Every HR field as text, by field name. */
  fields: Record<string, string | null>;
  hasEmployeeProfile: boolean;
  owners: FieldOwners;
}

export interface HrUserFieldChange {
  fields: Partial<Record<HrEditableField, string | null>>;
  email?: string;
}

export interface HrUserStatus {
  id: string;
  email: string;
  active: boolean;
  deactivatedReason: string | null;
}

/**
 * The HR user aggregate (the user, its roles and its field sources): every change of an HR user
 * made by application code goes through these methods, inside the caller's transaction. Each takes
 * the origin of the change and records it with the time on the user (`last_change_origin`,
 * `last_changed_at`), and records HR's changes that Entra should hear of in write-back's outbox, in
 * the same transaction (docs/rules.md §4). The inbound sync's bulk writes (hr-sync.repository)
 * record 'entra' too, and nothing for the outbox.
 */
export interface HrUserRepository {
  /** The id, or null when the e-mail is taken (compared case-insensitively). */
  create(user: NewHrUserRecord, origin: ChangeOrigin): Promise<string | null>;
  /** Null when the user does not exist; locks the row until the transaction ends. */
  lockForEdit(id: string): Promise<HrUserEditTarget | null>;
  /**
   * Changed fields are marked as coming from the origin; 'email-taken' when another user has the
   * e-mail. HR's change of a permitted field of a linked user without an employee profile is
   * recorded for write-back (rule 4.1).
   */
  updateFields(id: string, change: HrUserFieldChange, origin: ChangeOrigin): Promise<'updated' | 'email-taken'>;
  /** Null when the user does not exist; locks the row until the transaction ends. */
  lockStatus(id: string): Promise<(HrUserStatus & { entraId: string | null }) | null>;
  setActive(id: string, active: boolean, reason: string | null, origin: ChangeOrigin): Promise<HrUserStatus>;
  /**
   * Rule 3.5: deactivates, with the reason 'employee-archived', the active users of the given ids,
   * or of every archived employee profile when no ids are given; how many it deactivated.
   */
  deactivateArchivedEmployees(origin: ChangeOrigin, ids?: readonly string[]): Promise<number>;
  /** Reactivates the user if an employee's archiving deactivated it and nothing else has since (rule 3.5). */
  reactivateUnarchivedEmployee(id: string, origin: ChangeOrigin): Promise<void>;
  /**
   * Deletes the HR user with its roles, tokens, sessions and calendars; its employee profile stays,
   * unconnected. HR's deletion of a user linked to Entra is recorded for write-back first, with the
   * Entra id (rule 4.3); the id of that change, or null when none was recorded.
   */
  delete(id: string, origin: ChangeOrigin): Promise<{ writeBackChangeId: string | null }>;
  /** Null when the user does not exist; locks the row (so its roles) until the transaction ends. */
  lockLink(id: string): Promise<{ id: string; entraId: string | null } | null>;
  /** Whether the user exists, holding it (share lock) until the transaction ends. */
  holdExisting(id: string): Promise<boolean>;
  roles(id: string): Promise<HeldRole[]>;
  changeRoles(id: string, change: { grant: string[]; revoke: string[] }, origin: ChangeOrigin): Promise<void>;
  /**
   * Whether an active user other than this one holds a protected role; serialised with every other
   * such check, so two admins cannot demote each other at once.
   */
  hasAnotherActiveAdministrator(exceptId: string): Promise<boolean>;
  /**
   * A user a SCIM push creates (rule 7.4), recorded in the SCIM history as `recorded` (whose user is
   * the new one), in one statement, and only while the userSource setting is one of `sources`; null
   * when nothing was created: the setting refuses, or its e-mail or userName is taken.
   */
  createProvisioned(
    user: ProvisionedUser,
    origin: ChangeOrigin,
    sources: readonly UserSource[],
    recorded: UserOutcome,
  ): Promise<ScimUserRecord | null>;
  /**
   * What a SCIM push changes of a user, with what it records in the SCIM history, in one statement;
   * the user as it is now, or 'taken' when its userName or e-mail is another user's. Given the stamp
   * of the state it was planned from (ScimUserState.stamp), it writes only if that state is still
   * the user's, and answers 'stale' otherwise.
   */
  writeProvisioned(
    id: string,
    change: ProvisionedChange,
    origin: ChangeOrigin,
    recorded: readonly UserOutcome[],
    stamp?: string,
  ): Promise<ScimUserRecord | 'taken' | 'stale'>;
  /** A SCIM DELETE: SCIM stops showing the user and its pushed group memberships end; HR keeps it. */
  removeFromProvisioning(id: string, origin: ChangeOrigin): Promise<void>;
  /** Role sync's decisions for many users at once: grants, revokes, and each one's memory (rule 5.5). */
  applyRoleDecisions(
    rows: ReadonlyArray<{ id: string; grant: string[]; revoke: string[]; roleSyncState: RoleSyncMemory | null }>,
    origin: ChangeOrigin,
  ): Promise<void>;
  /** The bootstrap administrator by e-mail, created when missing, given the "Administrator" role; the roles newly granted. */
  ensureAdministrator(
    user: NewHrUserRecord,
    origin: ChangeOrigin,
  ): Promise<{ id: string; granted: Array<{ name: string }> }>;
}

/** The directory mirror, as far as the admin API touches it. */
export interface DirectoryChanges {
  /**
   * The next incremental run looks at these Entra users again, although nothing changed in Entra
   * (an HR admin changed something the run decides on: the account status, the roles).
   */
  markUsersChanged(entraIds: string[]): Promise<void>;
}
