import type { Outcome } from './apply.ports.js';

/**
 * The vocabulary of a sync run (docs/rules.md, section 8), declared once: the repository stores
 * it, the engine and the jobs produce it, the admin API validates and documents it.
 */

/** What asks for a run in the background: at most one of these is queued or running at a time. */
export const BACKGROUND_TRIGGERS = ['manual', 'schedule', 'reconciliation'] as const;
export type BackgroundTrigger = (typeof BACKGROUND_TRIGGERS)[number];

/**
 * Every trigger: the background ones, a preview (writes nothing), one user synced now, and a UTC
 * day of SCIM pushes (their changes recorded as one run's outcomes, docs/rules.md section 7).
 */
export const SYNC_RUN_TRIGGERS = [...BACKGROUND_TRIGGERS, 'preview', 'user', 'scim'] as const;
export type SyncRunTrigger = (typeof SYNC_RUN_TRIGGERS)[number];

export const SYNC_RUN_MODES = ['incremental', 'full'] as const;
export type SyncRunMode = (typeof SYNC_RUN_MODES)[number];

/**
 * Where a run stands. `held`: its deactivations wait for an admin (rule 3.6), who confirms or
 * discards them; `preview`: a run that wrote nothing.
 */
export const SYNC_RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'completed-with-failures',
  'failed',
  'cancelled',
  'held',
  'confirmed',
  'discarded',
  'preview',
] as const;
export type SyncRunStatus = (typeof SYNC_RUN_STATUSES)[number];

export interface SyncCounts {
  created: number;
  updated: number;
  deactivated: number;
  reactivated: number;
  skipped: number;
  failed: number;
}

/**
 * How far a run is. `total` is the number of Entra users the apply stage will look at, null
 * until the fetch stage has ended; every processed user ends up in the run's counts, or as
 * `unchanged` (nothing to do) or `notInScope` (in no synced group and nothing to undo).
 */
export interface RunProgress {
  stage: string;
  pages: number;
  processed: number;
  total: number | null;
  unchanged: number;
  notInScope: number;
}

/** A run's progress before it starts. */
export const INITIAL_PROGRESS: RunProgress = {
  stage: 'queued',
  pages: 0,
  processed: 0,
  total: null,
  unchanged: 0,
  notInScope: 0,
};

export interface RunRecord {
  id: string;
  trigger: SyncRunTrigger;
  mode: SyncRunMode;
  status: SyncRunStatus;
  /** ISO 8601 UTC, as every timestamp of the API. */
  startedAt: string;
  finishedAt: string | null;
  counts: SyncCounts;
  progress: RunProgress;
  error: string | null;
  requestedBy: string | null;
  cancelledBy: string | null;
  throttleWaitMs: number;
}

/** Where the engine records its runs (gateways/db): their lifecycle, progress, outcomes and held deactivations. */
export interface SyncRunStore {
  /** A queued run starts on this instance, in the mode it was last asked for; null when it is no longer queued. */
  claim(runId: string, instance: string): Promise<{ mode: SyncRunMode; requestedBy: string | null } | null>;
  /** A run that starts at once (a preview, one user); its id. */
  start(trigger: SyncRunTrigger, mode: SyncRunMode, requestedBy: string | null, instance: string): Promise<string>;
  get(runId: string): Promise<RunRecord | null>;
  /** Records how far the run is; answers whether an admin has asked it to stop meanwhile. */
  progress(runId: string, progress: RunProgress, throttleWaitMs: number): Promise<{ cancelRequested: boolean }>;
  cancelRequested(runId: string): Promise<boolean>;
  /** Ends the run; its counts come from its outcomes. */
  finish(runId: string, status: SyncRunStatus, error?: string | null): Promise<RunRecord>;
  failures(runId: string, limit: number): Promise<Array<{ email: string | null; reason: string | null }>>;
  outcomeCount(runId: string, outcome: Outcome): Promise<number>;
  /** Deactivations the run decided and has not applied (rule 3.6). */
  pendingCount(runId: string): Promise<number>;
  /**
   * The active HR users a run could deactivate: linked to Entra, or every one when never-synced users
   * count (but those a SCIM push provisions, with `sparePushed`).
   */
  activeSyncedUsers(includeNeverSynced: boolean, sparePushed: boolean): Promise<number>;
  /** Applies the run's pending deactivations and records them as its outcomes; how many. */
  applyPendingDeactivations(runId: string): Promise<number>;
}
