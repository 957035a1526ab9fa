/**
 * Pages over ids sorted ascending: starts right after the last id of the previous page (binary
 * search), so a page costs O(page) for unfiltered lists, never O(tenant).
 */
export function firstIndexAfter(ids: readonly string[], afterId: string | undefined): number {
  if (afterId === undefined) return 0;
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ids[mid] as string) <= afterId) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface IdPage {
  ids: string[];
  /** Whether at least one more accepted id follows the page. */
  more: boolean;
}

export function pageIds(
  ids: readonly string[],
  afterId: string | undefined,
  top: number,
  accept?: (id: string) => boolean,
): IdPage {
  const page: string[] = [];
  for (let i = firstIndexAfter(ids, afterId); i < ids.length; i++) {
    const id = ids[i] as string;
    if (accept && !accept(id)) continue;
    if (page.length === top) return { ids: page, more: true };
    page.push(id);
  }
  return { ids: page, more: false };
}

export function countIds(ids: readonly string[], accept?: (id: string) => boolean): number {
  if (!accept) return ids.length;
  let n = 0;
  for (const id of ids) if (accept(id)) n++;
  return n;
}
