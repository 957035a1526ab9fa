import ical, { ICalEventBusyStatus, ICalEventClass, ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import { isPrivateSensitivity, type EventContent } from './calendar-event.js';
import type { HrRecurrence } from './hr-event.js';
import { ianaZone, instantOfWallClock, wallClockIn } from './time-zones.js';
import { vtimezone } from './vtimezone.js';

/** An event of the employee's HR calendar as the feed shows it (docs/rules.md §6.4). */
export interface FeedEvent extends Pick<
  EventContent,
  | 'subject'
  | 'body'
  | 'location'
  | 'start'
  | 'end'
  | 'timeZone'
  | 'isAllDay'
  | 'startDate'
  | 'endDate'
  | 'showAs'
  | 'sensitivity'
  | 'isCancelled'
> {
  id: string;
  /** An HR series Microsoft 365 does not show as occurrences (yet): how it repeats. */
  recurrence: HrRecurrence | null;
  updatedAt: string;
}

/** How often a subscribed client should read the feed again (RFC 7986 REFRESH-INTERVAL). */
export const FEED_REFRESH_SECONDS = 3600;

/** What a private event shows in the feed: its time only (rule 6.4). */
export const BUSY_SUMMARY = 'Busy';

/**
 * The employee's HR calendar as iCalendar (RFC 5545, https://www.rfc-editor.org/rfc/rfc5545),
 * written by ical-generator:
 * - a timed event has its start and end in the zone it was made in (`DTSTART;TZID=...`) with that
 *   zone's VTIMEZONE, so a series keeps its wall-clock time across daylight-saving changes; UTC
 *   events are written in UTC;
 * - an all-day event is its dates (`VALUE=DATE`, the end exclusive, section 3.6.1);
 * - an HR series Microsoft 365 has not expanded yet is one event with its RRULE (UNTIL a date for
 *   an all-day series, a UTC instant otherwise, section 3.3.10); everything else is written as HR
 *   holds it, occurrences of series one by one;
 * - a private or confidential event is a busy block (its time, nothing of its subject, body or
 *   place), whatever the employee lets HR show: the feed leaves HR for other calendar apps;
 * - a cancelled meeting is `STATUS:CANCELLED`; availability is TRANSP and Outlook's BUSYSTATUS.
 * The output depends on nothing of the host (its time zone included), only on the events and `now`.
 */
export function renderCalendarFeed(feed: { name: string; events: readonly FeedEvent[]; now: Date }): string {
  const range = { from: feed.now, to: feed.now };
  const calendar = ical({
    name: feed.name,
    prodId: { company: 'Entra HR Connector', product: 'HR calendar', language: 'EN' },
    ttl: FEED_REFRESH_SECONDS,
    // No calendar-wide zone name: with one, ical-generator writes DTSTAMP in local time, not UTC.
    timezone: { name: null, generator: (zone) => vtimezone(zone, range.from, range.to) },
  });
  for (const event of feed.events) {
    const hidden = isPrivateSensitivity(event.sensitivity);
    const zone = event.isAllDay ? null : feedZone(event.timeZone);
    range.from = new Date(Math.min(range.from.getTime(), Date.parse(event.start)));
    range.to = new Date(Math.max(range.to.getTime(), lastInstant(event)));
    calendar.createEvent({
      id: `${event.id}@entra-hr-connector`,
      // No METHOD, so DTSTAMP is when the event was last revised (RFC 5545 section 3.8.7.2): the
      // same text for the same events, which keeps the feed's ETag while nothing changes.
      stamp: new Date(event.updatedAt),
      lastModified: new Date(event.updatedAt),
      allDay: event.isAllDay,
      start: when(event, 'start', zone),
      end: when(event, 'end', zone),
      ...(zone ? { timezone: zone } : {}),
      ...(event.recurrence ? { repeating: rrule(event, zone) } : {}),
      summary: hidden ? BUSY_SUMMARY : event.subject,
      ...(hidden || !event.body ? {} : { description: event.body }),
      ...(hidden || !event.location ? {} : { location: event.location }),
      class: hidden ? ICalEventClass.PRIVATE : ICalEventClass.PUBLIC,
      status: event.isCancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      transparency: event.showAs === 'free' ? ICalEventTransparency.TRANSPARENT : ICalEventTransparency.OPAQUE,
      busystatus: BUSY_STATUS[event.showAs] ?? ICalEventBusyStatus.BUSY,
    });
  }
  return calendar.toString();
}

const BUSY_STATUS: Record<string, ICalEventBusyStatus> = {
  free: ICalEventBusyStatus.FREE,
  tentative: ICalEventBusyStatus.TENTATIVE,
  busy: ICalEventBusyStatus.BUSY,
  oof: ICalEventBusyStatus.OOF,
};

/** The IANA zone a timed event is written in; null for UTC (and a zone name no one knows), written with Z. */
function feedZone(name: string): string | null {
  const zone = ianaZone(name);
  return zone === null || zone === 'UTC' || zone === 'Etc/UTC' ? null : zone;
}

function when(event: FeedEvent, edge: 'start' | 'end', zone: string | null): Date | ZonedWallClock {
  if (event.isAllDay) {
    const date = edge === 'start' ? event.startDate : event.endDate;
    // Without a zone ical-generator writes a Date's UTC day: midnight UTC of the date is that date.
    return new Date(`${date ?? event[edge].slice(0, 10)}T00:00:00Z`);
  }
  const instant = new Date(event[edge]);
  return zone ? new ZonedWallClock(instant, zone) : instant;
}

/** The end of the event, or of its series' last day: how far the VTIMEZONE must reach. */
function lastInstant(event: FeedEvent): number {
  const end = Date.parse(event.end);
  const r = event.recurrence;
  if (!r) return end;
  if (r.until !== null) return Math.max(end, Date.parse(`${r.until}T00:00:00Z`) + 2 * DAY_MS);
  return end + (r.count ?? 1) * r.interval * (r.type === 'weekly' ? 7 : 1) * DAY_MS;
}

const DAY_MS = 86_400_000;

const BYDAY: Record<string, string> = {
  sunday: 'SU',
  monday: 'MO',
  tuesday: 'TU',
  wednesday: 'WE',
  thursday: 'TH',
  friday: 'FR',
  saturday: 'SA',
};

/**
 * HR's recurrence as an RRULE (RFC 5545 section 3.3.10). Graph counts weeks from Sunday when no
 * firstDayOfWeek is sent (HR sends none), hence WKST=SU. UNTIL is inclusive: for an all-day series
 * the last day itself; for a timed one the last second of that day in the event's zone, in UTC.
 */
export function rrule(event: Pick<FeedEvent, 'recurrence' | 'isAllDay' | 'timeZone'>, zone: string | null): string {
  const r = event.recurrence!;
  const parts = [`FREQ=${r.type === 'daily' ? 'DAILY' : 'WEEKLY'}`, `INTERVAL=${r.interval}`];
  if (r.type === 'weekly') parts.push(`BYDAY=${r.daysOfWeek.map((d) => BYDAY[d]).join(',')}`, 'WKST=SU');
  if (r.count !== null) parts.push(`COUNT=${r.count}`);
  else if (event.isAllDay) parts.push(`UNTIL=${r.until!.replace(/-/g, '')}`);
  else parts.push(`UNTIL=${utcStamp(instantOfWallClock(`${r.until}T23:59:59`, zone ?? 'UTC'))}`);
  return `RRULE:${parts.join(';')}`;
}

function utcStamp(instant: Date): string {
  return `${instant.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/**
 * An instant as a wall clock in a zone, in the shape of Temporal's ZonedDateTime that
 * ical-generator takes (its ICalTemporalZonedDateTimeStub): with a plain Date and a zone it would
 * write the host's local clock, wrong on every host whose zone differs.
 */
class ZonedWallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;

  constructor(
    private readonly instant: Date,
    readonly timeZoneId: string,
  ) {
    [this.year, this.month, this.day, this.hour, this.minute, this.second] = wallClockIn(instant, timeZoneId)
      .split(/[-T:]/)
      .map(Number) as [number, number, number, number, number, number];
  }

  withTimeZone(zone: string): ZonedWallClock {
    return new ZonedWallClock(this.instant, zone);
  }

  toInstant() {
    const instant = this.instant;
    return {
      epochMilliseconds: instant.getTime(),
      toJSON: () => instant.toISOString(),
      toString: () => instant.toISOString(),
      toZonedDateTimeISO: (zone: string) => new ZonedWallClock(instant, zone),
    };
  }

  toPlainDateTime() {
    const { year, month, day, hour, minute, second } = this;
    const text = wallClockIn(this.instant, this.timeZoneId);
    const date = { year, month, day, toJSON: () => text.slice(0, 10), toString: () => text.slice(0, 10) };
    return {
      ...date,
      hour,
      minute,
      second,
      toJSON: () => text,
      toString: () => text,
      toPlainDate: () => date,
      toZonedDateTime: (zone: string) => new ZonedWallClock(instantOfWallClock(text, zone), zone),
    };
  }

  toJSON(): string {
    return `${wallClockIn(this.instant, this.timeZoneId)}[${this.timeZoneId}]`;
  }

  toString(): string {
    return this.toJSON();
  }
}
