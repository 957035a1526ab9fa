import { instantOf, type WallClock } from './time-zones.js';

/**
 * Expands a patternedRecurrence into the original starts of its occurrences
 * (https://learn.microsoft.com/graph/api/resources/patternedrecurrence,
 * https://learn.microsoft.com/graph/api/resources/recurrencepattern,
 * https://learn.microsoft.com/graph/api/resources/recurrencerange). Dates are counted in the
 * recurrence's time zone and every occurrence keeps the series' wall-clock start time there, so a
 * 09:00 meeting stays at 09:00 across a daylight-saving change.
 */
export interface RecurrencePattern {
  type: 'daily' | 'weekly' | 'absoluteMonthly' | 'relativeMonthly' | 'absoluteYearly' | 'relativeYearly';
  interval: number;
  daysOfWeek?: string[];
  dayOfMonth?: number;
  month?: number;
  index?: 'first' | 'second' | 'third' | 'fourth' | 'last';
  firstDayOfWeek?: string;
}

export interface RecurrenceRange {
  type: 'endDate' | 'noEnd' | 'numbered';
  startDate: string;
  endDate?: string;
  numberOfOccurrences?: number;
  recurrenceTimeZone?: string;
}

export const PATTERN_TYPES = [
  'daily',
  'weekly',
  'absoluteMonthly',
  'relativeMonthly',
  'absoluteYearly',
  'relativeYearly',
] as const;
export const RANGE_TYPES = ['endDate', 'noEnd', 'numbered'] as const;
export const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const INDEXES = ['first', 'second', 'third', 'fourth'] as const;
const DAY_MS = 86_400_000;

/** The occurrences' original starts (UTC ms) up to `untilMs`, in order. */
export function expandRecurrence(
  pattern: RecurrencePattern,
  range: RecurrenceRange,
  startTime: { hour: number; minute: number; second: number },
  zone: string,
  untilMs: number,
): number[] {
  const first = dateOf(range.startDate);
  const last = range.type === 'endDate' && range.endDate ? dateOf(range.endDate) : Number.POSITIVE_INFINITY;
  const count = range.type === 'numbered' ? Math.max(0, range.numberOfOccurrences ?? 0) : Number.POSITIVE_INFINITY;
  const starts: number[] = [];
  // A pattern that never matches must not loop forever: days past `untilMs` end the walk.
  const end = Math.min(last, untilMs + 2 * DAY_MS);
  for (let day = first; day <= end && starts.length < count; day += DAY_MS) {
    if (!matches(pattern, first, day)) continue;
    const d = new Date(day);
    const wall: WallClock = {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      ...startTime,
    };
    const start = instantOf(wall, zone);
    if (start > untilMs) break;
    starts.push(start);
  }
  return starts;
}

/** A `YYYY-MM-DD` date as the UTC midnight that numbers it. */
function dateOf(text: string): number {
  return Date.parse(`${text}T00:00:00Z`);
}

function matches(pattern: RecurrencePattern, first: number, day: number): boolean {
  const interval = Math.max(1, pattern.interval || 1);
  const d = new Date(day);
  const f = new Date(first);
  const weekday = DAYS[d.getUTCDay()]!;
  const days = (pattern.daysOfWeek ?? []).map((name) => name.toLowerCase());
  const months = (d.getUTCFullYear() - f.getUTCFullYear()) * 12 + (d.getUTCMonth() - f.getUTCMonth());
  switch (pattern.type) {
    case 'daily':
      return Math.round((day - first) / DAY_MS) % interval === 0;
    case 'weekly': {
      const weekStart = DAYS.indexOf((pattern.firstDayOfWeek ?? 'sunday').toLowerCase() as (typeof DAYS)[number]);
      const shift = (f.getUTCDay() - Math.max(0, weekStart) + 7) % 7;
      const week = Math.floor((Math.round((day - first) / DAY_MS) + shift) / 7);
      return week % interval === 0 && days.includes(weekday);
    }
    case 'absoluteMonthly':
      return months % interval === 0 && d.getUTCDate() === pattern.dayOfMonth;
    case 'relativeMonthly':
      return months % interval === 0 && days.includes(weekday) && isIndexed(d, pattern.index);
    case 'absoluteYearly':
      return (
        d.getUTCMonth() + 1 === pattern.month &&
        d.getUTCDate() === pattern.dayOfMonth &&
        (d.getUTCFullYear() - f.getUTCFullYear()) % interval === 0
      );
    case 'relativeYearly':
      return (
        d.getUTCMonth() + 1 === pattern.month &&
        (d.getUTCFullYear() - f.getUTCFullYear()) % interval === 0 &&
        days.includes(weekday) &&
        isIndexed(d, pattern.index)
      );
  }
}

/** Whether the date is the `index`-th of its weekday in its month (`last`: no later one in the month). */
function isIndexed(d: Date, index: RecurrencePattern['index']): boolean {
  const date = d.getUTCDate();
  if (index === 'last') {
    const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    return date + 7 > daysInMonth;
  }
  const n = INDEXES.indexOf(index ?? 'first');
  return Math.floor((date - 1) / 7) === Math.max(0, n);
}
