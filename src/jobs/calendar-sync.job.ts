import type { PollOutcome } from '../sync/calendars/calendar-poll.service.js';
import type { CalendarRunOutcome } from '../sync/calendars/calendar-sync.service.js';
import type { CalendarTrigger, JobHandler, JobQueue } from './job-registry.js';

/** A mailbox Graph kept throttling is left to the next schedule after this many attempts. */
const MAX_ATTEMPTS = 3;

/** Mailboxes per `calendar-poll` job: 50 mailboxes' calendars fill a few `$batch` calls of 20. */
export const POLL_SET_SIZE = 50;

/**
 * Fans the calendar poll out: the due mailboxes in `calendar-poll` jobs of POLL_SET_SIZE, in the
 * shared job store, so every instance takes its share and one slow set holds up no other. First it
 * ends the subscriptions of mailboxes no longer synced (all of them while calendar sync is off).
 */
export function calendarScheduleJob(deps: {
  calendarSync: () => Promise<boolean>;
  dueMailboxes: () => Promise<string[]>;
  endStaleSubscriptions: (options: { calendarSync: boolean }) => Promise<number>;
  queue: Pick<JobQueue, 'now'>;
}): JobHandler<'calendar-schedule'> {
  return async () => {
    const calendarSync = await deps.calendarSync();
    const ended = await deps.endStaleSubscriptions({ calendarSync });
    const endedNote = ended > 0 ? `; ${ended} subscription(s) of mailboxes no longer synced ended` : '';
    if (!calendarSync) return { status: 'skipped', detail: `calendar sync is off${endedNote}` };
    const mailboxes = await deps.dueMailboxes();
    for (let start = 0; start < mailboxes.length; start += POLL_SET_SIZE)
      await deps.queue.now('calendar-poll', { hrUserIds: mailboxes.slice(start, start + POLL_SET_SIZE) });
    return {
      status: 'done',
      detail: `${mailboxes.length} mailbox(es) in ${Math.ceil(mailboxes.length / POLL_SET_SIZE)} poll(s) queued${endedNote}`,
    };
  };
}

/** One set of mailboxes polled (CalendarPollService): those that need only their cursors settled together, the others run. */
export function calendarPollJob(deps: {
  calendarSync: () => Promise<boolean>;
  poll: { poll(hrUserIds: readonly string[], options: { signal: AbortSignal }): Promise<PollOutcome> };
}): JobHandler<'calendar-poll'> {
  return async (payload, { signal }) => {
    if (!(await deps.calendarSync())) return { status: 'skipped', detail: 'calendar sync is off' };
    const outcome = await deps.poll.poll(payload.hrUserIds, { signal });
    return {
      status: 'done',
      detail: `${outcome.settled} settled in the set (${outcome.changed} with changes), ${outcome.ran} run, ${outcome.skipped} skipped, ${outcome.busy} busy, ${outcome.failed} failed, ${outcome.stopped} stopped`,
    };
  };
}

/**
 * One mailbox's run: the engine checks that it still applies (calendar sync on, the user active,
 * linked and not switched off), takes the mailbox's channel lock and runs. A scheduled run that
 * finds the mailbox busy is skipped (the run going on reads the same changes); a run for a change
 * in HR waits and tries again, so the change is pushed. A busy Graph is tried again later.
 */
export function calendarSyncJob(deps: {
  calendars: { run(hrUserId: string, options: { trigger: string; signal: AbortSignal }): Promise<CalendarRunOutcome> };
  retryDelayMs?: number;
}): JobHandler<'calendar-sync'> {
  return async (payload, { signal }) => {
    const attempt = payload.attempt ?? 1;
    const outcome = await deps.calendars.run(payload.hrUserId, { trigger: payload.trigger, signal });
    const retry = (why: string) => ({
      status: 'retry-later' as const,
      delayMs: deps.retryDelayMs ?? (outcome.status === 'busy' ? 2000 : 60_000),
      payload: { ...payload, attempt: attempt + 1 },
      detail: why,
    });
    if (outcome.status === 'busy')
      return waitsForChange(payload.trigger) && attempt < MAX_ATTEMPTS * 5
        ? retry(outcome.detail)
        : { status: 'skipped', detail: outcome.detail };
    if (outcome.status === 'failed' && outcome.kind === 'retryable' && attempt < MAX_ATTEMPTS)
      return retry(`Graph was busy: ${outcome.detail}`);
    return {
      status: outcome.status === 'skipped' ? 'skipped' : 'done',
      detail: `${outcome.status}: ${outcome.detail}`,
    };
  };
}

function waitsForChange(trigger: CalendarTrigger): boolean {
  return trigger !== 'schedule';
}
