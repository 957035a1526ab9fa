import type { Logger } from 'pino';
import { AppError } from '../../application/app-error.js';
import { requiredEntraProperties } from '../../domain/attribute-mapping.js';
import { pullRuns, PULL_REFUSED } from '../../domain/user-source.js';
import { WRITE_BACK_READS } from '../../domain/write-back.js';
import type { ApplyRange, RunSettings } from './apply.ports.js';
import type { FailurePolicy } from '../kernel/error-policy.js';
import { INBOUND_CHANNEL_ID } from '../kernel/channel-id.js';
import { ChannelStageKeeper } from '../kernel/channel-stage.keeper.js';
import type { ChannelEvent } from '../kernel/channel-stages.js';
import { DeltaFetchStage } from '../kernel/delta-fetch.stage.js';
import { directoryStreams } from './directory-streams.js';
import { guardDeactivations, previewGuard, sparePushed, type GuardView } from './deactivation-guard.stage.js';
import type {
  DirectoryMirror,
  DirectoryReader,
  DirectoryUserChange,
  InboundStores,
  RunCallScope,
  RunScopeRunner,
  ThrottleBudget,
} from './inbound-sync.ports.js';
import type { RunRegistry } from './run-registry.js';
import { RunControl } from './run-control.js';
import { describeStop, stopReasonOf, stoppedStatus } from './run-stop.js';
import { UserApplyStage, type PageTally } from './user-apply.stage.js';
import { readWhileApplying } from './read-while-applying.js';
import { fingerprintOf, sameProperties } from './run-fingerprint.js';
import {
  INITIAL_PROGRESS,
  type RunProgress,
  type RunRecord,
  type SyncRunMode,
  type SyncRunStatus,
  type SyncRunStore,
  type SyncRunTrigger,
} from './sync-run.ports.js';

export type { GuardView };

export interface RunProblemNotifier {
  notifyRunProblem(
    run: RunRecord & { failures: Array<{ email: string | null; reason: string | null }> },
  ): Promise<void>;
}

export interface InboundSyncDeps {
  /** The stores of one unit of work, fresh at each call (each run works in its own database session). */
  stores: () => InboundStores;
  directory: () => DirectoryReader | null;
  /** What a failed directory call means for the run (src/sync/kernel/error-policy.ts). */
  failures: FailurePolicy;
  logger: Logger;
  notifier?: RunProblemNotifier;
  onRunFinished?: (run: RunRecord) => void;
  /** This service instance's name, recorded on the runs it executes. */
  instance: string;
  /** A run still going after this long is stopped (SYNC_RUN_TIME_LIMIT). */
  timeLimitMs: number;
  /** The most a run may wait for Graph's throttling, all requests together (SYNC_RUN_THROTTLE_WAIT_LIMIT). */
  throttleWaitLimitMs: number;
  /** Makes the directory calls of a run honour its stop signal and throttling budget. */
  scope?: RunScopeRunner;
  /** The runs of this process, so a cancel or SIGTERM stops them at once. */
  registry?: RunRegistry;
  /** How often a run looks for a cancel made through another instance. Default 1000 ms. */
  cancelPollMs?: number;
  /** The fewest stored changes a window applies while users are being read (read-while-applying.ts). */
  applyWindowChanges?: number;
}

export interface RunRequest {
  trigger: SyncRunTrigger;
  mode?: SyncRunMode;
  requestedBy?: string;
  /** Aborted when the service shuts down. */
  signal?: AbortSignal;
  /** Only these Entra users (sync one user now). */
  entraIds?: string[];
  /** A run recorded as queued when it was asked for ("sync now", the schedule): this one is started. */
  runId?: string;
  /** The users of `entraIds`, already read from the directory. */
  prefetched?: DirectoryUserChange[];
}

/** How a run ended, as the caller learns it. */
export interface RunResult {
  runId: string;
  status: SyncRunStatus;
  guard?: GuardView;
  /** The directory's failure that ended the run (recorded as failed): a caller waiting on the run reports it. */
  upstreamFailure?: unknown;
}

/** What the stages of a run end with: its status and the note that goes with it. */
interface RunEnd {
  status: SyncRunStatus;
  note: string | null;
  guard?: GuardView;
}

/** How long a stopped run waits for the work in flight to settle before it records how it ended. */
const SETTLE_MS = 300;

/**
 * The inbound engine (docs/rules.md, sections 2, 3, 5, 8): fetch Graph's changes into the mirror,
 * apply the changed users to HR in pages, hold mass deactivations, record everything.
 * The caller holds the sync lock.
 */
