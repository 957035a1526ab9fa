import { applyAttributeMapping, type MappedHrUser } from '../../domain/attribute-mapping.js';
import { decideAccountStatus } from '../../domain/deactivation.js';
import { SYNCED_HR_FIELDS } from '../../domain/hr-field.catalogue.js';
import { matchEntraUsers, type MatchResult } from '../../domain/matching.js';
import { decideFieldUpdates, type FieldValue } from '../../domain/ownership.js';
import { decideRoles, type RolePolicyResult } from '../../domain/role-policy.js';
import { decideUserCreation } from '../../domain/user-creation.js';
import type { HrCandidate, MirrorUser, PagePlan, RunSettings, UserOutcome } from './apply.ports.js';

/**
 * Decides what one page of mirrored Entra users changes in HR, using the domain rules only. No
 * I/O: the caller loads the page and its HR candidates, and writes the plan in one transaction.
 */
export function planUserPage(
  users: readonly MirrorUser[],
  candidates: readonly HrCandidate[],
  settings: RunSettings,
): PagePlan {
  const plan: PagePlan = { creates: [], updates: [], roleGrants: [], roleRevokes: [], deactivations: [], outcomes: [] };
  const synced = new Set(settings.syncedGroupIds);
  const mapped = users.map((u) =>
    applyAttributeMapping(
      { ...u.properties, id: u.entraId, ...(u.manager ? { manager: u.manager } : {}) },
      settings.attributeMapping,
    ),
  );
  const matches = matchEntraUsers(
    users.map((u, i) => ({ entraId: u.entraId, email: mapped[i]!.fields.email })),
    candidates.map((c) => ({ hrUserId: c.id, email: c.email, entraId: c.entraId })),
  );
  const byId = new Map(candidates.map((c) => [c.id, c]));
  users.forEach((user, i) => {
    const inSyncedGroup = user.groups.some((g) => synced.has(g));
    planOne(plan, { user, mapped: mapped[i]!, match: matches[i]!, inSyncedGroup, byId, settings });
  });
  return plan;
}

interface One {
  user: MirrorUser;
  mapped: MappedHrUser;
  match: MatchResult;
  inSyncedGroup: boolean;
  byId: Map<string, HrCandidate>;
  settings: RunSettings;
}

function planOne(plan: PagePlan, one: One): void {
  const { user, mapped, match, inSyncedGroup, settings } = one;
  const email = mapped.fields.email;
  const gone = user.removed !== null;
  const disabled = mapped.fields.active === false;
  if (match.kind === 'conflict') {
    if (inSyncedGroup) plan.outcomes.push(outcome(null, user.entraId, email, 'skipped', match.text));
    return;
  }
  if (match.kind === 'new') {
    if (inSyncedGroup && !gone && !disabled) planCreate(plan, one);
    return;
  }
  // An HR user with the same e-mail is linked only when the Entra user is in a synced group.
  if (match.kind === 'matched-by-email' && !inSyncedGroup) return;
  const candidate = one.byId.get(match.hrUserId)!;
  const firstMatch = match.kind === 'matched-by-email';
  const status = decideAccountStatus({
    inSyncedGroup,
    deletedInEntra: gone,
    disabledInEntra: disabled,
    active: candidate.active,
    // Linked, or being linked now in a synced group: never-synced HR users (rule 3.3) are not on a page.
    everSynced: true,
    employeeArchived: candidate.employeeArchived,
  });
  const fields = gone
    ? { writes: [], kept: candidate.kept }
    : decideFieldUpdates({
        hasEmployeeProfile: candidate.hasEmployeeProfile,
        firstMatch,
        incoming: incomingValues(mapped),
        current: candidate.values,
        owners: settings.fieldOwners,
        kept: candidate.kept,
      });
  const roles = gone || !inSyncedGroup ? null : rolesFor(user, candidate, settings);
  const changes = fields.writes.map((w) => ({ field: w.field, old: w.from, new: w.to }));
  if (firstMatch) changes.unshift({ field: 'entraId', old: null, new: user.entraId });
  for (const change of roles?.changes ?? []) {
    changes.push({
      field: 'roles',
      old: change.action === 'remove' ? roleName(settings, change.role) : null,
      new: change.action === 'add' ? roleName(settings, change.role) : null,
    });
    (change.action === 'add' ? plan.roleGrants : plan.roleRevokes).push({
      hrUserId: candidate.id,
      roleId: change.role,
    });
  }
  const reactivate = status.action === 'reactivate';
  const rememberChanged = roles !== null && JSON.stringify(roles.remember) !== JSON.stringify(candidate.roleSyncState);
  const keptChanged = !sameRecord(fields.kept, candidate.kept);
  if (changes.length || reactivate || rememberChanged || keptChanged) {
    plan.updates.push({
      id: candidate.id,
      values: Object.fromEntries(fields.writes.map((w) => [w.field, w.to])),
      linkEntraId: firstMatch ? user.entraId : null,
      reactivate,
      roleSyncState: rememberChanged ? roles!.remember : undefined,
      kept: keptChanged ? { ...fields.kept } : undefined,
    });
  }
  if (reactivate)
    plan.outcomes.push(
      outcome(candidate.id, user.entraId, candidate.email, 'reactivated', status.reason, [
        ...changes,
        { field: 'active', old: false, new: true },
      ]),
    );
  else if (changes.length)
    plan.outcomes.push(outcome(candidate.id, user.entraId, candidate.email, 'updated', null, changes));
  if (status.action === 'deactivate')
    plan.deactivations.push({
      hrUserId: candidate.id,
      entraId: user.entraId,
      email: candidate.email,
      reason: status.reason,
    });
}

