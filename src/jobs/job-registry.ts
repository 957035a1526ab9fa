/**
 * Every job the service runs, with its payload. Payloads hold ids and intent only; handlers reload
 * what they need, so a job queued before a settings change acts on the settings of its run.
 */
export interface JobPayloads {
  /** The background Entra sync (domain-rules 2.7): scheduled, "sync now", or one user. */
  'entra-sync': { trigger: SyncTrigger; mode?: 'incremental' | 'full'; requestedBy?: string; runId?: string };
  /** The full reconciliation on its own schedule (weekly by default): the same engine, every user. */
  'entra-reconciliation': Record<string, never>;
  /** Profile pictures Entra -> HR (rule 2.5): after runs that created users, and hourly. */
  'picture-sync': Record<string, never>;
  /** Daily: pending employees whose resignation date has come are archived (rule 3.5). */
  'employment-lifecycle': Record<string, never>;
}

export type SyncTrigger = 'schedule' | 'manual' | 'reconciliation';
export type JobName = keyof JobPayloads;

/** What a handler reports; Agenda only learns of failures, the log and metrics learn of all three. */
export type JobResult = { status: 'done' | 'skipped'; detail?: string };

export type JobHandler<N extends JobName> = (
  payload: JobPayloads[N],
  context: { jobId: string; signal: AbortSignal },
) => Promise<JobResult>;