export class InboundSyncService {
  constructor(private readonly deps: InboundSyncDeps) {}

  /**
   * "Sync this user now". The user is read first: a Graph failure reaches the caller as it is (the
   * admin sees Graph's error), and an id that Entra does not know, and the mirror never knew, is
   * refused with nothing stored and no run recorded. A user the mirror knew and Entra no longer has
   * was deleted: the run records that.
   */
  async syncUser(entraId: string, requestedBy: string): Promise<RunResult> {
    const directory = this.deps.directory();
    if (!directory) throw new AppError('conflict', 'No Entra connection is configured');
    const { hr, mirror } = this.deps.stores();
    const settings = await hr.runSettings();
    if (!pullRuns(settings.userSource)) throw new AppError('conflict', PULL_REFUSED);
    const user = await directory.user(entraId, propertiesToRead(settings));
    if (!user && !(await mirror.hasUser(entraId)))
      throw new AppError('not_found', `Entra has no user with the object id ${entraId}`);
    return this.run({
      trigger: 'user',
      entraIds: [entraId],
      requestedBy,
      prefetched: [user ?? { id: entraId, properties: {}, removed: 'deleted' }],
    });
  }

  async run(request: RunRequest): Promise<RunResult> {
    const directory = this.deps.directory();
    if (!directory) throw new Error('No Entra connection is configured');
    const stores = this.deps.stores();
    const runs = stores.runs;
    // Under userSource 'push' SCIM owns users and the Graph sync does not run (docs/rules.md 7.5): a
    // run queued before the setting changed ends cancelled with the reason; one asked for now is refused.
    if (!pullRuns((await stores.hr.runSettings()).userSource)) {
      if (!request.runId) throw new AppError('conflict', PULL_REFUSED);
      const run = await runs.finish(request.runId, 'cancelled', PULL_REFUSED);
      return { runId: run.id, status: run.status };
    }
    let runId: string;
    if (request.runId) {
      runId = request.runId;
      const claimed = await runs.claim(runId, this.deps.instance);
      if (!claimed) {
        // No longer queued: cancelled meanwhile, or taken by another instance. Runs are never deleted.
        const record = await runs.get(runId);
        if (!record) throw new Error(`the sync run ${runId} is not recorded`);
        return { runId, status: record.status };
      }
      request = { ...request, mode: claimed.mode };
    } else {
      runId = await runs.start(
        request.trigger,
        request.mode ?? 'incremental',
        request.requestedBy ?? null,
        this.deps.instance,
      );
    }
    const log = this.deps.logger.child({ runId, trigger: request.trigger });
    const control = new RunControl(runId, request.signal, this.deps, (id) =>
      this.deps.stores().runs.cancelRequested(id),
    );
    const progress: RunProgress = { ...INITIAL_PROGRESS, stage: 'fetch' };
    const channel = new ChannelStageKeeper(stores.channels, INBOUND_CHANNEL_ID, INBOUND_CHANNEL_ID);
    const throttle: ThrottleBudget = { limitMs: this.deps.throttleWaitLimitMs, waitedMs: 0, exhausted: false };
    const report = async () => {
      const { cancelRequested } = await runs.progress(runId, progress, throttle.waitedMs);
      if (cancelRequested) control.stop({ kind: 'cancelled' });
    };
    const scope = this.deps.scope ?? (<T>(_scope: RunCallScope, work: () => Promise<T>) => work());
    const work = scope({ signal: control.signal, throttle }, () =>
      this.runStages(runId, request, directory, { progress, report, signal: control.signal, log, channel }),
    );
    const finished = this.settle(runs, runId, work, { control, throttle, progress, log, channel });
    this.deps.registry?.add(runId, (reason) => control.stop(reason), finished);
    try {
      return await finished;
    } finally {
      control.dispose();
    }
  }

