/**
 * One shape for every list the API answers: `{ items, next }`. `next` is the cursor of the
 * following page, passed back as `?after=<next>`; null on the last page (and on lists that are
 * never paged). A query reads `limit + 1` rows, so `next` is null exactly when nothing follows.
 */
export interface Page<T> {
  items: T[];
  next: string | null;
}

export function pageOf<T>(rows: T[], limit: number, cursorOf: (last: T) => string | number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? String(cursorOf(items.at(-1)!)) : null };
}

/** A list that is short by nature (roles, synced groups) and so never paged. */
export function whole<T>(items: T[]): Page<T> {
  return { items, next: null };
}
