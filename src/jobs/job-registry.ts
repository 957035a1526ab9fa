/**
 * Every job the service runs, with its payload: one typed map over Agenda (the Scheduler's
 * define/now/later take names from here). Payloads hold ids and intent only; handlers reload what
 * they need and check that the work still applies, so a job queued before a settings change acts on
 * the settings of its run, and a job queued twice does its work once.
 *
 * Schedules only fan work out (sync-schedule, entra-reconciliation, picture-sync): the work itself
 * is many small jobs in the shared job store, which any running instance may take.
 */
export interface JobPayloads {
  /** Every sync interval: queues one `entra-sync` per due channel. */
  'sync-schedule': Record<string, never>;
  /** The full reconciliation on its own schedule (weekly by default): one full `entra-sync` per due channel. */
  'entra-reconciliation': Record<string, never>;
  /**
   * One run of a channel (docs/rules.md#inbound-sync): fanned out by a schedule, or a "sync now"
   * (whose run is recorded as queued and named by `runId`).
   */
  'entra-sync': {
    trigger: SyncTrigger;
    mode?: 'incremental' | 'full';
    requestedBy?: string;
    runId?: string;
    /** The channel to run; absent in jobs queued before channels existed (the inbound channel). */
    channelId?: string;
  };
  /** Profile pictures Entra -> HR (rule 2.5): after runs that created users, and hourly; queues `picture-batch` jobs. */
  'picture-sync': Record<string, never>;
  /** The pictures of these HR users; `attempt` counts the retries after Graph was busy. */
  'picture-batch': { hrUserIds: string[]; attempt?: number };
  /** Every CALENDAR_POLL_INTERVAL while calendar sync is on: the due mailboxes in `calendar-poll` sets (docs/rules.md §6.10). */
  'calendar-schedule': Record<string, never>;
  /** A scheduled poll of these mailboxes: those that need only their cursors read in `$batch` calls and settled together, the others run one by one. */
  'calendar-poll': { hrUserIds: string[] };
  /**
   * One mailbox's calendar run (its own channel), queued at once by a change in HR (`change`), a
   * Graph notification (`notification`) or an admin (`manual`); scheduled polls run mailboxes through
   * `calendar-poll`. `attempt` counts retries after Graph was busy.
   */
  'calendar-sync': { hrUserId: string; trigger: CalendarTrigger; attempt?: number };
  /** Daily: pending employees whose resignation date has come are archived (rule 3.5). */
  'employment-lifecycle': Record<string, never>;
  /**
   * Write-back (docs/rules.md §4): drains the outbox of HR changes for Entra. Queued a moment after
   * a change commits (the outbox announces it), and every 30 seconds as a safety sweep.
   */
  'write-back-drain': Record<string, never>;
  /** Invitations to sign in (docs/rules.md §8.4): every INVITATION_SEND_INTERVAL, and at once when an admin asks. */
  'invitations-send': Record<string, never>;
}

export type SyncTrigger = 'schedule' | 'manual' | 'reconciliation';
export type CalendarTrigger = 'schedule' | 'change' | 'manual' | 'notification';
export type JobName = keyof JobPayloads;

/**
 * What a handler reports. Only a thrown error is a failure (Agenda records it); `retry-later` is
 * not one: the Scheduler queues the job again after `delayMs`, with `payload` when the retry needs
 * less (or more precise) work than the job had.
 */
export type JobResult<N extends JobName = JobName> =
  | { status: 'done' | 'skipped'; detail?: string }
  | { status: 'retry-later'; delayMs: number; detail?: string; payload?: JobPayloads[N] };

export type JobOutcome = JobResult['status'] | 'failed';

export type JobHandler<N extends JobName> = (
  payload: JobPayloads[N],
  context: { jobId: string; signal: AbortSignal },
) => Promise<JobResult<N>>;

/** Queues jobs in the shared job store (the Scheduler): what fan-out handlers are given. */
export interface JobQueue {
  now<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<string>;
  /** How many jobs of that name wait or run now (across every instance). */
  pending(name: JobName): Promise<number>;
}
