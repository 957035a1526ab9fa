/*
 * Groups -> roles (domain rules, section 5).
 *
 * Model (the one suggested by 5.5, made precise):
 * - Nothing is synced when role sync is off (5.1) or the user has an employee profile (5.2).
 * - D = the roles that the user's synced groups map to now, minus protected roles (5.3).
 * - If every role in D is held, nothing changes. Leaving a group therefore never removes its
 *   role (5.5 c), and a group dropped from the mapping leaves its roles as ordinary ones (5.4).
 * - Otherwise each missing role r of D is classified:
 *   - "removed in HR": the previous run already mapped r for this user, so someone took it away
 *     by hand; the roles are reset to exactly D, protected roles kept (5.5 d). A reset wins
 *     over every other classification in the same run.
 *   - "mapping changed": a group that maps r now mapped other roles to this user at the previous
 *     run; those old roles are swapped for r (5.5 e), unless D still needs them.
 *   - otherwise "new" (new membership or new mapping): r is added.
 * - The run returns what it mapped (group -> roles, for the user's groups only) for the caller to
 *   persist and pass back as `previous` next time. Keeping it per user, rather than the global
 *   mapping of the previous run, also tells a new member of a re-mapped group (add) from an old
 *   member (swap). A run that syncs nothing remembers nothing, so the first run after role sync is
 *   switched on again only adds (5.5 b).
 */

export type RoleId = string;
export type GroupId = string;

/** Synced group -> the HR roles it grants. */
export type RoleMapping = Readonly<Record<GroupId, readonly RoleId[]>>;

/** What one run mapped for one user (same shape as a mapping, restricted to the user's groups). */
export type RoleSyncMemory = RoleMapping;

export interface RolePolicyInput {
  readonly roleSyncEnabled: boolean;
  readonly hasEmployeeProfile: boolean;
  /** Synced groups the user is a member of now. */
  readonly groups: readonly GroupId[];
  /** Roles the user holds now. */
  readonly roles: readonly RoleId[];
  /** The group -> role mapping now. */
  readonly mapping: RoleMapping;
  /** What the previous run mapped for this user; null when no previous run synced its roles. */
  readonly previous: RoleSyncMemory | null;
  readonly protectedRoles: readonly RoleId[];
}

export type RoleChangeReason = 'mapped-role-added' | 'mapping-changed' | 'reset-after-removal-in-hr';

export interface RoleChange {
  readonly role: RoleId;
  readonly action: 'add' | 'remove';
  readonly reason: RoleChangeReason;
  readonly text: string;
}

export type RolePolicyOutcome = 'role-sync-disabled' | 'employee-profile' | 'in-sync' | 'updated';

export interface RolePolicyResult {
  readonly outcome: RolePolicyOutcome;
  readonly roles: readonly RoleId[];
  readonly changes: readonly RoleChange[];
  /** Persist this and pass it back as `previous` on the next run. */
  readonly remember: RoleSyncMemory | null;
}

export function decideRoles(input: RolePolicyInput): RolePolicyResult {
  if (!input.roleSyncEnabled) return unchanged(input, 'role-sync-disabled', null);
  if (input.hasEmployeeProfile) return unchanged(input, 'employee-profile', null);

  const isProtected = (role: RoleId) => input.protectedRoles.includes(role);
  const remember = mappedForUser(input.groups, input.mapping, isProtected);
  const desired = unique(Object.values(remember).flat());
  const missing = desired.filter((role) => !input.roles.includes(role));
  if (missing.length === 0) return unchanged(input, 'in-sync', remember);

  const previous = input.previous ?? {};
  const previouslyMapped = new Set(Object.values(previous).flat());
  const removedInHr = missing.filter((role) => previouslyMapped.has(role));
  if (removedInHr.length > 0) return reset(input, desired, missing, removedInHr, isProtected, remember);

  const changes: RoleChange[] = [];
  for (const role of missing) {
    const swaps = mappingChanges(role, remember, previous);
    if (swaps.length === 0) {
      const granting = Object.entries(remember)
        .filter(([, roles]) => roles.includes(role))
        .map(([group]) => group);
      const text = `Role "${role}" added: the user is in group ${quoteList(granting)}, which maps to it (rule 5.1).`;
      changes.push({ role, action: 'add', reason: 'mapped-role-added', text });
      continue;
    }
    const oldRoles = unique(swaps.flatMap(([, gone]) => gone));
    const text = `Role "${role}" replaces ${quoteList(oldRoles)}: the mapping of group ${quoteList(swaps.map(([group]) => group))} changed (rule 5.5 e).`;
    changes.push({ role, action: 'add', reason: 'mapping-changed', text });
    for (const old of oldRoles) {
      // The old role goes only if this user holds it, no group still grants it, and it is not protected (5.3);
      // once, when several new roles replace it (a change naming it can only be its removal: it is not desired).
      const removable = input.roles.includes(old) && !desired.includes(old) && !isProtected(old);
      if (removable && !changes.some((c) => c.role === old))
        changes.push({ role: old, action: 'remove', reason: 'mapping-changed', text });
    }
  }
  return { outcome: 'updated', roles: applyChanges(input.roles, changes), changes, remember };
}

