import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { RunProgress, SyncCounts } from '../../../sync/inbound/sync-run.ports.js';

export type { RunProgress, SyncCounts } from '../../../sync/inbound/sync-run.ports.js';

/** One execution of the background sync (rule 8.1). */
export const SyncRun = defineEntity({
  name: 'SyncRun',
  tableName: 'sync_run',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    /** A SyncRunTrigger (sync/inbound/sync-run.ports.ts). */
    trigger: p.string().length(16),
    /** A SyncRunMode. */
    mode: p.string().length(16),
    /** A SyncRunStatus. */
    status: p.string().length(32),
    startedAt: p.datetime().defaultRaw('now()'),
    finishedAt: p.datetime().nullable(),
    counts: p.json<SyncCounts>(),
    progress: p.json<RunProgress>(),
    error: p.text().nullable(),
    triggeredBy: p.uuid().nullable(),
    /** The service instance running it (Agenda's name): a run whose instance is gone died with it. */
    instance: p.string().length(128).nullable(),
    cancelRequestedAt: p.datetime().nullable(),
    cancelledBy: p.uuid().nullable(),
    /** Time the run spent waiting for Graph's Retry-After, all requests together. */
    throttleWaitMs: p.integer().default(0),
  },
  indexes: [
    { properties: ['startedAt'] },
    // At most one background sync queued or running at a time, across every instance (rule 8.1).
    {
      name: 'sync_run_one_active',
      expression:
        "create unique index \"sync_run_one_active\" on \"sync_run\" ((true)) where \"status\" in ('queued', 'running') and \"trigger\" in ('manual', 'schedule', 'reconciliation')",
    },
  ],
});
export type SyncRunEntity = InferEntity<typeof SyncRun>;

/** What one run did to one user: the fields it changed (old, new) or why it skipped or failed. */
export const SyncRunOutcome = defineEntity({
  name: 'SyncRunOutcome',
  tableName: 'sync_run_outcome',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    run: () => p.manyToOne(SyncRun).mapToPk().deleteRule('cascade'),
    hrUserId: p.uuid().nullable(),
    entraId: p.string().length(64).nullable(),
    email: p.string().length(320).nullable(),
    /** 'created' | 'updated' | 'deactivated' | 'reactivated' | 'skipped' | 'failed'. */
    outcome: p.string().length(16),
    changes: p.json<Array<{ field: string; old: unknown; new: unknown }>>().default('[]'),
    reason: p.text().nullable(),
  },
  indexes: [
    { properties: ['run', 'outcome'] },
    { name: 'sync_run_outcome_run_id_id_index', properties: ['run', 'id'] },
  ],
});
export type SyncRunOutcomeEntity = InferEntity<typeof SyncRunOutcome>;