  /** Waits for the work or for a stop, whichever comes first, and records how the run ended. */
  private async settle(
    runs: SyncRunStore,
    runId: string,
    work: Promise<RunEnd>,
    ctx: {
      control: RunControl;
      throttle: ThrottleBudget;
      progress: RunProgress;
      log: Logger;
      channel: ChannelStageKeeper;
    },
  ): Promise<RunResult> {
    const { control, throttle, progress, log, channel } = ctx;
    let status: SyncRunStatus;
    let ending: ChannelEvent = 'succeed';
    let error: string | null;
    let guard: GuardView | undefined;
    let alert: boolean | undefined;
    let upstreamFailure: unknown;
    try {
      // A Graph call that never answers must not keep the run (or SIGTERM) waiting: the stop wins the race.
      ({ status, note: error, guard } = await Promise.race([work, control.stopped]));
    } catch (failure) {
      if (control.signal.aborted) {
        // Give the work in flight a moment to settle (a page being written), so the counts include it.
        await Promise.race([work.catch(() => undefined), delay(SETTLE_MS)]);
        const reason = stopReasonOf(control.signal);
        status = stoppedStatus(reason);
        error = describeStop(reason);
        // A cancel or a shutdown is no failure of the channel; a run out of time is.
        ending = reason.kind === 'time-limit' ? 'fail' : 'stop';
        log.warn({ reason: reason.kind }, 'sync run stopped');
      } else {
        const decision = this.deps.failures.decide(failure, 'stream');
        log.error({ err: failure, kind: decision.kind }, 'sync run failed');
        status = decision.runStatus ?? 'failed';
        alert = decision.alert;
        if (decision.kind !== null) upstreamFailure = failure;
        ending = 'fail';
        error = throttle.exhausted
          ? `throttled: Microsoft Graph asked the run to wait longer than its budget of ${Math.round(throttle.limitMs / 1000)} s (SYNC_RUN_THROTTLE_WAIT_LIMIT; waited ${Math.round(throttle.waitedMs / 1000)} s); the next run resumes from the stored cursor`
          : (failure as Error).message.split('\n')[0]!.slice(0, 500);
      }
    }
    await runs
      .progress(runId, progress, throttle.waitedMs)
      .catch((e: unknown) => log.warn({ err: e }, 'could not record the final progress'));
    if (channel.started)
      await channel
        .change(ending)
        .catch((e: unknown) => log.warn({ err: e }, 'could not record how the run left the sync channel'));
    const run = await this.finish(runs, runId, status, error, alert);
    if (status !== 'failed' && status !== 'cancelled')
      log.info({ status: run.status, counts: run.counts }, 'sync run finished');
    return {
      runId,
      status: run.status,
      ...(guard ? { guard } : {}),
      ...(upstreamFailure === undefined ? {} : { upstreamFailure }),
    };
  }

