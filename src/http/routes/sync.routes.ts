import { Router } from 'express';
import { z } from 'zod';
import { SyncRunsService, type HeldRunNotifier } from '../../application/sync-runs.service.js';
import type { SyncRequestsService } from '../../application/sync-requests.service.js';
import type { Scheduler } from '../../jobs/scheduler.js';
import type { SyncLock } from '../../jobs/sync-lock.js';
import type { InboundSyncService } from '../../sync/inbound/inbound-sync.service.js';
import { SYNC_RUN_MODES, SYNC_RUN_STATUSES } from '../../sync/inbound/sync-run.ports.js';
import { principalOf, requireAdmin } from '../middleware/auth.js';
import { describeRoute } from '../openapi.js';
import { AppError } from '../../application/app-error.js';
import { body, params, query } from '../validation.js';
import {
  outcomeView,
  pageOf,
  previewView,
  reconciliationView,
  runDetailView,
  runView,
  runWithOutcomesView,
  syncQueuedView,
  syncStatusView,
} from '../response-schemas.js';

const runBody = z.strictObject({ mode: z.enum(SYNC_RUN_MODES).default('incremental') });
const runsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.uuid().optional(),
  status: z.enum(SYNC_RUN_STATUSES).optional(),
  // Previews change nothing: they stay out of the history unless asked for (or filtered on with status=preview).
  includePreviews: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
const runParams = z.strictObject({ id: z.uuid() });
const outcomesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  after: z.coerce.number().int().min(0).optional(),
  outcome: z.enum(['created', 'updated', 'deactivated', 'reactivated', 'skipped', 'failed']).optional(),
  search: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('Outcomes whose e-mail contains this (case-insensitive)'),
});
const reportQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(200) });
// An Entra object id is a GUID: 8-4-4-4-12 hexadecimal digits (https://learn.microsoft.com/graph/api/resources/user#properties, `id`).
const userParams = z.strictObject({
  entraId: z.guid('an Entra object id (a GUID such as 5f1c2d3e-0000-4000-8000-123456789abc)'),
});

describeRoute({
  operationId: 'getSyncStatus',
  response: syncStatusView,
  method: 'get',
  path: '/api/admin/sync/status',
  summary: 'Schedule of the Entra sync: next run, queued and running',
  tags: ['sync'],
  admin: true,
});
describeRoute({
  operationId: 'syncNow',
  response: syncQueuedView,
  errors: [409],
  method: 'post',
  path: '/api/admin/sync/run',
  summary: 'Sync now: queue an Entra sync at once, or join the one queued or running; answers with its run id',
  tags: ['sync'],
  body: runBody,
  status: 202,
  admin: true,
});
describeRoute({
  operationId: 'previewSync',
  response: previewView,
  errors: [409, 502],
  method: 'post',
  path: '/api/admin/sync/preview',
  summary: 'What the next run would change, without applying it',
  tags: ['sync'],
  body: runBody,
  admin: true,
});
describeRoute({
  operationId: 'syncOneUser',
  response: runWithOutcomesView,
  errors: [404, 409, 502],
  method: 'post',
  path: '/api/admin/sync/users/:entraId',
  summary: 'Sync one user now; answers with what changed',
  tags: ['sync'],
  params: userParams,
  admin: true,
});
describeRoute({
  operationId: 'listSyncRuns',
  response: pageOf(runView, z.string()),
  method: 'get',
  path: '/api/admin/sync/runs',
  summary:
    'Sync history, newest first (page on with ?after=<next>); previews only with ?includePreviews=true or status=preview',
  tags: ['sync'],
  query: runsQuery,
  admin: true,
});
describeRoute({
  operationId: 'getSyncRun',
  response: runDetailView,
  method: 'get',
  path: '/api/admin/sync/runs/:id',
  summary: 'One run with its counts and progress',
  tags: ['sync'],
  params: runParams,
  admin: true,
});
describeRoute({
  operationId: 'listSyncRunOutcomes',
  response: pageOf(outcomeView, z.string()),
  method: 'get',
  path: '/api/admin/sync/runs/:id/outcomes',
  summary: 'Per-user outcomes of a run (page on with ?after=<next>)',
  tags: ['sync'],
  params: runParams,
  query: outcomesQuery,
  admin: true,
});
describeRoute({
  operationId: 'confirmHeldRun',
  response: runView,
  errors: [409],
  method: 'post',
  path: '/api/admin/sync/runs/:id/confirm',
  summary:
    'Apply the deactivations a held run waits to make that are still due now; the others are reported as skipped',
  tags: ['sync'],
  params: runParams,
  admin: true,
});
describeRoute({
  operationId: 'getReconciliationReport',
  response: reconciliationView,
  method: 'get',
  path: '/api/admin/sync/reconciliation',
  summary: 'Entra users without HR user (and why), HR users without Entra link, linked pairs whose e-mails differ',
  tags: ['sync'],
  query: reportQuery,
  admin: true,
});
describeRoute({
  operationId: 'cancelSyncRun',
  response: runView,
  errors: [404, 409],
  method: 'post',
  path: '/api/admin/sync/runs/:id/cancel',
  summary: 'Cancel a queued or running run; it stops within a moment and the next run resumes from the stored cursor',
  tags: ['sync'],
  params: runParams,
  admin: true,
});
describeRoute({
  operationId: 'discardHeldRun',
  response: runView,
  errors: [409],
  method: 'post',
  path: '/api/admin/sync/runs/:id/discard',
  summary: 'Drop the deactivations a held run waits to make',
  tags: ['sync'],
  params: runParams,
  admin: true,
});

