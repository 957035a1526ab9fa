/*
 * The account status of an HR user (rules 3.1-3.4, 3.6). Users are deactivated, never deleted.
 */

export type NeverSyncedPolicy = 'leave-alone' | 'deactivate';
export const DEFAULT_NEVER_SYNCED_POLICY: NeverSyncedPolicy = 'leave-alone';

export interface AccountStatusInput {
  /** The Entra user is a member of a synced group now (as the settings stand now, 3.4). */
  readonly inSyncedGroup: boolean;
  readonly deletedInEntra: boolean;
  readonly disabledInEntra: boolean;
  /** The HR user is active now. */
  readonly active: boolean;
  /** The HR user was ever created or matched by the sync. */
  readonly everSynced: boolean;
  readonly neverSyncedPolicy?: NeverSyncedPolicy;
  /** The HR user's employee profile is archived (3.5, see employment.ts). */
  readonly employeeArchived?: boolean;
}

/** Why an account is deactivated. */
export type DeactivationReason =
  'deleted-in-entra' | 'disabled-in-entra' | 'left-synced-groups' | 'not-in-synced-group' | 'employee-archived';
/** Why an account is left as it is. */
export type NoChangeReason = 'already-inactive' | 'still-in-synced-group' | 'never-synced';
export type AccountStatusReason = DeactivationReason | NoChangeReason | 'back-in-synced-group';

export type AccountStatusDecision =
  | { readonly action: 'deactivate'; readonly reason: DeactivationReason }
  | { readonly action: 'reactivate'; readonly reason: 'back-in-synced-group' }
  | { readonly action: 'none'; readonly reason: NoChangeReason };

export function decideAccountStatus(input: AccountStatusInput): AccountStatusDecision {
  const policy = input.neverSyncedPolicy ?? DEFAULT_NEVER_SYNCED_POLICY;
  // An archived employee's account is deactivated whatever Entra says, synced or not (3.5).
  if (input.employeeArchived === true) {
    return input.active
      ? { action: 'deactivate', reason: 'employee-archived' }
      : { action: 'none', reason: 'already-inactive' };
  }
  // A never-synced user found in a synced group is being matched now, so the usual rules apply;
  // otherwise it is left alone unless Entra is the only source of truth (3.3).
  if (!input.everSynced && !input.inSyncedGroup && policy === 'leave-alone')
    return { action: 'none', reason: 'never-synced' };

  const goneReason = reasonToBeInactive(input);
  if (goneReason !== undefined) {
    return input.active ? { action: 'deactivate', reason: goneReason } : { action: 'none', reason: 'already-inactive' };
  }
  // Back in a synced group, also after a deactivation by hand in HR (3.2).
  return input.active
    ? { action: 'none', reason: 'still-in-synced-group' }
    : { action: 'reactivate', reason: 'back-in-synced-group' };
}

function reasonToBeInactive(input: AccountStatusInput): DeactivationReason | undefined {
  if (input.deletedInEntra) return 'deleted-in-entra';
  if (input.disabledInEntra) return 'disabled-in-entra';
  if (!input.inSyncedGroup) return input.everSynced ? 'left-synced-groups' : 'not-in-synced-group';
  return undefined;
}

export interface HeldDeactivationInput extends AccountStatusInput {
  /** The HR user holds a protected role (never deactivated for the never-synced policy, 3.3 and 5.3). */
  readonly protectedRole: boolean;
}

export type HeldDeactivationCheck =
  | { readonly due: true; readonly reason: AccountStatusReason }
  | { readonly due: false; readonly reason: AccountStatusReason | 'protected-role'; readonly text: string };

const NOT_DUE_TEXT: Readonly<Record<Exclude<AccountStatusReason, DeactivationReason>, string>> = {
  'still-in-synced-group': 'the Entra user is in a synced group again (rule 3.2)',
  'back-in-synced-group': 'the Entra user is in a synced group again (rule 3.2)',
  'already-inactive': 'the HR user is already inactive',
  'never-synced': 'the HR user is not managed by the sync under the current settings (rule 3.3)',
};

