/**
 * One format for every timestamp the API shows: ISO 8601 in UTC with a Z and milliseconds, as
 * JavaScript's Date#toISOString writes it (RFC 3339 section 5.6). The driver hands timestamptz
 * columns over as PostgreSQL's text ("2026-11-30 08:08:43.698+00", in the session's time zone),
 * so queries that feed the API select this instead.
 */
export function isoUtc(expression: string): string {
  return `to_char(${expression} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** The same format for a timestamp kept inside JSON (field sources), whatever wrote it. */
export function toIsoUtc(value: string | Date | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
