import { decideMassDeactivation } from '../../domain/deactivation.js';
import type { RunSettings } from './apply.ports.js';
import type { SyncRunStore } from './sync-run.ports.js';

/** What the guard of rule 3.6 says about a run's deactivations (told by a preview before the real run). */
export interface GuardView {
  wouldBeHeld: boolean;
  toDeactivate: number;
  activeUsers: number;
  threshold: number;
  /** Why the run would be held; null when it would not. */
  text: string | null;
}

/**
 * The last stage of a run (docs/rules.md, rule 3.6): apply the run's deactivations, or hold them
 * for an admin when there are too many.
 */
export async function guardDeactivations(
  runs: SyncRunStore,
  runId: string,
  settings: RunSettings,
): Promise<{ status: 'succeeded' | 'held'; note: string | null }> {
  const toDeactivate = await runs.pendingCount(runId);
  if (toDeactivate === 0) return { status: 'succeeded', note: null };
  const activeUsers = await runs.activeSyncedUsers(settings.neverSyncedPolicy === 'deactivate', sparePushed(settings));
  const decision = decideMassDeactivation({ activeUsers, toDeactivate, threshold: settings.guardThreshold });
  if (decision.decision === 'hold') return { status: 'held', note: decision.text };
  await runs.applyPendingDeactivations(runId);
  return { status: 'succeeded', note: null };
}

/** Under userSource 'both' the users a push provisions are the push's (docs/rules.md 7.5). */
export function sparePushed(settings: RunSettings): boolean {
  return settings.userSource === 'both';
}

/** A preview says whether the real run would be held (rule 3.6), with the guard's numbers. */
export async function previewGuard(runs: SyncRunStore, runId: string, settings: RunSettings): Promise<GuardView> {
  const toDeactivate = await runs.outcomeCount(runId, 'deactivated');
  const activeUsers = await runs.activeSyncedUsers(settings.neverSyncedPolicy === 'deactivate', sparePushed(settings));
  const decision = decideMassDeactivation({ activeUsers, toDeactivate, threshold: settings.guardThreshold });
  return {
    wouldBeHeld: decision.decision === 'hold',
    toDeactivate,
    activeUsers,
    threshold: settings.guardThreshold,
    text: decision.decision === 'hold' ? decision.text : null,
  };
}
