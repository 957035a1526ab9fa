import type { Logger } from 'pino';
import { contentOf, type MailboxEvent } from '../../domain/calendar-event.js';
import { conflictWinner, transactionIdOf } from '../../domain/hr-event.js';
import type { FailurePolicy } from '../kernel/error-policy.js';
import type { EventWrite, HrEventState, PendingHrEvent, SyncedCalendar } from './calendar-sync.ports.js';
import type { MailboxRun } from './calendar-sync.service.js';
import type { HrEntriesHandler } from './event-fetch.stage.js';

/** HR events pushed per run and mailbox; the rest wait for the next run, which the push queues. */
const PUSH_LIMIT = 500;

/** HR's own events are HR's content: a private one keeps its details in HR. */
const OWN = { showPrivateDetails: true };

/**
 * Outlook's side of HR's events (rules 6.7, 6.8), as a page of a calendar's delta brings them: an
 * entry with the changeKey HR saw last is HR's own write coming back and changes nothing (no echo);
 * another changeKey is an edit made in Outlook, which HR takes, unless HR changed the event too
 * since its last push: then the conflict rule (src/domain/hr-event.ts) decides, the losing version
 * goes to the event's history and the run records the conflict. An entry removed from the view is
 * read once: gone is a deletion in Outlook, which HR follows; still there, it moved out of the window.
 */
export function hrEntriesHandler(): HrEntriesHandler {
  return async (run, _calendar, entries) => {
    const states = new Map((await run.events.hrEventStates(entries.map((e) => e.stored.id))).map((s) => [s.id, s]));
    for (const { stored, entry } of entries) {
      const state = states.get(stored.id);
      if (!state) continue;
      let event: MailboxEvent | null;
      if (entry.kind === 'removed') {
        event = await run.source.getEvent(run.mailbox.entraId, state.sourceId);
        if (event === null) {
          await deletedInOutlook(run, state);
          continue;
        }
      } else event = entry.event;
      if (state.changeKey !== null && event.changeKey === state.changeKey) continue;
      await changedInOutlook(run, state, event);
    }
  };
}

async function changedInOutlook(run: MailboxRun, state: HrEventState, event: MailboxEvent): Promise<void> {
  const hrPending = state.hrVersion > state.pushedVersion;
  const winner = hrPending ? conflictWinner(state.hrModifiedAt, event.lastModified) : 'outlook';
  if (hrPending)
    run.conflicts.push({
      eventId: state.id,
      winner,
      reason: `changed on both sides: HR at ${state.hrModifiedAt}, Outlook at ${event.lastModified ?? 'an unknown time'}`,
    });
  if (winner === 'outlook') {
    await run.events.takeOutlookVersion(state.id, event, contentOf(event, OWN), {
      reason: hrPending ? 'conflict-lost' : 'changed-in-outlook',
      side: 'hr',
      snapshot: { ...state.content, deleted: state.deleted },
    });
    run.counts.eventsStored += 1;
  } else {
    await run.events.keepHrVersion(state.id, event, {
      reason: 'conflict-lost',
      side: 'outlook',
      snapshot: { ...contentOf(event, OWN), changeKey: event.changeKey, lastModified: event.lastModified },
    });
  }
}

async function deletedInOutlook(run: MailboxRun, state: HrEventState): Promise<void> {
  if (state.deleted && state.hrVersion === state.pushedVersion) return;
  const hrPending = state.hrVersion > state.pushedVersion;
  if (hrPending)
    run.conflicts.push({
      eventId: state.id,
      winner: 'outlook',
      reason: `changed in HR at ${state.hrModifiedAt}, deleted in Outlook since`,
    });
  await run.events.deletedInOutlook(state.id, {
    reason: hrPending ? 'conflict-lost' : 'deleted-in-outlook',
    side: 'hr',
    snapshot: { ...state.content, deleted: state.deleted },
  });
  run.counts.eventsRemoved += 1;
}

/**
 * HR -> Microsoft 365 (rule 6.7): after the delta has been read, each HR event whose latest version
 * Microsoft 365 does not have is created, changed or deleted there. The hr_event row is the outbox:
 * HR's change and its version are written in one transaction, and the row stays pending until a
 * push settles that version, so nothing is lost to a crash or a failed call. A creation carries a
 * transactionId recorded before it is sent and the HR id as its tag, so a request whose answer was
 * lost never makes a second copy: the retry reuses the transactionId, and a later run looks for the
 * tag before creating. Changes and deletions carry the changeKey HR saw (If-Match): a 412 means
 * Outlook changed the event meanwhile, so the delta is read again, the conflict rule decides, and
 * the push goes once more.
 */
export function hrEventPushStage(deps: {
  fetch: (run: MailboxRun) => Promise<void>;
  failures: FailurePolicy;
  logger: Logger;
  now: () => Date;
}): (run: MailboxRun) => Promise<void> {
  return async (run) => {
    const first = await pushPending(run, deps);
    if (first.stale === 0 && !first.series) return;
    // A series HR wrote shows in HR as its occurrences, which the calendar view now holds.
    await deps.fetch(run);
    if (first.stale > 0) await pushPending(run, deps);
  };
}