function reset(
  input: RolePolicyInput,
  desired: readonly RoleId[],
  missing: readonly RoleId[],
  removedInHr: readonly RoleId[],
  isProtected: (role: RoleId) => boolean,
  remember: RoleSyncMemory,
): RolePolicyResult {
  const text = `Roles reset to the mapped roles: ${quoteList(removedInHr)} had been removed in HR although still mapped (rule 5.5 d).`;
  const reason: RoleChangeReason = 'reset-after-removal-in-hr';
  const changes: RoleChange[] = [
    ...missing.map((role) => ({ role, action: 'add' as const, reason, text })),
    ...input.roles
      .filter((role) => !desired.includes(role) && !isProtected(role))
      .map((role) => ({ role, action: 'remove' as const, reason, text })),
  ];
  return { outcome: 'updated', roles: applyChanges(input.roles, changes), changes, remember };
}

/**
 * The user's groups that map `role` now but mapped other roles to this user at the previous run,
 * each with those roles it maps no more.
 */
function mappingChanges(role: RoleId, now: RoleSyncMemory, previous: RoleSyncMemory): [GroupId, RoleId[]][] {
  return Object.entries(now).flatMap(([group, mappedNow]): [GroupId, RoleId[]][] => {
    const before = Object.hasOwn(previous, group) ? previous[group]! : [];
    const gone = before.filter((old) => !mappedNow.includes(old));
    return mappedNow.includes(role) && gone.length > 0 ? [[group, gone]] : [];
  });
}

function mappedForUser(
  groups: readonly GroupId[],
  mapping: RoleMapping,
  isProtected: (role: RoleId) => boolean,
): RoleSyncMemory {
  const mapped: Record<GroupId, RoleId[]> = {};
  for (const group of unique(groups)) {
    if (Object.hasOwn(mapping, group)) mapped[group] = unique(mapping[group]!.filter((role) => !isProtected(role)));
  }
  return mapped;
}

function unchanged(
  input: RolePolicyInput,
  outcome: RolePolicyOutcome,
  remember: RoleSyncMemory | null,
): RolePolicyResult {
  return { outcome, roles: [...input.roles], changes: [], remember };
}

/** The roles after the changes: those held, in order, without the removed ones, then the added ones. */
function applyChanges(roles: readonly RoleId[], changes: readonly RoleChange[]): RoleId[] {
  const after = new Set(roles);
  for (const change of changes) {
    if (change.action === 'add') after.add(change.role);
    else after.delete(change.role);
  }
  return [...after];
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function quoteList(values: readonly string[]): string {
  return values.map((value) => `"${value}"`).join(', ');
}

export type RoleMappingErrorCode = 'protected-role' | 'unknown-role';

export interface RoleMappingError {
  readonly code: RoleMappingErrorCode;
  readonly group: GroupId;
  readonly role: RoleId;
  readonly message: string;
}

export type RoleMappingValidation =
  { readonly ok: true } | { readonly ok: false; readonly errors: readonly RoleMappingError[] };

export interface RoleMappingRules {
  readonly protectedRoles: readonly RoleId[];
  /** The roles that exist in HR; when given, a mapping to any other role is refused. */
  readonly knownRoles?: readonly RoleId[];
}

/**
 * Checks a proposed mapping before it is saved (the admin API answers 400 with these errors).
 * Mapping a group to a protected role is refused so that role sync can never grant or take away
 * administrator access (rule 5.3); decideRoles ignores such a role anyway, as a second line.
 */
export function validateRoleMapping(mapping: RoleMapping, rules: RoleMappingRules): RoleMappingValidation {
  const errors: RoleMappingError[] = [];
  for (const [group, roles] of Object.entries(mapping)) {
    for (const role of unique(roles)) {
      if (rules.protectedRoles.includes(role)) {
        const message = `Group "${group}" cannot be mapped to role "${role}": it is a protected (administrator) role, which role sync never adds or removes (rule 5.3).`;
        errors.push({ code: 'protected-role', group, role, message });
      } else if (rules.knownRoles !== undefined && !rules.knownRoles.includes(role)) {
        const message = `Group "${group}" cannot be mapped to role "${role}": no such role exists in HR.`;
        errors.push({ code: 'unknown-role', group, role, message });
      }
    }
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}
