/**
 * Ids kept in ascending order so a page can start right after the last id it returned (the skip token),
 * found by binary search instead of scanning the tenant for every page.
 */
export class SortedIdList {
  private ids: string[];

  constructor(ids: string[] = []) {
    this.ids = ids;
  }

  static fromUnsorted(ids: Iterable<string>): SortedIdList {
    const list = new SortedIdList();
    list.replaceAll(ids);
    return list;
  }

  /** Replaces the content with `ids` (sorted and de-duplicated here). */
  replaceAll(ids: Iterable<string>): void {
    const sorted = Array.from(ids).sort();
    let write = 0;
    for (let read = 0; read < sorted.length; read++) {
      if (write === 0 || sorted[read] !== sorted[write - 1]) sorted[write++] = sorted[read] as string;
    }
    sorted.length = write;
    this.ids = sorted;
  }

  get size(): number {
    return this.ids.length;
  }

  at(index: number): string | undefined {
    return this.ids[index];
  }

  /** First index whose id is greater than `id` (0 when `id` is undefined). */
  indexAfter(id: string | undefined): number {
    if (id === undefined) return 0;
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.ids[mid] as string) <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  has(id: string): boolean {
    const index = this.indexAfter(id) - 1;
    return index >= 0 && this.ids[index] === id;
  }

  insert(id: string): boolean {
    const index = this.indexAfter(id);
    if (index > 0 && this.ids[index - 1] === id) return false;
    this.ids.splice(index, 0, id);
    return true;
  }

  remove(id: string): boolean {
    const index = this.indexAfter(id) - 1;
    if (index < 0 || this.ids[index] !== id) return false;
    this.ids.splice(index, 1);
    return true;
  }

  slice(start: number, end: number): string[] {
    return this.ids.slice(start, end);
  }

  clear(): void {
    this.ids = [];
  }

  values(): readonly string[] {
    return this.ids;
  }
}
