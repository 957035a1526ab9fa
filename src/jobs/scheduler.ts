import { Agenda, type Job } from 'agenda';
import { PostgresBackend } from '@agendajs/postgres-backend';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { JobHandler, JobName, JobOutcome, JobPayloads, JobQueue } from './job-registry.js';

export interface SchedulerOptions {
  /** The service's own database pool: the job store when no MongoDB is configured. */
  pool: pg.Pool;
  mongoUrl?: string;
  /** Polling interval: how soon a job due later (or missed by a notification) is picked up. */
  processEvery: string;
  /** Whether PostgreSQL LISTEN/NOTIFY announces new jobs at once (PostgreSQL job store only). */
  notifications: boolean;
  instanceName: string;
  logger: Logger;
  onJobFinished?: (name: JobName, outcome: JobOutcome, seconds: number) => void;
}

/** A typed face over Agenda: one map from job name to payload (job-registry.ts). */
export class Scheduler implements JobQueue {
  private constructor(
    private readonly agenda: Agenda,
    private readonly options: SchedulerOptions,
  ) {}

  static async create(options: SchedulerOptions): Promise<Scheduler> {
    const backend = options.mongoUrl
      ? await mongoBackend(options.mongoUrl)
      : new PostgresBackend({ pool: options.pool, disableNotifications: !options.notifications });
    const agenda = new Agenda({
      backend,
      name: options.instanceName,
      processEvery: options.processEvery,
      defaultLockLifetime: 10 * 60_000,
      // Room for eight mailboxes' calendar runs beside the inbound run, the drain and the rest.
      maxConcurrency: 16,
    });
    agenda.on('error', (error: Error) => options.logger.error({ err: error }, 'job store error'));
    // The LISTEN connection reports its own errors (a database restart, a dropped connection):
    // log them rather than let an unhandled 'error' event end the process.
    (
      backend as { notificationChannel?: { on?: (event: 'error', listener: (error: Error) => void) => void } }
    ).notificationChannel?.on?.('error', (error) =>
      options.logger.warn({ err: error }, 'job notification channel error; polling continues'),
    );
    // Connected before the service goes on: a start that fails later then ends the pool after the
    // job store is done with it, and the log shows that failure rather than "pool ended".
    await agenda.ready;
    return new Scheduler(agenda, options);
  }

  define<N extends JobName>(
    name: N,
    handler: JobHandler<N>,
    options: { concurrency?: number; lockLifetimeMs?: number } = {},
  ): void {
    const abort = new AbortController();
    this.aborts.push(abort);
    this.agenda.define<JobPayloads[N]>(
      name,
      async (job: Job<JobPayloads[N]>) => {
        const started = process.hrtime.bigint();
        const jobId = String(job.attrs._id ?? '');
        const log = this.options.logger.child({ job: name, jobId });
        const work = handler(job.attrs.data, { jobId, signal: abort.signal });
        this.inFlight.add(work);
        try {
          const result = await work;
          // Not a failure: the same work is queued again for later, through the job store, so any instance may take it.
          if (result.status === 'retry-later') await this.later(result.delayMs, name, result.payload ?? job.attrs.data);
          log.info({ status: result.status, detail: result.detail }, `job ${name} ${result.status}`);
          this.options.onJobFinished?.(name, result.status, seconds(started));
        } catch (error) {
          log.error({ err: error }, `job ${name} failed`);
          this.options.onJobFinished?.(name, 'failed', seconds(started));
          throw error;
        } finally {
          this.inFlight.delete(work);
          // Agenda fills an instance's queue only at its poll interval or on a job notification, and
          // an instance locks no more jobs of a name than it runs: without this, a fan-out of many
          // small jobs ran `concurrency` of them per poll interval (4 mailboxes every 2 s). The
          // notification asks every instance to take the next ones now (PostgreSQL job store; with
          // MongoDB there is no channel and polling stays). Sent a moment later: Agenda releases
          // this job's lock slot only after the handler returns and the job is saved.
          if ((options.concurrency ?? 1) > 1)
            setTimeout(() => {
              this.agenda
                .publishJobNotification(job)
                .catch((error: unknown) => log.warn({ err: error }, 'could not announce that more jobs may run'));
            }, 100).unref();
        }
      },
      {
        concurrency: options.concurrency ?? 1,
        // An instance locks no more jobs of a name than it runs at once, so the jobs a fan-out queued
        // are left in the store for the other instances rather than all locked by the first to look.
        lockLimit: options.concurrency ?? 1,
        lockLifetime: options.lockLifetimeMs ?? 10 * 60_000,
      },
    );
  }