type PushDeps = { failures: FailurePolicy; logger: Logger; now: () => Date };

/** How many events Outlook had changed since HR saw them (412), and whether a series was written. */
async function pushPending(run: MailboxRun, deps: PushDeps): Promise<{ stale: number; series: boolean }> {
  const pending = await run.events.pendingHrEvents(run.mailbox.hrUserId, PUSH_LIMIT);
  if (pending.length === 0) return { stale: 0, series: false };
  let series = false;
  const calendars = await run.store.syncedCalendars(run.mailbox.hrUserId);
  let stale = 0;
  for (const event of pending) {
    if (run.signal.aborted) throw new Error('the calendar run was stopped');
    try {
      const outcome = await pushOne(run, event, calendars, deps);
      if (outcome === 'changed') stale += 1;
      if (outcome === 'pushed') run.counts.eventsPushed += 1;
      if (outcome === 'pushed' && event.content.recurrence !== null) series = true;
    } catch (error) {
      const decision = deps.failures.decide(error, 'item');
      if (decision.action === 'stop-run') throw error;
      deps.logger.warn({ err: error, eventId: event.id }, 'an HR event could not be pushed to Microsoft 365');
      await run.events.failPush(event.id, (error instanceof Error ? error.message : String(error)).slice(0, 1000));
    }
  }
  return { stale, series };
}

async function pushOne(
  run: MailboxRun,
  event: PendingHrEvent,
  calendars: readonly SyncedCalendar[],
  deps: PushDeps,
): Promise<'pushed' | 'changed' | 'waiting'> {
  const mailboxId = run.mailbox.entraId;
  const write: EventWrite = { ...event.content, hrId: event.id };
  if (event.deleted) {
    let target = event.sourceId === null ? null : { sourceId: event.sourceId, changeKey: event.changeKey };
    const placed = calendars.find((c) => c.id === event.calendarId);
    if (target === null && event.transactionId !== null && placed) {
      // Deleted in HR before the answer to its creation came: the event may be there all the same.
      const found = await run.source.findTagged(mailboxId, placed.sourceId, event.id);
      if (found) target = { sourceId: found.sourceId, changeKey: found.changeKey };
    }
    const outcome = target ? await run.source.deleteEvent(mailboxId, target.sourceId, target.changeKey) : 'gone';
    if (outcome === 'changed') return 'changed';
    await run.events.settleDeletion(event.id, event.hrVersion);
    return 'pushed';
  }
  if (event.sourceId !== null) {
    const outcome = await run.source.updateEvent(mailboxId, event.sourceId, write, event.changeKey);
    if (outcome.kind === 'changed') return 'changed';
    if (outcome.kind === 'gone') {
      // Deleted in Outlook since the last read: the deletion wins (src/domain/hr-event.ts).
      const [state] = await run.events.hrEventStates([event.id]);
      if (state) await deletedInOutlook(run, state);
      return 'waiting';
    }
    let settled = outcome.event;
    if (event.cancelledOccurrences.length > 0) {
      // Occurrences of the series deleted in HR: deleted there too; a gone one is already deleted.
      for (const occurrence of event.cancelledOccurrences)
        await run.source.deleteEvent(mailboxId, occurrence.sourceId, null);
      settled = (await run.source.getEvent(mailboxId, event.sourceId)) ?? settled;
    }
    await run.events.settlePush(event.id, event.hrVersion, settled);
    return 'pushed';
  }
  // The employee's pick while it is an enabled calendar of theirs, the default calendar otherwise.
  const calendar = calendars.find((c) => c.id === event.calendarId && c.enabled) ?? calendars.find((c) => c.isDefault);
  if (!calendar) return 'waiting';
  if (event.transactionId !== null && event.calendarId === calendar.id) {
    // A creation was sent before and its answer never came: the event may be there already.
    const found = await run.source.findTagged(mailboxId, calendar.sourceId, event.id);
    if (found) {
      const outcome = await run.source.updateEvent(mailboxId, found.sourceId, write, found.changeKey);
      if (outcome.kind !== 'written') return outcome.kind === 'changed' ? 'changed' : 'waiting';
      await run.events.settlePush(event.id, event.hrVersion, outcome.event);
      return 'pushed';
    }
  }
  const transactionId =
    event.transactionId !== null && event.calendarId === calendar.id
      ? event.transactionId
      : transactionIdOf(event.id, deps.now().getTime());
  if (transactionId !== event.transactionId || event.calendarId !== calendar.id)
    await run.events.placeHrEvent(event.id, calendar.id, transactionId);
  const created = await run.source.createEvent(mailboxId, calendar.sourceId, write, transactionId);
  await run.events.settlePush(event.id, event.hrVersion, created);
  return 'pushed';
}
