import type { Props } from '../store/store-types.js';
import type { EventRecord, Instance } from './calendar-types.js';
import { expandRecurrence, type RecurrencePattern, type RecurrenceRange } from './recurrence.js';
import { ianaZone, instantOf, parseWallClock, wallClockAt } from './time-zones.js';

const SLACK_MS = 31 * 86_400_000;

/** The UTC instant of a dateTimeTimeZone value; undefined when it is not a valid one. */
export function instantOfDateTime(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { dateTime, timeZone } = value as { dateTime?: unknown; timeZone?: unknown };
  if (typeof dateTime !== 'string' || typeof timeZone !== 'string') return undefined;
  const wall = parseWallClock(dateTime);
  const zone = ianaZone(timeZone);
  return wall && zone ? instantOf(wall, zone) : undefined;
}

/**
 * Occurrence ids name the series and the original start, so a later request can find the
 * occurrence again (Graph's occurrence ids are opaque too, and stable).
 */
export function occurrenceId(masterId: string, originalStartMs: number): string {
  return `AAMkO${Buffer.from(JSON.stringify([masterId, originalStartMs])).toString('base64url')}=`;
}

export function parseOccurrenceId(id: string): { masterId: string; originalStartMs: number } | undefined {
  if (!id.startsWith('AAMkO') || !id.endsWith('=')) return undefined;
  try {
    const [masterId, originalStartMs] = JSON.parse(Buffer.from(id.slice(5, -1), 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    return typeof masterId === 'string' && typeof originalStartMs === 'number'
      ? { masterId, originalStartMs }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a calendar view shows of one event between `fromMs` and `toMs`: a single instance, or the
 * occurrences and exceptions of a series, never the series master
 * (https://learn.microsoft.com/graph/api/calendar-list-calendarview). An entry is in the view when
 * it overlaps the window: it ends after the window starts and starts before the window ends (an
 * event ending exactly at the window's start is not in it: the emulator's reading, Graph does not
 * say).
 */
export function instancesOf(event: EventRecord, fromMs: number, toMs: number): Instance[] {
  const start = instantOfDateTime(event.p['start']);
  const end = instantOfDateTime(event.p['end']);
  if (start === undefined || end === undefined) return [];
  const overlaps = (s: number, e: number) => e > fromMs && s < toMs;
  if (event.type === 'singleInstance') {
    if (!overlaps(start, end)) return [];
    return [
      {
        id: event.id,
        event,
        type: 'singleInstance',
        startMs: start,
        endMs: end,
        p: event.p,
        changeKey: event.changeKey,
        lastModifiedMs: event.lastModifiedMs,
      },
    ];
  }
  return occurrencesOf(event, start, end - start, fromMs, toMs).filter((i) => overlaps(i.startMs, i.endMs));
}

function occurrencesOf(event: EventRecord, start: number, duration: number, fromMs: number, toMs: number): Instance[] {
  const recurrence = event.p['recurrence'] as { pattern: RecurrencePattern; range: RecurrenceRange } | undefined;
  const startZone = String((event.p['start'] as { timeZone?: string }).timeZone ?? 'UTC');
  const zone = ianaZone(recurrence?.range.recurrenceTimeZone ?? startZone) ?? 'UTC';
  if (!recurrence) return [];
  const { hour, minute, second } = wallClockAt(start, zone);
  const originals = expandRecurrence(
    recurrence.pattern,
    recurrence.range,
    { hour, minute, second },
    zone,
    toMs + SLACK_MS,
  );
  const instances: Instance[] = [];
  for (const original of originals) {
    if (original + duration < fromMs - SLACK_MS) continue;
    const override = event.exceptions.get(original);
    if (override?.deleted) continue;
    const p: Props = override ? { ...event.p, ...override.p } : event.p;
    const s = override ? (instantOfDateTime(p['start']) ?? original) : original;
    const e = override ? (instantOfDateTime(p['end']) ?? original + duration) : original + duration;
    instances.push({
      id: occurrenceId(event.id, original),
      event,
      type: override ? 'exception' : 'occurrence',
      originalStartMs: original,
      startMs: s,
      endMs: e,
      p,
      changeKey: override ? override.changeKey : `${event.changeKey}${original.toString(36)}`,
      lastModifiedMs: override ? override.lastModifiedMs : event.lastModifiedMs,
    });
  }
  return instances;
}

/** Every entry of a calendar's view between `fromMs` and `toMs`, in start order. */
export function calendarView(events: readonly EventRecord[], fromMs: number, toMs: number): Instance[] {
  return events
    .flatMap((event) => instancesOf(event, fromMs, toMs))
    .sort((a, b) => a.startMs - b.startMs || (a.id < b.id ? -1 : 1));
}
