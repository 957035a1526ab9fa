/**
 * The part of each calendar the sync keeps in HR (rule 6.6): from the first day of last month to
 * the first day of the month fourteen months later, in UTC. Graph's calendar view delta needs a
 * fixed window for the life of its cursor (https://learn.microsoft.com/graph/delta-query-events),
 * so the window moves once a month, and a calendar whose cursor was made for another window starts
 * a full round.
 */
export interface SyncWindow {
  /** ISO 8601, UTC. */
  start: string;
  end: string;
}

export function syncWindow(now: Date): SyncWindow {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 14, 1));
  return { start: start.toISOString(), end: end.toISOString() };
}

/** Whether an event (ISO instants) overlaps the window: it ends after the start and starts before the end. */
export function overlapsWindow(event: { start: string; end: string }, window: SyncWindow): boolean {
  return Date.parse(event.end) > Date.parse(window.start) && Date.parse(event.start) < Date.parse(window.end);
}
