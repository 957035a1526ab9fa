import { describe, expect, it } from '@jest/globals';
import { calendarScheduleJob, calendarSyncJob, POLL_SET_SIZE } from '../../../src/jobs/calendar-sync.job.js';
import type { CalendarRunOutcome } from '../../../src/sync/calendars/calendar-sync.service.js';

const context = { jobId: 'job-1', signal: new AbortController().signal };
const engine = (outcome: CalendarRunOutcome) => ({ run: async () => outcome });

describe('calendar-schedule: the due mailboxes in calendar-poll sets', () => {
  it('queues sets of POLL_SET_SIZE mailboxes, every mailbox in one set, and none while calendar sync is off; ends stale subscriptions either way', async () => {
    const queued: Array<{ name: string; payload: { hrUserIds: string[] } }> = [];
    const queue = {
      now: async (name: string, payload: unknown) =>
        String(queued.push({ name, payload: payload as { hrUserIds: string[] } })),
    };
    const due = Array.from({ length: POLL_SET_SIZE * 2 + 7 }, (_, i) => `u${i}`);
    const dueMailboxes = async () => due;
    const sweeps: boolean[] = [];
    const endStaleSubscriptions = async (options: { calendarSync: boolean }) => sweeps.push(options.calendarSync) + 1;
    const schedule = (calendarSync: boolean) =>
      calendarScheduleJob({ calendarSync: async () => calendarSync, dueMailboxes, endStaleSubscriptions, queue })(
        {},
        context,
      );
    const off = await schedule(false);
    expect([off.status, queued]).toEqual(['skipped', []]);
    expect(off.detail).toBe('calendar sync is off; 2 subscription(s) of mailboxes no longer synced ended');
    const on = await schedule(true);
    expect(on.status).toBe('done');
    expect(sweeps).toEqual([false, true]);
    expect(queued.map((q) => [q.name, q.payload.hrUserIds.length])).toEqual([
      ['calendar-poll', POLL_SET_SIZE],
      ['calendar-poll', POLL_SET_SIZE],
      ['calendar-poll', 7],
    ]);
    expect(queued.flatMap((q) => q.payload.hrUserIds)).toEqual(due);
  });
});

describe('calendar-sync: one mailbox run', () => {
  it('skips a scheduled run that finds the mailbox busy, but retries a run for a change in HR', async () => {
    const busy = engine({ status: 'busy', detail: 'calendar:e is being synced' });
    expect((await calendarSyncJob({ calendars: busy })({ hrUserId: 'u', trigger: 'schedule' }, context)).status).toBe(
      'skipped',
    );
    expect(
      await calendarSyncJob({ calendars: busy, retryDelayMs: 5 })({ hrUserId: 'u', trigger: 'change' }, context),
    ).toMatchObject({
      status: 'retry-later',
      delayMs: 5,
      payload: { hrUserId: 'u', trigger: 'change', attempt: 2 },
    });
  });

  it('retries a run Graph throttled a few times, then leaves it to the schedule', async () => {
    const throttled = engine({ status: 'failed', detail: '429', kind: 'retryable' });
    const job = calendarSyncJob({ calendars: throttled });
    expect((await job({ hrUserId: 'u', trigger: 'schedule' }, context)).status).toBe('retry-later');
    expect((await job({ hrUserId: 'u', trigger: 'schedule', attempt: 3 }, context)).status).toBe('done');
    const refused = engine({ status: 'failed', detail: '403', kind: 'permission-missing' });
    expect(
      (await calendarSyncJob({ calendars: refused })({ hrUserId: 'u', trigger: 'schedule' }, context)).status,
    ).toBe('done');
  });
});