function planCreate(plan: PagePlan, one: One): void {
  const { user, mapped, settings } = one;
  const decision = decideUserCreation(mapped);
  if (!decision.create) {
    plan.outcomes.push(outcome(null, user.entraId, mapped.fields.email, 'skipped', decision.text));
    return;
  }
  const roles = rolesFor(user, { hasEmployeeProfile: false, roleIds: [], roleSyncState: null }, settings);
  const values = incomingValues(mapped);
  plan.creates.push({
    entraId: user.entraId,
    email: decision.user.fields.email,
    values: { ...values, displayName: decision.user.fields.displayName },
    custom: { ...mapped.custom },
    roleIds: [...roles.roles],
    roleSyncState: roles.remember,
  });
  const changes = Object.entries(values)
    .filter(([, v]) => v !== null)
    .map(([field, v]) => ({ field, old: null, new: v }));
  for (const role of roles.roles) changes.push({ field: 'roles', old: null, new: roleName(settings, role) });
  plan.outcomes.push(outcome(null, user.entraId, decision.user.fields.email, 'created', null, changes));
}

/** With role sync off the policy changes nothing and forgets its memory, so the first run after it is switched on again only adds (5.5 b). */
function rolesFor(
  user: MirrorUser,
  candidate: Pick<HrCandidate, 'hasEmployeeProfile' | 'roleIds' | 'roleSyncState'>,
  settings: RunSettings,
): RolePolicyResult {
  return decideRoles({
    roleSyncEnabled: settings.roleSync,
    hasEmployeeProfile: candidate.hasEmployeeProfile,
    groups: user.groups,
    roles: candidate.roleIds,
    mapping: settings.roleMapping,
    previous: candidate.roleSyncState,
    protectedRoles: settings.protectedRoleIds,
  });
}

/** The values Entra offers, by HR field: the synced built-in fields (rule 2.6) and every custom field. */
function incomingValues(mapped: MappedHrUser): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {};
  for (const field of SYNCED_HR_FIELDS) values[field] = mapped.fields[field];
  for (const [key, value] of Object.entries(mapped.custom)) values[`custom.${key}`] = value;
  return values;
}

function sameRecord(a: Readonly<Record<string, FieldValue>>, b: Readonly<Record<string, FieldValue>>): boolean {
  const keys = Object.keys(a);
  // A value is never undefined, so a key missing from b never compares equal.
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function roleName(settings: RunSettings, roleId: string): string {
  return settings.roleNames[roleId] ?? roleId;
}

function outcome(
  hrUserId: string | null,
  entraId: string,
  email: string | null,
  kind: UserOutcome['outcome'],
  reason: string | null,
  changes: UserOutcome['changes'] = [],
): UserOutcome {
  return { hrUserId, entraId, email, outcome: kind, changes, reason };
}