/**
 * Rules 3.6 and 3.2 together: a held run waits, and meanwhile people may come back. When an admin
 * confirms, each held deactivation is decided again on what the directory mirror and the settings
 * say now; only those still due are applied, the others are reported with the reason.
 */
export function recheckHeldDeactivation(input: HeldDeactivationInput): HeldDeactivationCheck {
  if (!input.everSynced && input.protectedRole && input.employeeArchived !== true) {
    return {
      due: false,
      reason: 'protected-role',
      text: 'Not deactivated at confirm: the HR user holds a protected role, which the never-synced policy never deactivates.',
    };
  }
  const decision = decideAccountStatus(input);
  if (decision.action === 'deactivate') return { due: true, reason: decision.reason };
  return { due: false, reason: decision.reason, text: `Not deactivated at confirm: ${NOT_DUE_TEXT[decision.reason]}.` };
}

export interface MassDeactivationInput {
  /**
   * Active HR users before the run that it could deactivate: the synced ones, plus the
   * never-synced ones when the policy is 'deactivate' (switching that policy on is a mass event too).
   */
  readonly activeUsers: number;
  /** How many of them the run would deactivate. */
  readonly toDeactivate: number;
  /** The share above which the run holds; 0.10 by default. */
  readonly threshold?: number;
  /** The run holds only when it would deactivate more than this many users; 1 by default. */
  readonly minimumCount?: number;
  /** An admin confirmed this run's deactivations. */
  readonly confirmed?: boolean;
}

export type MassDeactivationDecision =
  | { readonly decision: 'proceed'; readonly reason: 'within-threshold' | 'confirmed-by-admin' }
  | { readonly decision: 'hold'; readonly reason: 'above-threshold'; readonly text: string };

export const DEFAULT_MASS_DEACTIVATION_THRESHOLD = 0.1;
export const DEFAULT_MASS_DEACTIVATION_MINIMUM = 1;

/**
 * The guard of 3.6. A run holds when it would deactivate more than `threshold` of the active
 * synced users AND more than `minimumCount` users. The minimum keeps small tenants working: one
 * person leaving a team of five is 20% but ordinary, so a single deactivation never holds; two or
 * more above the share do. A share exactly at the threshold proceeds ("more than"). A count
 * larger than the base (which the caller should not produce) counts as 100%. A run that would
 * deactivate half of four or more users holds; half of two or three is one user and proceeds.
 */
export function decideMassDeactivation(input: MassDeactivationInput): MassDeactivationDecision {
  const threshold = input.threshold ?? DEFAULT_MASS_DEACTIVATION_THRESHOLD;
  const minimum = input.minimumCount ?? DEFAULT_MASS_DEACTIVATION_MINIMUM;
  assertCount(input.activeUsers, 'activeUsers');
  assertCount(input.toDeactivate, 'toDeactivate');
  assertCount(minimum, 'minimumCount');
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold must be between 0 and 1, got ${threshold}`);

  // Division rather than threshold * base: 0.29 * 100 is 28.999…, 29 / 100 is exactly 0.29. With no
  // active users the share is Infinity, capped to 100%; nothing to deactivate is never above the minimum.
  const share = Math.min(1, input.toDeactivate / input.activeUsers);
  if (share <= threshold || input.toDeactivate <= minimum) return { decision: 'proceed', reason: 'within-threshold' };
  if (input.confirmed === true) return { decision: 'proceed', reason: 'confirmed-by-admin' };
  const percent = (value: number) => `${Math.round(value * 1000) / 10}%`;
  const text =
    `The run would deactivate ${input.toDeactivate} of ${input.activeUsers} active users ` +
    `(${percent(share)}, above ${percent(threshold)}); it waits for an admin to confirm (rule 3.6).`;
  return { decision: 'hold', reason: 'above-threshold', text };
}

function assertCount(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}
