/*
 * Coalescing (docs/rules.md#4-write-back-to-entra): the changes waiting for one HR user become at
 * most one piece of work for Entra, whatever their number. A deletion makes the rest moot; a
 * creation for a user already linked to Entra has nothing left to do; several updates are one
 * update of the union of their fields (the engine reads the values when it sends them).
 */

export type ChangeAction = 'update' | 'create' | 'delete';

export interface PendingChange {
  readonly id: string;
  readonly action: ChangeAction;
  /** The HR fields an update names; empty for a creation or a deletion. */
  readonly fields: readonly string[];
}

export type UserWork =
  | { readonly kind: 'update'; readonly ids: readonly string[]; readonly fields: readonly string[] }
  | { readonly kind: 'create'; readonly ids: readonly string[] }
  | { readonly kind: 'delete'; readonly ids: readonly string[] };

/** A change settled without a call to Entra, with the reason the admin sees. */
export interface SettledWithoutCall {
  readonly id: string;
  readonly reason: string;
}

export interface UserDecision {
  /** What to send for the user; null when nothing is. */
  readonly work: UserWork | null;
  /** Changes the work makes moot, skipped with the reason. */
  readonly skipped: readonly SettledWithoutCall[];
}

const REASONS = {
  deleted: 'The Entra user is deleted by a later change of this user, so this one is not sent.',
  notLinked: 'The HR user is not linked to an Entra user (any more), so there is nothing to change in Entra.',
  alreadyLinked: 'The HR user is already linked to an Entra user, so none is created.',
  duplicate: 'Another change waiting for this user does the same.',
} as const;

/** What to do for one HR user, from its pending changes (oldest first) and whether it is linked to Entra. */
export function decideUserWork(changes: readonly PendingChange[], linked: boolean): UserDecision {
  const byAction = (action: ChangeAction) => changes.filter((change) => change.action === action);
  const deletes = byAction('delete');
  if (deletes.length > 0) {
    const others = changes.filter((change) => change.action !== 'delete');
    if (!linked) return { work: null, skipped: changes.map((c) => ({ id: c.id, reason: REASONS.notLinked })) };
    return {
      work: { kind: 'delete', ids: deletes.map((c) => c.id) },
      skipped: others.map((c) => ({ id: c.id, reason: REASONS.deleted })),
    };
  }
  const creates = byAction('create');
  const updates = byAction('update');
  const skipped: SettledWithoutCall[] = [];
  if (creates.length > 0 && !linked)
    return {
      work: { kind: 'create', ids: [creates[0]!.id] },
      skipped: [
        ...creates.slice(1).map((c) => ({ id: c.id, reason: REASONS.duplicate })),
        ...updates.map((c) => ({ id: c.id, reason: REASONS.notLinked })),
      ],
    };
  skipped.push(...creates.map((c) => ({ id: c.id, reason: REASONS.alreadyLinked })));
  if (updates.length === 0) return { work: null, skipped };
  if (!linked)
    return { work: null, skipped: [...skipped, ...updates.map((c) => ({ id: c.id, reason: REASONS.notLinked }))] };
  const fields = [...new Set(updates.flatMap((c) => c.fields))];
  return { work: { kind: 'update', ids: updates.map((c) => c.id), fields }, skipped };
}
