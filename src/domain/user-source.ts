/*
 * Which source owns HR users (docs/rules.md section 7.5): the Graph sync that pulls from Entra,
 * the pushes of Entra's provisioning service over SCIM, or both. One setting decides, so the two
 * never fight over a user:
 * - 'pull' (the default): the Graph sync owns users; SCIM answers reads and refuses writes.
 * - 'push': SCIM owns users; the Graph sync does not run.
 * - 'both': both run, and the Graph sync wins for the users it has linked to an Entra object
 *   (rule 2.2): a push to such a user keeps only what SCIM itself needs (its userName, externalId and
 *   the attributes HR has no field for), while fields, account status and roles stay the sync's.
 *   Every other user is the push's; the Graph sync leaves users the push wrote alone unless it
 *   matches them by e-mail in a synced group, which links them and makes them its own.
 */

export const USER_SOURCES = ['pull', 'push', 'both'] as const;
export type UserSource = (typeof USER_SOURCES)[number];
export const DEFAULT_USER_SOURCE: UserSource = 'pull';

/** What a push may change of one HR user. */
export type PushAccess = 'refused' | 'identity-only' | 'full';

export function pushAccess(source: UserSource, user: { linkedByPull: boolean } | null): PushAccess {
  if (source === 'pull') return 'refused';
  if (source === 'both' && user?.linkedByPull) return 'identity-only';
  return 'full';
}

/** Whether the Graph sync runs (scheduled, sync now, previews). */
export function pullRuns(source: UserSource): boolean {
  return source !== 'push';
}

export const PUSH_REFUSED =
  'This HR system takes its users from the Graph sync (setting userSource = pull), so SCIM changes nothing: an administrator sets userSource to push or both (PATCH /api/admin/settings) to accept pushes (docs/rules.md section 7.5)';
export const PULL_REFUSED =
  'This HR system takes its users from SCIM pushes (setting userSource = push), so the Graph sync does not run: set userSource to pull or both to run it (docs/rules.md section 7.5)';

/** Why a push deactivates or reactivates a user (rules 7.3, 3.5). */
export type PushedStatusReason = 'inactive-in-provisioning' | 'deleted-in-provisioning' | 'employee-archived';

export type PushedStatusDecision =
  | { readonly action: 'deactivate'; readonly reason: PushedStatusReason }
  | { readonly action: 'reactivate' }
  | { readonly action: 'none' };

/**
 * The account status after a push: `active: false` deactivates (rule 7.3), a DELETE too (never
 * deleted), `active: true` reactivates, except an archived employee, who stays inactive (rule 3.5).
 */
export function decidePushedStatus(input: {
  readonly active: boolean;
  /** What the push says: true, false, or deleted (a DELETE). */
  readonly pushed: boolean | 'deleted';
  readonly employeeArchived: boolean;
}): PushedStatusDecision {
  if (input.pushed === 'deleted')
    return input.active ? { action: 'deactivate', reason: 'deleted-in-provisioning' } : { action: 'none' };
  if (input.pushed === false)
    return input.active ? { action: 'deactivate', reason: 'inactive-in-provisioning' } : { action: 'none' };
  if (input.employeeArchived)
    return input.active ? { action: 'deactivate', reason: 'employee-archived' } : { action: 'none' };
  return input.active ? { action: 'none' } : { action: 'reactivate' };
}
