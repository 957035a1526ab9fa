import type { UserOutcome } from '../../sync/inbound/apply.ports.js';
import type { BackgroundTrigger, RunRecord, SyncRunMode, SyncRunStatus } from '../../sync/inbound/sync-run.ports.js';

export type { RunProgress, RunRecord, SyncCounts } from '../../sync/inbound/sync-run.ports.js';

/** A run as the admin API lists it: with the deactivations it holds back (rule 3.6). */
export type RunView = RunRecord & { pendingDeactivations: number };

export interface ActiveRun {
  id: string;
  status: 'queued' | 'running';
  mode: SyncRunMode;
  instance: string | null;
}

export interface HeldDeactivationRow {
  hrUserId: string;
  entraId: string | null;
  email: string;
  /** Why the run meant to deactivate the user. */
  reason: string;
  active: boolean;
  everSynced: boolean;
  deletedInEntra: boolean;
  disabledInEntra: boolean;
  inSyncedGroup: boolean;
  employeeArchived: boolean;
  protectedRole: boolean;
}

export interface OutcomeView {
  id: number;
  hrUserId: string | null;
  entraId: string | null;
  email: string | null;
  outcome: string;
  changes: Array<{ field: string; old: unknown; new: unknown }>;
  reason: string | null;
}

/** The lifecycle of sync runs, as far as the admin API and the start-up drive it (docs/rules.md#operations). */
export interface SyncRunRepository {
  /** Records a background run as queued, or joins the one queued or running. */
  queue(
    trigger: BackgroundTrigger,
    mode: SyncRunMode,
    requestedBy: string | null,
  ): Promise<{ run: ActiveRun; joined: boolean }>;
  /** The background run queued or running now, if any. */
  active(): Promise<ActiveRun | null>;
  /** Runs marked running, with the instance running them. */
  running(): Promise<Array<{ id: string; instance: string | null }>>;
  /** Fails runs whose process died under them; answers the ones it failed. */
  failDead(runIds: readonly string[]): Promise<string[]>;
  requestCancel(runId: string, by: string | null): Promise<'cancelled' | 'requested' | null>;
  finish(runId: string, status: SyncRunStatus, error?: string | null): Promise<RunRecord>;
  heldDeactivations(runId: string, synced: { groupIds: string[]; nested: boolean }): Promise<HeldDeactivationRow[]>;
  applyHeldDeactivations(
    runId: string,
    due: Array<{ hrUserId: string; reason: string }>,
    notDue: UserOutcome[],
  ): Promise<number>;
  discardPendingDeactivations(runId: string): Promise<number>;
}

export interface RunListQuery {
  /** Rows to read (a page reads one more to know whether another follows). */
  limit: number;
  /** Keyset: the id of the last run of the previous page. */
  after?: string;
  status?: SyncRunStatus;
  includePreviews?: boolean;
}

/** Sync runs as the admin reads them (rule 8.1). */
export interface SyncRunViews {
  /** Newest first. */
  list(query: RunListQuery): Promise<RunView[]>;
  get(id: string): Promise<RunView | null>;
  /** Locks the run against a concurrent decision until the transaction ends. */
  lock(id: string): Promise<RunView | null>;
  /** Held runs, oldest first. */
  held(): Promise<RunView[]>;
  /** Keyset-paged in the order they were recorded; reads `limit` rows. */
  /** `search`: the e-mail contains it (case-insensitive, literally). */
  outcomes(
    runId: string,
    query: { limit: number; after?: number; outcome?: string; search?: string },
  ): Promise<OutcomeView[]>;
  /** Whether a background run (scheduled, sync now, reconciliation) was ever recorded. */
  everRanInBackground(): Promise<boolean>;
}

export interface ReconciliationReport {
  /** Entra users in a synced group with no HR user, and why (the last reason a run gave). */
  entraUsersWithoutHrUser: {
    total: number;
    items: Array<{ entraId: string; email: string | null; displayName: string | null; reason: string }>;
  };
  /** Active HR users that no Entra user is linked to. */
  hrUsersWithoutEntraLink: { total: number; items: Array<{ id: string; email: string; origin: string }> };
  /** Linked pairs whose e-mails differ (the link is the object id, rule 2.2, so this is information). */
  emailMismatches: {
    total: number;
    items: Array<{ id: string; hrEmail: string; entraEmail: string | null; entraId: string }>;
  };
}

/**
 * The directory mirror (as of the last run) compared with the HR users. Read-only; each list is
 * capped at `limit` rows, with its full count beside it.
 */
export interface ReconciliationQueries {
  report(
    scope: { syncedGroupIds: string[]; followNestedGroups: boolean },
    limit: number,
  ): Promise<ReconciliationReport>;
}