export interface SyncRouterDeps {
  scheduler: Scheduler;
  lock: SyncLock;
  inbound: InboundSyncService;
  requests: SyncRequestsService;
  connected: () => boolean;
  /** Confirm and discard of held runs are announced like problem runs (e-mail, signed webhook). */
  notifier?: HeldRunNotifier;
  /** Whether a background run can be executed now (a connection, or the engine a test put in its place). */
  canSync: () => boolean;
}

export function syncRouter(deps: SyncRouterDeps): Router {
  const router = Router();
  router.use(requireAdmin);
  router.get('/status', async (req, res) => {
    const settings = await req.context.repos.settings.read();
    // The schedule says when; the channel runs it fans out say whether one waits or runs.
    const schedule = await deps.scheduler.status('sync-schedule');
    const job = await deps.scheduler.status('entra-sync');
    const reconciliation = await deps.scheduler.status('entra-reconciliation');
    const runs = new SyncRunsService(req.context.repos);
    const [lastRun] = (await runs.list({ limit: 1, includePreviews: false })).items;
    const activeRun = await runs.active();
    // Held runs stay listed after later runs, until an admin confirms or discards them (rule 3.6).
    const heldRuns = await runs.held();
    res.json({
      connected: deps.connected(),
      autoSync: settings.autoSync,
      interval: settings.syncInterval,
      nextRunAt: schedule.nextRunAt,
      nextReconciliationAt: reconciliation.nextRunAt,
      queued: job.queued,
      running: job.running,
      activeRun,
      lastRun: lastRun ?? null,
      heldRuns,
    });
  });
  router.post('/run', async (req, res) => {
    const { mode } = body(req, runBody);
    if (!deps.canSync()) throw new AppError('conflict', 'No Entra connection is configured');
    const { run, joined } = await deps.requests.syncNow(mode, principalOf(req).userId);
    res.status(202).json({ runId: run.id, joined, run });
  });
  router.post('/runs/:id/cancel', async (req, res) => {
    res.json(await deps.requests.cancel(params(req, runParams).id, principalOf(req).userId));
  });
  // Preview and one-user syncs answer at once, so they take the sync lock themselves.
  router.post('/preview', async (req, res) => {
    const { mode } = body(req, runBody);
    const result = reportUpstream(
      await runLocked(deps, () => deps.inbound.run({ trigger: 'preview', mode, requestedBy: principalOf(req).userId })),
    );
    const runs = new SyncRunsService(req.context.repos);
    // A preview says whether the real run would be held (rule 3.6), so 37 deactivations are no surprise.
    res.json({
      run: await runs.get(result.runId),
      outcomes: (await runs.outcomes(result.runId, { limit: 1000 })).items,
      wouldBeHeld: result.guard?.wouldBeHeld ?? false,
      guard: result.guard ?? null,
    });
  });
  router.post('/users/:entraId', async (req, res) => {
    const { entraId } = params(req, userParams);
    const result = reportUpstream(
      await runLocked(deps, () => deps.inbound.syncUser(entraId.toLowerCase(), principalOf(req).userId)),
    );
    const runs = new SyncRunsService(req.context.repos);
    res.json({
      run: await runs.get(result.runId),
      outcomes: (await runs.outcomes(result.runId, { limit: 100 })).items,
    });
  });
  router.get('/reconciliation', async (req, res) => {
    res.json(await new SyncRunsService(req.context.repos).reconciliation(query(req, reportQuery).limit));
  });
  router.get('/runs', async (req, res) => {
    res.json(await new SyncRunsService(req.context.repos).list(query(req, runsQuery)));
  });
  router.get('/runs/:id', async (req, res) => {
    const runs = new SyncRunsService(req.context.repos);
    const { id } = params(req, runParams);
    const run = await runs.get(id);
    res.json({ ...run, pending: run.status === 'held' ? await runs.pending(id) : [] });
  });
  router.get('/runs/:id/outcomes', async (req, res) => {
    res.json(
      await new SyncRunsService(req.context.repos).outcomes(params(req, runParams).id, query(req, outcomesQuery)),
    );
  });
  router.post('/runs/:id/confirm', async (req, res) => {
    const { id } = params(req, runParams);
    res.json(
      await runLocked(deps, () =>
        new SyncRunsService(req.context.repos, deps.notifier).confirm(id, principalOf(req).userId),
      ),
    );
  });
  router.post('/runs/:id/discard', async (req, res) => {
    const { id } = params(req, runParams);
    res.json(await new SyncRunsService(req.context.repos, deps.notifier).discard(id, principalOf(req).userId));
  });
  return router;
}

/**
 * A run the caller waits for that Graph's failure ended is answered like any Graph failure in an
 * admin call (502 upstream_failed, src/http/upstream-problem.ts); the run stays recorded as failed.
 */
function reportUpstream<T extends { upstreamFailure?: unknown }>(result: T): T {
  if (result.upstreamFailure !== undefined) throw result.upstreamFailure;
  return result;
}

async function runLocked<T>(deps: SyncRouterDeps, work: () => Promise<T>): Promise<T> {
  if (!deps.connected()) throw new AppError('conflict', 'No Entra connection is configured');
  const outcome = await deps.lock.tryWithLock(work);
  if (!outcome.acquired) throw new AppError('conflict', 'A sync is running; try again when it has finished');
  return outcome.value;
}