  /** The stages of one run; returns the status it ends with and the note that goes with it. */
  private async runStages(
    runId: string,
    request: RunRequest,
    directory: DirectoryReader,
    ctx: {
      progress: RunProgress;
      report: () => Promise<void>;
      signal: AbortSignal;
      log: Logger;
      channel: ChannelStageKeeper;
    },
  ): Promise<RunEnd> {
    const { progress, report, signal, log, channel } = ctx;
    const { hr: repo, runs, mirror, channels } = this.deps.stores();
    const preview = request.trigger === 'preview';
    const started = performance.now();
    await report();
    await channel.start();
    const settings = await repo.runSettings();
    const properties = propertiesToRead(settings);
    const fingerprint = fingerprintOf(settings, properties);
    const state = await repo.applyState();
    // New properties to read need new delta rounds (a cursor keeps its $select); other settings
    // changes only need every user applied again from the mirror.
    const full =
      request.mode === 'full' ||
      request.trigger === 'reconciliation' ||
      !sameProperties(state.fingerprint, fingerprint);
    const fetch = new DeltaFetchStage(channels.cursors(INBOUND_CHANNEL_ID), directory, this.deps.failures, log);
    if (request.prefetched) await mirror.storeUsers(request.prefetched, null);
    else if (request.entraIds) await fetchUsersDirectly(directory, mirror, request.entraIds, properties);
    const onFetchPage = async () => {
      progress.pages += 1;
      if (progress.pages % 20 === 0) {
        log.info(progress, 'sync progress');
        await report();
      }
    };
    const [userStream, groupStream] = directoryStreams(directory, mirror, properties);
    const fetchOptions = { full: full && !request.entraIds, progress: onFetchPage, signal };
    const applier = new UserApplyStage(repo, log);
    // The apply stage's pages, over every window and the pass after the read.
    let appliedBefore = 0;
    const applyOptions = {
      write: !preview,
      signal,
      onPage: async (page: PageTally) => {
        progress.processed = appliedBefore + page.processed;
        progress.unchanged += page.unchanged;
        progress.notInScope += page.notInScope;
        await report();
      },
    };
    const applyRange = async (range: ApplyRange) => {
      await applier.apply(runId, settings, range, applyOptions);
      appliedBefore = progress.processed;
    };
    const dueReactivations = async () => {
      const due = await repo.markDueReactivations(settings.syncedGroupIds, settings.followNestedGroups);
      if (due)
        log.info({ users: due }, 'inactive HR users are in a synced group again: this run looks at them (rule 3.2)');
    };
    let users: { full: boolean };
    let groups: { full: boolean };
    let windowEnds: number[] = [];
    if (request.entraIds || preview) {
      // One user, or a preview (whose outcomes a second look would repeat): read, then apply.
      [users, groups] = await Promise.all([
        fetch.fetch(userStream, fetchOptions),
        fetch.fetch(groupStream, fetchOptions),
      ]);
      if (!request.entraIds) await dueReactivations();
    } else {
      // Users and groups are independent streams: both are read at once, and users are applied
      // while they are still being read (read-while-applying.ts).
      ({ users, groups, windowEnds } = await readWhileApplying(
        {
          readUsers: (stored) =>
            fetch.fetch(userStream, {
              ...fetchOptions,
              progress: async () => {
                await onFetchPage();
                await stored();
              },
            }),
          readGroups: () => fetch.fetch(groupStream, fetchOptions),
          groupsRead: dueReactivations,
          currentSeq: async () => (await repo.applyState()).currentSeq,
          applyWindow: (afterSeq, uptoSeq) => applyRange({ afterSeq, uptoSeq, all: false, managerInMirror: true }),
        },
        state.appliedSeq,
        this.deps.applyWindowChanges,
      ));
    }
    log.info({ ...progress, ms: Math.round(performance.now() - started) }, 'fetch stage done');
    await channel.change('fetched');
    const { currentSeq } = await repo.applyState();
    const fullApply = full || users.full || groups.full || state.fingerprint !== fingerprint;
    const range: ApplyRange = {
      afterSeq: state.appliedSeq,
      uptoSeq: currentSeq,
      all: fullApply || Boolean(request.entraIds),
      onlyIds: request.entraIds,
      ...(windowEnds.length ? { windowEnds } : {}),
    };
    progress.stage = 'apply';
    progress.total = progress.processed + (await mirror.countUsers(range));
    await report();
    await applyRange(range);
    log.info({ ...progress, ms: Math.round(performance.now() - started) }, 'apply stage done');
    progress.stage = 'finishing';
    if (fullApply && !request.entraIds)
      await repo.queueOrphanDeactivations(
        runId,
        settings.neverSyncedPolicy === 'deactivate',
        !preview,
        sparePushed(settings),
      );
    if (preview) return { status: 'preview', note: null, guard: await previewGuard(runs, runId, settings) };
    await repo.resolveManagers(fullApply);
    const guard = await guardDeactivations(runs, runId, settings);
    if (!request.entraIds) await repo.markApplied(currentSeq, fingerprint, fullApply);
    progress.stage = 'done';
    return { status: guard.status, note: guard.note };
  }

  /** `alert`: the error policy's word on a run a failure ended; otherwise a run that failed or had failures is announced. */
  private async finish(
    runs: SyncRunStore,
    runId: string,
    status: SyncRunStatus,
    error: string | null = null,
    alert?: boolean,
  ): Promise<RunRecord> {
    let run = await runs.finish(runId, status, error);
    if (status === 'succeeded' && run.counts.failed > 0) run = await runs.finish(runId, 'completed-with-failures');
    this.deps.onRunFinished?.(run);
    // A held run tells the admins too: nobody is deactivated until one of them decides (rule 3.6).
    const announce = alert ?? ['failed', 'completed-with-failures', 'held'].includes(run.status);
    if (announce) await this.notify(runs, run);
    return run;
  }

  private async notify(runs: SyncRunStore, run: RunRecord): Promise<void> {
    if (!this.deps.notifier) return;
    const failures = await runs.failures(run.id, 20);
    await this.deps.notifier
      .notifyRunProblem({ ...run, failures })
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'could not send the run notification'));
  }
}

/** "Sync this user now" without a prefetched user: each user read from the directory into the mirror. */
async function fetchUsersDirectly(
  directory: DirectoryReader,
  mirror: DirectoryMirror,
  entraIds: string[],
  properties: readonly string[],
): Promise<void> {
  for (const id of entraIds) {
    const user = await directory.user(id, properties);
    await mirror.storeUsers([user ?? { id, properties: {}, removed: 'deleted' }], null);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * The Graph properties a run reads: what the attribute mapping needs, the manager, and what
 * write-back decides with (whether a user is synced from on-premises AD, rule 4.4), kept in the
 * directory mirror.
 */
function propertiesToRead(settings: Pick<RunSettings, 'attributeMapping'>): string[] {
  return [...requiredEntraProperties(settings.attributeMapping).user, 'manager', ...WRITE_BACK_READS];
}
