import type { EmulatorContext } from '../emulator-context.js';
import { graphError } from '../http/graph-errors.js';
import type { GraphRequest, GraphResponse } from '../http/graph-types.js';
import type { UserRecord } from '../store/store-types.js';
import type { ReachedCalendar } from './calendar-store.js';
import type { EventRecord } from './calendar-types.js';
import type { Owner } from './event-projection.js';
import { parseOccurrenceId } from './event-view.js';

export type Found<T> = { ok: true; value: T } | { ok: false; response: GraphResponse };

/**
 * The mailbox a path names by id or UPN. An unknown user and a user without a mailbox answer as
 * Exchange does (observed, not documented: 404 ErrorInvalidUser, 404 MailboxNotEnabledForRESTAPI).
 */
export function mailboxOf(ctx: EmulatorContext, req: GraphRequest): Found<UserRecord> {
  const idOrUpn = req.params['id'] ?? '';
  const user = ctx.store.getUser(idOrUpn);
  if (!user)
    return { ok: false, response: graphError(404, 'ErrorInvalidUser', `The requested user '${idOrUpn}' is invalid.`) };
  const mailbox = ctx.calendars.mailbox(user.id);
  if (!mailbox)
    return {
      ok: false,
      response: graphError(
        404,
        'MailboxNotEnabledForRESTAPI',
        'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
      ),
    };
  return { ok: true, value: mailbox };
}

/** A calendar the mailbox reaches (`:cid`, or its default calendar when the path names none). */
export function calendarOf(ctx: EmulatorContext, req: GraphRequest, mailbox: UserRecord): Found<ReachedCalendar> {
  const calendarId = req.params['cid'];
  const reached =
    calendarId === undefined
      ? ctx.calendars.reachable(mailbox.id).find((c) => c.calendar.isDefaultCalendar && !c.link)
      : ctx.calendars.reach(mailbox.id, calendarId);
  return reached ? { ok: true, value: reached } : { ok: false, response: itemNotFound() };
}

export interface ReachedEvent {
  reached: ReachedCalendar;
  event: EventRecord;
  /** Set when the id names one occurrence of a series. */
  originalStartMs?: number;
}

/** An event (a single instance, a series master or one occurrence) in a calendar the mailbox reaches. */
export function eventOf(
  ctx: EmulatorContext,
  mailbox: UserRecord,
  eventId: string,
  calendarId?: string,
): Found<ReachedEvent> {
  const occurrence = parseOccurrenceId(eventId);
  const event = ctx.calendars.events.get(occurrence?.masterId ?? eventId);
  if (!event || (occurrence && event.type !== 'seriesMaster')) return { ok: false, response: itemNotFound() };
  const reached = ctx.calendars
    .reachable(mailbox.id)
    .find((c) => c.calendar.id === event.calendarId && (calendarId === undefined || c.id === calendarId));
  if (!reached) return { ok: false, response: itemNotFound() };
  return {
    ok: true,
    value: { reached, event, ...(occurrence ? { originalStartMs: occurrence.originalStartMs } : {}) },
  };
}

/** The person who owns a calendar, as `owner` and as the default organizer. */
export function ownerOf(ctx: EmulatorContext, reached: ReachedCalendar): Owner {
  const user = ctx.store.getUser(reached.calendar.mailboxId);
  return { name: String(user?.p['displayName'] ?? ''), address: String(user?.p['mail'] ?? '') };
}

/** Unknown or unreachable ids (observed: 404 ErrorItemNotFound, "The specified object was not found in the store."). */
export function itemNotFound(): GraphResponse {
  return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
}

export function accessDenied(): GraphResponse {
  return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
}