  private readonly aborts: AbortController[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  async start(): Promise<void> {
    await this.agenda.start();
  }

  /**
   * One recurring job per name: re-scheduling replaces the interval rather than adding a second job.
   * The same interval again (a restart, a settings change elsewhere) keeps the planned next run:
   * Agenda's `every` would compute it again from now and so push the run back each time.
   */
  async every<N extends JobName>(interval: string, name: N, payload: JobPayloads[N]): Promise<void> {
    const { jobs } = await this.agenda.queryJobs({ name });
    const planned = jobs.some(
      (job) =>
        job.repeatInterval === interval &&
        job.nextRunAt &&
        !job.disabled &&
        JSON.stringify(job.data) === JSON.stringify(payload),
    );
    if (planned) return;
    await this.agenda.every(interval, name, payload, { skipImmediate: true });
  }

  /** Removes the recurring job of that name (matched by its payload), leaving queued one-off runs alone. */
  async cancelRecurring<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<void> {
    await this.agenda.cancel({ name, data: payload });
  }

  get instanceName(): string {
    return this.options.instanceName;
  }

  /** A one-off job after `delayMs` (a job that could not start now tries again). */
  async later<N extends JobName>(delayMs: number, name: N, payload: JobPayloads[N]): Promise<void> {
    await this.agenda.schedule(new Date(Date.now() + delayMs), name, payload);
  }

  async now<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<string> {
    const job = await this.agenda.now(name, payload);
    return String(job.attrs._id);
  }

  /**
   * Releases the job locks of instances that are gone (a process killed in the middle of a job):
   * otherwise Agenda keeps such a job locked, and reported as running, for its whole lock lifetime.
   */
  async releaseLocksOf(isGone: (instance: string) => boolean, includeOwn = false): Promise<number> {
    const { jobs } = await this.agenda.queryJobs({ state: 'running' });
    const stale = jobs.filter(
      (job) =>
        job.lockedAt &&
        job.lastModifiedBy &&
        (includeOwn || job.lastModifiedBy !== this.options.instanceName) &&
        isGone(job.lastModifiedBy),
    );
    await this.agenda.db.unlockJobs(stale.map((job) => job._id));
    return stale.length;
  }

  async pending(name: JobName): Promise<number> {
    const { queued, running } = await this.status(name);
    return queued + running;
  }

  /** When the recurring job runs next, and whether a run is queued or running now. */
  async status(name: JobName): Promise<{ nextRunAt: Date | null; queued: number; running: number }> {
    const { jobs } = await this.agenda.queryJobs({ name });
    let nextRunAt: Date | null = null;
    let queued = 0;
    let running = 0;
    for (const job of jobs) {
      if (job.state === 'running') running += 1;
      if (job.repeatInterval && job.nextRunAt) nextRunAt = new Date(job.nextRunAt);
      else if (job.state === 'queued' || job.state === 'scheduled') queued += 1;
    }
    return { nextRunAt, queued, running };
  }

  /** Ping the job store: for /readyz. */
  async ping(): Promise<void> {
    await this.agenda.queryJobs({ name: '__ping__', limit: 1 });
  }

  /**
   * SIGTERM: stop taking work and let running jobs finish within `drainMs`; then abort what still
   * runs (a stuck run stops at once, see RunControl), wait at most `graceMs` for the handlers to
   * record how they ended, and release this instance's job locks so another instance can pick the
   * jobs up without waiting for their lock lifetime.
   */
  async shutdown(drainMs: number, graceMs: number, abortReason?: unknown): Promise<void> {
    const result = await this.agenda.drain(drainMs).catch(() => undefined);
    for (const abort of this.aborts) abort.abort(abortReason);
    if (!result || result.running > 0 || this.inFlight.size > 0) {
      await Promise.race([
        Promise.allSettled([...this.inFlight]),
        new Promise((resolve) => setTimeout(resolve, graceMs).unref()),
      ]);
      // drain() has let go of the job processor, so stop() would not unlock: release our locks here.
      await this.releaseLocksOf((instance) => instance === this.options.instanceName, true).catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'could not release the job locks'),
      );
    }
  }
}

async function mongoBackend(url: string) {
  const { MongoBackend } = await import('@agendajs/mongo-backend');
  return new MongoBackend({ address: url });
}

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
