import { graphError } from '../http/graph-errors.js';
import type { GraphResponse } from '../http/graph-types.js';
import type { Props } from '../store/store-types.js';
import { instantOfDateTime } from './event-view.js';
import { DAYS, PATTERN_TYPES, RANGE_TYPES } from './recurrence.js';
import { ianaZone, parseWallClock } from './time-zones.js';

/**
 * The writable properties of an event (https://learn.microsoft.com/graph/api/event-update,
 * https://learn.microsoft.com/graph/api/user-post-events). `transactionId` is set at creation only.
 */
const WRITABLE = new Set([
  'subject',
  'body',
  'start',
  'end',
  'isAllDay',
  'location',
  'locations',
  'attendees',
  'showAs',
  'sensitivity',
  'importance',
  'categories',
  'recurrence',
  'isReminderOn',
  'reminderMinutesBeforeStart',
  'responseRequested',
  'allowNewTimeProposals',
  'isOnlineMeeting',
  'hideAttendees',
]);
/** What only the organizer's Outlook changes (a cancelled meeting), open to the control API alone. */
const OUTLOOK_ONLY = new Set(['isCancelled', 'organizer']);
const ENUMS: Record<string, readonly string[]> = {
  showAs: ['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown'],
  sensitivity: ['normal', 'personal', 'private', 'confidential'],
  importance: ['low', 'normal', 'high'],
};

export interface EventInput {
  props: Props;
  ext: Array<{ id: string; value: string }>;
}

export type InputResult = { ok: true; value: EventInput } | { ok: false; response: GraphResponse };

const refuse = (message: string, code = 'ErrorInvalidRequest'): InputResult => ({
  ok: false,
  response: graphError(400, code, message),
});

/** Checks a POST (`create`) or PATCH body; the emulator's codes for refusals Graph does not document are its own. */
export function readEventInput(
  body: Record<string, unknown>,
  mode: 'create' | 'update',
  current?: Props,
  outlook = false,
): InputResult {
  const props: Props = {};
  let ext: Array<{ id: string; value: string }> = [];
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@odata.')) continue;
    if (key === 'transactionId') {
      if (mode === 'update') return refuse('The transactionId cannot be changed after the event is created.');
      if (typeof value !== 'string' || value === '') return refuse('transactionId must be a non-empty string.');
      props[key] = value;
    } else if (key === 'singleValueExtendedProperties') {
      const read = readExtendedProperties(value);
      if (!read) return refuse('singleValueExtendedProperties must be a list of {id, value} with string values.');
      ext = read;
    } else if (!WRITABLE.has(key) && !(outlook && OUTLOOK_ONLY.has(key))) {
      return refuse(
        `The property '${key}' does not exist on type 'microsoft.graph.event' or is read-only.`,
        'RequestBodyRead',
      );
    } else if (ENUMS[key] && !ENUMS[key].includes(String(value))) {
      return refuse(`Invalid value '${String(value)}' for property '${key}'.`, 'RequestBodyRead');
    } else if (key === 'locations') {
      if (Array.isArray(value) && value.length > 0) props['location'] = value[0];
    } else {
      props[key] = value;
    }
  }
  const merged = { ...current, ...props };
  if (mode === 'create' && (merged['start'] === undefined || merged['end'] === undefined))
    return refuse('An event needs a start and an end.');
  const times = checkTimes(merged);
  if (times) return refuse(times);
  if (merged['recurrence'] !== undefined && merged['recurrence'] !== null && !isRecurrence(merged['recurrence']))
    return refuse('The recurrence pattern or range is not valid.');
  return { ok: true, value: { props, ext } };
}

function readExtendedProperties(value: unknown): Array<{ id: string; value: string }> | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: Array<{ id: string; value: string }> = [];
  for (const item of value) {
    const { id, value: v } = (item ?? {}) as { id?: unknown; value?: unknown };
    if (typeof id !== 'string' || typeof v !== 'string') return undefined;
    out.push({ id, value: v });
  }
  return out;
}

/**
 * Start and end must be dateTimeTimeZone values Outlook knows, the end not before the start; an
 * all-day event starts and ends at midnight (https://learn.microsoft.com/graph/api/resources/event:
 * "If true, regardless of whether it's a single-day or multi-day event, start and end time must be
 * set to midnight and be in the same time zone").
 */
function checkTimes(p: Props): string | undefined {
  for (const key of ['start', 'end'] as const) {
    const value = p[key] as { dateTime?: unknown; timeZone?: unknown } | undefined;
    if (value === undefined) continue;
    if (typeof value?.dateTime !== 'string' || !parseWallClock(value.dateTime))
      return `${key}.dateTime must be an ISO 8601 date and time without offset.`;
    if (typeof value.timeZone !== 'string' || !ianaZone(value.timeZone))
      return `${key}.timeZone '${String(value.timeZone)}' is not a time zone Outlook knows.`;
  }
  const start = instantOfDateTime(p['start']);
  const end = instantOfDateTime(p['end']);
  if (start !== undefined && end !== undefined && end < start) return 'The end of an event cannot be before its start.';
  if (p['isAllDay'] === true) {
    const midnight = (v: unknown) => /T00:00(:00(\.0+)?)?$/.test(String((v as { dateTime?: string }).dateTime));
    const sameZone = (p['start'] as { timeZone?: string }).timeZone === (p['end'] as { timeZone?: string }).timeZone;
    if (!midnight(p['start']) || !midnight(p['end']) || !sameZone || start === end)
      return 'An all-day event starts and ends at midnight in one time zone, at least a day apart.';
  }
  return undefined;
}

function isRecurrence(value: unknown): boolean {
  const { pattern, range } = (value ?? {}) as {
    pattern?: { type?: string; interval?: number; daysOfWeek?: string[] };
    range?: { type?: string; startDate?: string };
  };
  if (!pattern || !range) return false;
  if (!PATTERN_TYPES.includes(pattern.type as never) || !RANGE_TYPES.includes(range.type as never)) return false;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(String(range.startDate))) return false;
  if (pattern.interval !== undefined && !(Number.isInteger(pattern.interval) && pattern.interval > 0)) return false;
  return (pattern.daysOfWeek ?? []).every((day) => DAYS.includes(day.toLowerCase() as never));
}
