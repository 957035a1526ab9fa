import type { Attendee, MailboxEvent } from '../../domain/calendar-event.js';
import type { CalendarViewEntry } from '../../sync/calendars/calendar-sync.ports.js';

const TYPES = new Set(['singleInstance', 'occurrence', 'exception', 'seriesMaster']);

/**
 * A Graph event (https://learn.microsoft.com/graph/api/resources/event) as the calendar sync
 * reads it. Asked for in UTC (`Prefer: outlook.timezone="UTC"`), start and end are UTC wall clocks
 * with seven fractional digits; properties Graph leaves out read as empty, so a partial item never
 * throws.
 */
export function toMailboxEvent(item: Record<string, unknown>): MailboxEvent {
  const type = String(item.type ?? 'singleInstance');
  const organizer = address((item.organizer as { emailAddress?: unknown } | undefined)?.emailAddress);
  return {
    sourceId: String(item.id),
    seriesSourceId: typeof item.seriesMasterId === 'string' ? item.seriesMasterId : null,
    type: (TYPES.has(type) ? type : 'singleInstance') as MailboxEvent['type'],
    originalStart: typeof item.originalStart === 'string' ? new Date(item.originalStart).toISOString() : null,
    subject: text(item.subject),
    body: text((item.body as { content?: unknown } | undefined)?.content),
    location: text((item.location as { displayName?: unknown } | undefined)?.displayName),
    start: utcInstant(item.start),
    end: utcInstant(item.end),
    timeZone: text(item.originalStartTimeZone) || 'UTC',
    isAllDay: item.isAllDay === true,
    showAs: text(item.showAs) || 'busy',
    sensitivity: text(item.sensitivity) || 'normal',
    isCancelled: item.isCancelled === true,
    attendees: Array.isArray(item.attendees) ? item.attendees.map(attendee) : [],
    organizer,
    changeKey: typeof item.changeKey === 'string' ? item.changeKey : etagKey(item['@odata.etag']),
    lastModified:
      typeof item.lastModifiedDateTime === 'string' ? new Date(item.lastModifiedDateTime).toISOString() : null,
    transactionId: typeof item.transactionId === 'string' ? item.transactionId : null,
  };
}

/** A delta item: an event, or `@removed` (the event left the view, https://learn.microsoft.com/graph/api/event-delta). */
export function toViewEntry(item: Record<string, unknown>): CalendarViewEntry {
  return '@removed' in item
    ? { kind: 'removed', sourceId: String(item.id) }
    : { kind: 'event', event: toMailboxEvent(item) };
}

/** A dateTimeTimeZone asked for in UTC, as an ISO instant. */
function utcInstant(value: unknown): string {
  const { dateTime, timeZone } = (value ?? {}) as { dateTime?: unknown; timeZone?: unknown };
  if (typeof dateTime !== 'string') return new Date(0).toISOString();
  const wall = dateTime.replace(/(\.\d{3})\d*$/, '$1');
  const zone = typeof timeZone === 'string' ? timeZone : 'UTC';
  // Outlook answered in UTC as asked; anything else would be a misread, not a shift to guess.
  if (zone !== 'UTC' && zone !== 'Etc/UTC') throw new Error(`Graph answered an event in ${zone}, not in UTC`);
  return new Date(`${wall}Z`).toISOString();
}

function attendee(value: unknown): Attendee {
  const a = (value ?? {}) as { type?: unknown; status?: { response?: unknown }; emailAddress?: unknown };
  const email = address(a.emailAddress);
  return {
    name: email?.name ?? '',
    address: email?.address ?? '',
    type: text(a.type) || 'required',
    response: text(a.status?.response) || 'none',
  };
}

function address(value: unknown): { name: string; address: string } | null {
  const v = value as { name?: unknown; address?: unknown } | undefined;
  return v && (typeof v.address === 'string' || typeof v.name === 'string')
    ? { name: text(v.name), address: text(v.address) }
    : null;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** `W/"<changeKey>"` -> the changeKey (https://learn.microsoft.com/graph/api/resources/event: etags carry it). */
function etagKey(etag: unknown): string | null {
  const m = typeof etag === 'string' ? /^W\/"(.*)"$/.exec(etag) : null;
  return m ? m[1]! : null;
}
