import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { requiredEntraProperties } from '../../domain/attribute-mapping.js';
import { decideMassDeactivation } from '../../domain/deactivation.js';
import { DirectoryMirrorRepository } from '../../gateways/db/directory-mirror.repository.js';
import { HrSyncRepository } from '../../gateways/db/hr-sync.repository.js';
import { SyncRunRepository, type RunRecord } from '../../gateways/db/sync-run.repository.js';
import type { SyncTrigger } from '../../jobs/job-registry.js';
import type { RunSettings } from './apply.ports.js';
import { DirectoryFetchStage } from './directory-fetch.stage.js';
import type { DirectoryReader } from './inbound-sync.ports.js';
import { UserApplyStage } from './user-apply.stage.js';

export interface RunProblemNotifier {
  notifyRunProblem(run: RunRecord & { failures: Array<{ email: string | null; reason: string | null }> }): Promise<void>;
}

export interface InboundSyncDeps {
  /** A fresh EntityManager per run (style: each job works in its own fork). */
  em: () => EntityManager;
  directory: () => DirectoryReader | null;
  logger: Logger;
  notifier?: RunProblemNotifier;
  onRunFinished?: (run: RunRecord) => void;
}

/** What the guard of rule 3.6 says about a run's deactivations (told by a preview before the real run). */
export interface GuardView {
  wouldBeHeld: boolean;
  toDeactivate: number;
  activeUsers: number;
  threshold: number;
  /** Why the run would be held; null when it would not. */
  text: string | null;
}

export interface RunRequest {
  trigger: SyncTrigger | 'preview' | 'user';
  mode?: 'incremental' | 'full';
  requestedBy?: string;
  signal: AbortSignal;
  /** Only these Entra users (sync one user now). */
  entraIds?: string[];
}

/**
 * The inbound engine (domain-rules sections 2, 3, 5, 8): fetch Graph's changes into the mirror,
 * apply the changed users to HR in pages, hold mass deactivations, record everything.
 * The caller holds the sync lock.
 */
export class InboundSyncService {
  constructor(private readonly deps: InboundSyncDeps) {}

  async run(request: RunRequest): Promise<{ runId: string; status: string; guard?: GuardView }> {
    const directory = this.deps.directory();
    if (!directory) throw new Error('No Entra connection is configured');
    const em = this.deps.em();
    const runs = new SyncRunRepository(em);
    const repo = new HrSyncRepository(em);
    const preview = request.trigger === 'preview';
    const runId = await runs.start(request.trigger, request.mode ?? 'incremental', request.requestedBy ?? null);
    const log = this.deps.logger.child({ runId, trigger: request.trigger });
    const progress = { pages: 0, processed: 0, stage: 'fetch' };
    const report = async () => runs.progress(runId, progress);
    const started = performance.now();
    try {
      const settings = await repo.runSettings();
      const properties = [...requiredEntraProperties(settings.attributeMapping).user, 'manager'];
      const fingerprint = fingerprintOf(settings, properties);
      const state = await repo.applyState();
      // New properties to read need new delta rounds (a cursor keeps its $select); other settings
      // changes only need every user applied again from the mirror.
      const full = request.mode === 'full' || request.trigger === 'reconciliation' || !sameProperties(state.fingerprint, fingerprint);
      const fetch = new DirectoryFetchStage(directory, new DirectoryMirrorRepository(em), log);
      if (request.entraIds) await this.fetchUsersDirectly(directory, em, request.entraIds, properties);
      const onFetchPage = async () => { progress.pages += 1; if (progress.pages % 20 === 0) { log.info(progress, 'sync progress'); await report(); } };
      // Users and groups are independent streams: read both at once.
      const [users, groups] = await Promise.all((['users', 'groups'] as const).map((stream) =>
        fetch.fetch(stream, { full: full && !request.entraIds, properties, progress: onFetchPage, signal: request.signal })));
      log.info({ ...progress, ms: Math.round(performance.now() - started) }, 'fetch stage done');
      progress.stage = 'apply';
      await report();
      if (!request.entraIds) {
        const due = await repo.markDueReactivations(settings.syncedGroupIds, settings.followNestedGroups);
        if (due) log.info({ users: due }, 'inactive HR users are in a synced group again: this run looks at them (rule 3.2)');
      }
      const { currentSeq } = await repo.applyState();
      const fullApply = full || users!.full || groups!.full || state.fingerprint !== fingerprint;
      await new UserApplyStage(repo, log).apply(runId, settings, { afterSeq: state.appliedSeq, uptoSeq: currentSeq, all: fullApply || Boolean(request.entraIds), onlyIds: request.entraIds }, {
        write: !preview, signal: request.signal,
        onPage: async (processed) => { progress.processed = processed; await report(); },
      });
      log.info({ ...progress, ms: Math.round(performance.now() - started) }, 'apply stage done');
      if (fullApply && !request.entraIds) await repo.queueOrphanDeactivations(runId, settings.neverSyncedPolicy === 'deactivate', !preview);
      if (preview) {
        const guard = await this.previewGuard(runs, runId, settings);
        return { runId, status: (await this.finish(runs, runId, 'preview')).status, guard };
      }
      await repo.resolveManagers();
      const guard = await this.guardDeactivations(runs, runId, settings);
      if (!request.entraIds) await repo.markApplied(currentSeq, fingerprint, fullApply);
      const run = await this.finish(runs, runId, guard.status, guard.note);
      log.info({ status: run.status, counts: run.counts }, 'sync run finished');
      return { runId, status: run.status };
    } catch (error) {
      log.error({ err: error }, 'sync run failed');
      const run = await this.finish(runs, runId, 'failed', (error as Error).message.split('\n')[0]!.slice(0, 500));
      return { runId, status: run.status };
    }
  }

