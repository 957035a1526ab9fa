import { dateIn, ianaZone } from './time-zones.js';

/**
 * An event as the user's Microsoft 365 calendar holds it: a single instance, or one occurrence or
 * exception of a series (the calendar view expands series; docs/rules.md §6.6).
 */
export interface MailboxEvent {
  sourceId: string;
  /** The series an occurrence or exception belongs to. */
  seriesSourceId: string | null;
  type: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';
  /** Where the series put an occurrence (ISO, UTC); null for a single instance. */
  originalStart: string | null;
  subject: string;
  /** Plain text. */
  body: string;
  location: string;
  /** ISO 8601 instants in UTC. */
  start: string;
  end: string;
  /** The zone the event was created in (Outlook's originalStartTimeZone). */
  timeZone: string;
  isAllDay: boolean;
  showAs: string;
  sensitivity: string;
  isCancelled: boolean;
  attendees: Attendee[];
  organizer: { name: string; address: string } | null;
  changeKey: string | null;
  /** ISO 8601, UTC. */
  lastModified: string | null;
  transactionId: string | null;
}

export interface Attendee {
  name: string;
  address: string;
  type: string;
  response: string;
}

/** What HR keeps of an event's content. */
export interface EventContent {
  subject: string;
  body: string;
  bodyTruncated: boolean;
  location: string;
  start: string;
  end: string;
  timeZone: string;
  isAllDay: boolean;
  /** All-day events: the first day and the day after the last (`YYYY-MM-DD`, end exclusive). */
  startDate: string | null;
  endDate: string | null;
  showAs: string;
  sensitivity: string;
  /** A private event of which HR shows only the time (a busy block). */
  isPrivate: boolean;
  isCancelled: boolean;
  attendees: Attendee[];
  organizer: { name: string; address: string } | null;
}

/** Bodies beyond this many characters are cut (and marked so): HR keeps an event, not a mailbox. */
export const BODY_LIMIT = 32_000;

/** Outlook's private and confidential events: their content is the user's business (rule 6.6). */
export function isPrivateSensitivity(sensitivity: string): boolean {
  return sensitivity === 'private' || sensitivity === 'confidential';
}

/**
 * What HR stores of a Microsoft 365 event (rule 6.6): a private event becomes a busy block (its
 * time, availability and all-day flag, nothing of its subject, body, place or people) unless the
 * user lets private events show; a body over BODY_LIMIT is cut; an all-day event gets its dates.
 */
export function contentOf(event: MailboxEvent, options: { showPrivateDetails: boolean }): EventContent {
  const hidden = isPrivateSensitivity(event.sensitivity) && !options.showPrivateDetails;
  const body = hidden ? '' : event.body;
  const dates = event.isAllDay ? allDayDates(event.start, event.end, event.timeZone) : null;
  return {
    subject: hidden ? '' : event.subject,
    body: limitText(body, BODY_LIMIT),
    bodyTruncated: body.length > BODY_LIMIT,
    location: hidden ? '' : event.location,
    start: event.start,
    end: event.end,
    timeZone: event.timeZone,
    isAllDay: event.isAllDay,
    startDate: dates?.startDate ?? null,
    endDate: dates?.endDate ?? null,
    showAs: event.showAs,
    sensitivity: event.sensitivity,
    isPrivate: hidden,
    isCancelled: event.isCancelled,
    attendees: hidden ? [] : event.attendees,
    organizer: hidden ? null : event.organizer,
  };
}

/**
 * The days an all-day event covers. Outlook keeps it from midnight to midnight in its own zone and
 * shows it in the zone asked for (UTC here), so its instants are the zone's midnights: the dates
 * are read back in that zone. A start exactly at UTC midnight is taken as the date itself, whatever
 * the zone says, so a representation that keeps all-day events floating reads the same.
 */
export function allDayDates(start: string, end: string, timeZone: string): { startDate: string; endDate: string } {
  const zone = ianaZone(timeZone) ?? 'UTC';
  const read = (iso: string) => (iso.slice(11, 19) === '00:00:00' ? iso.slice(0, 10) : dateIn(new Date(iso), zone));
  return { startDate: read(start), endDate: read(end) };
}

/** The first `limit` characters, never cutting a surrogate pair in two. */
export function limitText(text: string, limit: number): string {
  // A low surrogate just past the limit is the second half of a pair the cut would split.
  return text.slice(0, /[\uDC00-\uDFFF]/.test(text.charAt(limit)) ? limit - 1 : limit);
}

/**
 * Recurrence (rule 6.6): HR stores what the calendar view shows, each occurrence and exception as
 * an event of its own linked to its series, and never the series master, whose occurrences say
 * when it happens; a cancelled occurrence leaves the view, so it leaves HR.
 */
export function isStoredAsEvent<E extends Pick<MailboxEvent, 'type'>>(
  event: E,
): event is E & { type: StoredEventType } {
  return event.type !== 'seriesMaster';
}

/** The kinds of event HR stores: every kind but the series master. */
export type StoredEventType = Exclude<MailboxEvent['type'], 'seriesMaster'>;
