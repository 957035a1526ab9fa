import type { SyncCounts } from '../db/entities/sync-run.entity.js';

/**
 * What the sync engine hands over about a run that failed, had per-user failures (rule 8.2), or is
 * held by the guard until an admin confirms or discards it (rule 3.6).
 */
export interface RunProblem {
  id: string;
  status: string;
  trigger: string;
  mode?: string;
  startedAt: Date | string;
  finishedAt: Date | string | null;
  counts: SyncCounts;
  error?: string | null;
  /** The first failures of the run (the engine sends up to 20). */
  failures: ReadonlyArray<{ email: string | null; reason: string | null }>;
}

export const MAX_FAILURES = 20;
export const WEBHOOK_EVENT = 'sync-run.problem';
/** A held run is not a failure: it waits for a decision, so receivers can route it apart. */
export const HELD_WEBHOOK_EVENT = 'sync-run.held';

/** The webhook's JSON body: stable field names, times as ISO 8601, at most 20 failures. */
export function webhookPayload(run: RunProblem): Record<string, unknown> {
  return {
    event: run.status === 'held' ? HELD_WEBHOOK_EVENT : WEBHOOK_EVENT,
    run: {
      id: run.id,
      status: run.status,
      trigger: run.trigger,
      mode: run.mode ?? null,
      startedAt: iso(run.startedAt),
      finishedAt: run.finishedAt === null ? null : iso(run.finishedAt),
      counts: run.counts,
      error: run.error ?? null,
    },
    failures: run.failures.slice(0, MAX_FAILURES).map((f) => ({ email: f.email, reason: f.reason })),
  };
}

export function emailSubject(run: RunProblem): string {
  if (run.status === 'failed') return 'Entra HR Connector: the sync run failed';
  if (run.status === 'held') return 'Entra HR Connector: a sync run is held until an administrator confirms it';
  const failed = run.counts.failed;
  return `Entra HR Connector: the sync run finished with ${failed} failed user${failed === 1 ? '' : 's'}`;
}

/** Plain text, so every mail client shows it the same and nothing in a failure reason can be markup. */
export function emailText(run: RunProblem): string {
  const counts = Object.entries(run.counts)
    .map(([name, count]) => `  ${name}: ${count}`)
    .join('\n');
  const failures = run.failures
    .slice(0, MAX_FAILURES)
    .map((f) => `  - ${f.email ?? '(no e-mail)'}: ${f.reason ?? 'no reason recorded'}`);
  return [
    introduction(run.status),
    '',
    `Run: ${run.id}`,
    `Status: ${run.status}`,
    `Trigger: ${run.trigger}`,
    `Started: ${iso(run.startedAt)}`,
    `Finished: ${run.finishedAt === null ? '-' : iso(run.finishedAt)}`,
    ...(run.error ? [`${run.status === 'held' ? 'Why' : 'Error'}: ${run.error}`] : []),
    '',
    'Counts:',
    counts,
    ...(failures.length ? ['', `Failed users (first ${failures.length}):`, ...failures] : []),
    '',
    run.status === 'held'
      ? `Confirm it (POST /api/admin/sync/runs/${run.id}/confirm) to apply the deactivations that are still due, or discard it (POST /api/admin/sync/runs/${run.id}/discard).`
      : 'The sync history in the HR admin pages shows every user of the run.',
  ].join('\n');
}

function introduction(status: string): string {
  if (status === 'failed') return 'A sync run between Microsoft Entra ID and HR failed.';
  if (status === 'held')
    return 'A sync run would deactivate more HR users than the guard allows (docs/rules.md, rule 3.6), so it deactivated nobody and waits for an administrator.';
  return 'A sync run between Microsoft Entra ID and HR finished, but some users could not be synced.';
}

function iso(value: Date | string): string {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

/** An admin confirmed or discarded a held run (rule 3.6): who, when, and what it did. */
export interface HeldRunDecision {
  id: string;
  status: 'confirmed' | 'discarded';
  trigger: string;
  startedAt: Date | string;
  decidedAt: Date | string;
  /** The admin's e-mail (null when unknown). */
  decidedBy: string | null;
  /** Deactivations the run was holding. */
  pendingBefore: number;
  /** Deactivations applied (0 for a discard). */
  deactivated: number;
  /** Held deactivations no longer due at confirm, with why (rule 3.2). */
  notDue: ReadonlyArray<{ email: string | null; reason: string | null }>;
  counts: SyncCounts;
}

export const DECISION_EVENTS = { confirmed: 'sync-run.confirmed', discarded: 'sync-run.discarded' } as const;

export function decisionPayload(decision: HeldRunDecision): Record<string, unknown> {
  return {
    event: DECISION_EVENTS[decision.status],
    run: {
      id: decision.id,
      status: decision.status,
      trigger: decision.trigger,
      startedAt: iso(decision.startedAt),
      counts: decision.counts,
    },
    decision: {
      by: decision.decidedBy,
      at: iso(decision.decidedAt),
      pendingBefore: decision.pendingBefore,
      deactivated: decision.deactivated,
      notDue: decision.notDue.slice(0, MAX_FAILURES).map((n) => ({ email: n.email, reason: n.reason })),
      notDueCount: decision.notDue.length,
    },
  };
}

export function decisionSubject(decision: HeldRunDecision): string {
  return decision.status === 'confirmed'
    ? `Entra HR Connector: a held sync run was confirmed (${decision.deactivated} deactivated)`
    : 'Entra HR Connector: a held sync run was discarded (nobody deactivated)';
}

export function decisionText(decision: HeldRunDecision): string {
  const notDue = decision.notDue
    .slice(0, MAX_FAILURES)
    .map((n) => `  - ${n.email ?? '(no e-mail)'}: ${n.reason ?? 'no reason recorded'}`);
  return [
    decision.status === 'confirmed'
      ? 'An administrator confirmed a sync run that was held because it would deactivate many users.'
      : 'An administrator discarded a sync run that was held because it would deactivate many users; nobody was deactivated.',
    '',
    `Run: ${decision.id}`,
    `Decision: ${decision.status} by ${decision.decidedBy ?? 'an unknown user'} at ${iso(decision.decidedAt)}`,
    `Deactivations held: ${decision.pendingBefore}`,
    `Deactivated now: ${decision.deactivated}`,
    ...(decision.status === 'confirmed' ? [`No longer due, not deactivated: ${decision.notDue.length}`] : []),
    ...(notDue.length ? ['', `Not deactivated (first ${notDue.length}):`, ...notDue] : []),
    '',
    'The sync history in the HR admin pages shows every user of the run.',
  ].join('\n');
}
