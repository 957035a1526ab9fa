/*
 * Calendar dates (YYYY-MM-DD) as the domain passes them: hire and resignation dates, "today" in
 * the organisation's time zone. Strings rather than Date objects, so no time zone can shift a day.
 */

export type CalendarDate = string;

/** True for an existing day written YYYY-MM-DD (2024-02-29 yes, 2023-02-29 no). */
export function isCalendarDate(value: string): value is CalendarDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, keeps years 0-99 as written
  // A day or month out of range rolls over into another month (2023-02-29 is 1 March, 2026-13-01 is
  // January, day 00 the month before), so the month alone tells a real day from a rolled-over one.
  return date.getUTCMonth() === month - 1;
}

export function assertCalendarDate(value: string, name: string): asserts value is CalendarDate {
  if (!isCalendarDate(value)) throw new RangeError(`${name} must be a calendar date YYYY-MM-DD, got "${value}"`);
}