  /** Rule 3.6: apply the run's deactivations, or hold them for an admin when there are too many. */
  private async guardDeactivations(runs: SyncRunRepository, runId: string, settings: RunSettings): Promise<{ status: string; note: string | null }> {
    const toDeactivate = await runs.pendingCount(runId);
    if (toDeactivate === 0) return { status: 'succeeded', note: null };
    const activeUsers = await runs.activeSyncedUsers(settings.neverSyncedPolicy === 'deactivate');
    const decision = decideMassDeactivation({ activeUsers, toDeactivate, threshold: settings.guardThreshold });
    if (decision.decision === 'hold') return { status: 'held', note: decision.text };
    await runs.applyPendingDeactivations(runId);
    return { status: 'succeeded', note: null };
  }

  /** A preview says whether the real run would be held (rule 3.6), with the guard's numbers. */
  private async previewGuard(runs: SyncRunRepository, runId: string, settings: RunSettings): Promise<GuardView> {
    const toDeactivate = await runs.outcomeCount(runId, 'deactivated');
    const activeUsers = await runs.activeSyncedUsers(settings.neverSyncedPolicy === 'deactivate');
    const decision = decideMassDeactivation({ activeUsers, toDeactivate, threshold: settings.guardThreshold });
    return { wouldBeHeld: decision.decision === 'hold', toDeactivate, activeUsers, threshold: settings.guardThreshold, text: decision.decision === 'hold' ? decision.text : null };
  }

  private async finish(runs: SyncRunRepository, runId: string, status: string, error: string | null = null): Promise<RunRecord> {
    let run = await runs.finish(runId, status, error);
    if (status === 'succeeded' && run.counts.failed > 0) run = await runs.finish(runId, 'completed-with-failures');
    this.deps.onRunFinished?.(run);
    if (run.status === 'failed' || run.status === 'completed-with-failures') await this.notify(runs, run);
    return run;
  }

  private async notify(runs: SyncRunRepository, run: RunRecord): Promise<void> {
    if (!this.deps.notifier) return;
    const failures = await runs.failures(run.id, 20);
    await this.deps.notifier.notifyRunProblem({ ...run, failures }).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'could not send the run notification'));
  }

  private async fetchUsersDirectly(directory: DirectoryReader, em: EntityManager, entraIds: string[], properties: readonly string[]): Promise<void> {
    const mirror = new DirectoryMirrorRepository(em);
    for (const id of entraIds) {
      const user = await directory.user(id, properties);
      await mirror.storeUsers([user ?? { id, properties: {}, removed: 'deleted' }], null);
    }
  }
}

/**
 * What the last apply was based on: the Graph properties read (first half) and the settings that
 * change a run's decisions (second half). When either changes, the next run applies to every user.
 */
function fingerprintOf(settings: RunSettings, properties: readonly string[]): string {
  const { roleNames: _names, guardThreshold: _threshold, ...decisive } = settings;
  const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
  return `${hash([...properties].sort())}${hash(decisive)}`;
}

function sameProperties(stored: string | null, current: string): boolean {
  return stored !== null && stored.slice(0, 32) === current.slice(0, 32);
}
