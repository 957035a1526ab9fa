import { wallClockIn } from './time-zones.js';

const DAY_MS = 86_400_000;

/** The zone's offset from UTC at an instant, in seconds (from the platform's time zone data). */
export function offsetSeconds(zone: string, at: number): number {
  const whole = Math.floor(at / 1000) * 1000;
  return (Date.parse(`${wallClockIn(new Date(whole), zone)}Z`) - whole) / 1000;
}

interface Observance {
  /** The instant the offset starts. */
  at: number;
  from: number;
  to: number;
}

/**
 * A VTIMEZONE component for an IANA zone over [from, to] (RFC 5545 section 3.6.5,
 * https://www.rfc-editor.org/rfc/rfc5545#section-3.6.5), written from the platform's time zone
 * data rather than a bundled table: one observance per change of offset, each with its local start
 * in the offset before it, plus one for the offset in force at `from`. A change is found by the day
 * and then to the second; an offset larger than the smallest of its year is daylight time.
 */
export function vtimezone(zone: string, from: Date, to: Date): string {
  const start = Date.UTC(from.getUTCFullYear(), 0, 1);
  const observances: Observance[] = [{ at: start, from: offsetSeconds(zone, start), to: offsetSeconds(zone, start) }];
  let before = observances[0]!.to;
  for (let day = start; day <= to.getTime() + DAY_MS; day += DAY_MS) {
    const now = offsetSeconds(zone, day);
    if (now === before) continue;
    observances.push({ at: changeBetween(zone, day - DAY_MS, day), from: before, to: now });
    before = now;
  }
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  for (const o of observances) {
    const kind = o.to > smallestOffsetOfYear(zone, o.at) ? 'DAYLIGHT' : 'STANDARD';
    lines.push(
      `BEGIN:${kind}`,
      // The onset's local time in the offset before it (section 3.6.5): 02:00 for a change at 01:00 UTC from +01:00.
      `DTSTART:${localStamp(o.at + o.from * 1000)}`,
      `TZOFFSETFROM:${formatOffset(o.from)}`,
      `TZOFFSETTO:${formatOffset(o.to)}`,
      `END:${kind}`,
    );
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}

function localStamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, '');
}

/** The first second at which the offset differs from the one at `low` (the change lies in (low, high]). */
function changeBetween(zone: string, low: number, high: number): number {
  const at = offsetSeconds(zone, low);
  let lo = low;
  let hi = high;
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetSeconds(zone, mid) === at) lo = mid;
    else hi = mid;
  }
  return hi;
}

const smallest = new Map<string, number>();

function smallestOffsetOfYear(zone: string, at: number): number {
  const year = new Date(at).getUTCFullYear();
  const key = `${zone} ${year}`;
  let value = smallest.get(key);
  if (value === undefined) {
    value = Infinity;
    for (let month = 0; month < 12; month++) value = Math.min(value, offsetSeconds(zone, Date.UTC(year, month, 15)));
    smallest.set(key, value);
  }
  return value;
}

/** ±HHMM, or ±HHMMSS for the rare offset with seconds (RFC 5545 section 3.3.14, UTC-OFFSET). */
function formatOffset(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  const hh = String(Math.floor(abs / 3600)).padStart(2, '0');
  const mm = String(Math.floor((abs % 3600) / 60)).padStart(2, '0');
  const ss = abs % 60;
  return `${sign}${hh}${mm}${ss ? String(ss).padStart(2, '0') : ''}`;
}
