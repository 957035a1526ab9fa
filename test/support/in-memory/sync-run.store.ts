import { randomUUID } from 'node:crypto';
import { INTERRUPTED_BY_DEATH, ZERO_COUNTS } from '../../../src/gateways/db/sync-run.repository.js';
import type { Outcome, UserOutcome } from '../../../src/sync/inbound/apply.ports.js';
import {
  INITIAL_PROGRESS,
  type BackgroundTrigger,
  type RunProgress,
  type RunRecord,
  type SyncRunMode,
  type SyncRunStatus,
  type SyncRunStore,
  type SyncRunTrigger,
} from '../../../src/sync/inbound/sync-run.ports.js';
import type { InboundState, RunRow } from './inbound-state.js';

const STARTING: RunProgress = { ...INITIAL_PROGRESS, stage: 'starting' };

/** Sync runs in memory (src/gateways/db/sync-run.repository.ts, the engine's part of it). */
export class InMemorySyncRunStore implements SyncRunStore {
  constructor(private readonly db: InboundState) {}

  /** A background run asked for ("sync now", the schedule): what the engine's `claim` starts. */
  async queue(trigger: BackgroundTrigger, mode: SyncRunMode, requestedBy: string | null): Promise<string> {
    return this.insert({ trigger, mode, status: 'queued', requestedBy, instance: null, progress: INITIAL_PROGRESS });
  }

  /** An admin's cancel: a queued run is cancelled at once; a running one is asked to stop (the engine notices). */
  async requestCancel(runId: string, by: string | null): Promise<void> {
    const run = this.db.runs.get(runId);
    if (run?.status === 'queued')
      Object.assign(run, {
        status: 'cancelled',
        cancelledBy: by,
        cancelRequested: true,
        finishedAt: new Date().toISOString(),
        error: 'cancelled by an administrator before it started',
      });
    if (run?.status === 'running') Object.assign(run, { cancelRequested: true, cancelledBy: run.cancelledBy ?? by });
  }

  async claim(runId: string, instance: string): Promise<{ mode: SyncRunMode; requestedBy: string | null } | null> {
    this.failOthersRunning(runId);
    const run = this.db.runs.get(runId);
    if (run?.status !== 'queued') return null;
    Object.assign(run, { status: 'running', instance, startedAt: new Date().toISOString(), progress: STARTING });
    return { mode: run.mode, requestedBy: run.requestedBy };
  }

  async start(
    trigger: SyncRunTrigger,
    mode: SyncRunMode,
    requestedBy: string | null,
    instance: string,
  ): Promise<string> {
    this.failOthersRunning(null);
    return this.insert({ trigger, mode, status: 'running', requestedBy, instance, progress: STARTING });
  }

  async get(runId: string): Promise<RunRecord | null> {
    const run = this.db.runs.get(runId);
    return run ? record(run) : null;
  }

  async progress(runId: string, progress: RunProgress, throttleWaitMs: number): Promise<{ cancelRequested: boolean }> {
    const run = this.db.runs.get(runId);
    if (run) Object.assign(run, { progress: { ...progress }, throttleWaitMs: Math.round(throttleWaitMs) });
    return { cancelRequested: run?.cancelRequested ?? false };
  }

  async cancelRequested(runId: string): Promise<boolean> {
    return this.db.runs.get(runId)?.cancelRequested ?? false;
  }

  async finish(runId: string, status: SyncRunStatus, error: string | null = null): Promise<RunRecord> {
    const run = this.db.runs.get(runId)!;
    const counts = { ...ZERO_COUNTS };
    for (const o of this.outcomesOf(runId)) counts[o.outcome] += 1;
    Object.assign(run, { status, error, finishedAt: new Date().toISOString(), counts });
    return record(run);
  }

  async failures(runId: string, limit: number): Promise<Array<{ email: string | null; reason: string | null }>> {
    return this.outcomesOf(runId)
      .filter((o) => o.outcome === 'failed')
      .slice(0, limit)
      .map((o) => ({ email: o.email, reason: o.reason }));
  }

  async outcomeCount(runId: string, outcome: Outcome): Promise<number> {
    return this.outcomesOf(runId).filter((o) => o.outcome === outcome).length;
  }

  async pendingCount(runId: string): Promise<number> {
    return this.db.pending.filter((p) => p.runId === runId).length;
  }

  async activeSyncedUsers(includeNeverSynced: boolean, sparePushed: boolean): Promise<number> {
    return [...this.db.hrUsers.values()].filter(
      (u) => u.active && (u.entraId !== null || (includeNeverSynced && !(sparePushed && u.provisioned === true))),
    ).length;
  }

  /** Deactivates the run's pending users that are still active and records them as its outcomes. */
  async applyPendingDeactivations(runId: string): Promise<number> {
    const pending = this.db.pending.filter((p) => p.runId === runId);
    this.dropPending((p) => p.runId === runId);
    let done = 0;
    for (const p of pending) {
      const user = this.db.hrUsers.get(p.hrUserId);
      if (!user?.active) continue;
      const change = { lastChangeOrigin: 'entra', lastChangedAt: this.db.tick() };
      Object.assign(user, { active: false, deactivatedReason: p.reason, ...change });
      const outcome: UserOutcome = {
        ...p,
        outcome: 'deactivated',
        changes: [{ field: 'active', old: true, new: false }],
      };
      this.db.outcomes.push({ ...outcome, hrUserId: p.hrUserId, runId });
      done += 1;
    }
    return done;
  }

  /** Only the lock holder starts runs: any other run still marked running died with its process. */
  private failOthersRunning(except: string | null): void {
    const now = new Date().toISOString();
    for (const run of this.db.runs.values())
      if (run.status === 'running' && run.id !== except)
        Object.assign(run, { status: 'failed', error: INTERRUPTED_BY_DEATH, finishedAt: now });
    this.dropPending((p) => this.db.runs.get(p.runId)?.status === 'failed');
  }

  private dropPending(test: (p: InboundState['pending'][number]) => boolean): void {
    const keep = this.db.pending.filter((p) => !test(p));
    this.db.pending.splice(0, this.db.pending.length, ...keep);
  }

  private outcomesOf(runId: string) {
    return this.db.outcomes.filter((o) => o.runId === runId);
  }

  private insert(run: Pick<RunRow, 'trigger' | 'mode' | 'status' | 'requestedBy' | 'instance' | 'progress'>): string {
    const id = randomUUID();
    this.db.runs.set(id, {
      ...run,
      id,
      progress: { ...run.progress },
      startedAt: new Date().toISOString(),
      finishedAt: null,
      counts: { ...ZERO_COUNTS },
      error: null,
      cancelledBy: null,
      throttleWaitMs: 0,
      cancelRequested: false,
    });
    return id;
  }
}

function record(run: RunRow): RunRecord {
  const { instance: _instance, cancelRequested: _cancel, ...rest } = run;
  return structuredClone(rest);
}
