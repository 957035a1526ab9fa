import type { UserRecord } from './store-types.js';

/** Properties looked up by equality often enough (by the connector's matching) to deserve an index. */
export const INDEXED_USER_PROPERTIES = ['userPrincipalName', 'mail', 'employeeId'] as const;
export type IndexedUserProperty = (typeof INDEXED_USER_PROPERTIES)[number];

/**
 * Case-insensitive value -> user ids, because directory string equality is case-insensitive
 * (two mails differing only in case both match `mail eq`).
 */
export class UserIndex {
  private maps = new Map<IndexedUserProperty, Map<string, string[]>>(
    INDEXED_USER_PROPERTIES.map((p) => [p, new Map<string, string[]>()]),
  );
  /** Bumped by every change, so a cached prefix answer is never stale. */
  private version = 0;
  private prefixes = new Map<string, { version: number; ids: string[] }>();

  add(user: UserRecord): void {
    for (const prop of INDEXED_USER_PROPERTIES) this.addValue(prop, user.p[prop], user.id);
  }

  remove(user: UserRecord): void {
    for (const prop of INDEXED_USER_PROPERTIES) this.removeValue(prop, user.p[prop], user.id);
  }

  /** Call before and after a change with the old and new values of one property. */
  replace(prop: string, oldValue: unknown, newValue: unknown, id: string): void {
    if (!(INDEXED_USER_PROPERTIES as readonly string[]).includes(prop)) return;
    this.removeValue(prop as IndexedUserProperty, oldValue, id);
    this.addValue(prop as IndexedUserProperty, newValue, id);
  }

  lookup(prop: IndexedUserProperty, value: string): readonly string[] {
    return this.maps.get(prop)?.get(value.toLowerCase()) ?? [];
  }

  /**
   * Ids whose value starts with `prefix` (case-insensitive), sorted: `startswith` on an indexed
   * property serves its pages without scanning the tenant each time (a full round reads the users
   * in startswith slices, docs/graph.md §5.1). Cached until the next change.
   */
  startingWith(prop: IndexedUserProperty, prefix: string): readonly string[] {
    const needle = prefix.toLowerCase();
    const key = `${prop} ${needle}`;
    const cached = this.prefixes.get(key);
    if (cached?.version === this.version) return cached.ids;
    const ids: string[] = [];
    for (const [value, owners] of this.maps.get(prop) as Map<string, string[]>)
      if (value.startsWith(needle)) ids.push(...owners);
    ids.sort();
    this.prefixes.set(key, { version: this.version, ids });
    return ids;
  }

  clear(): void {
    for (const map of this.maps.values()) map.clear();
    this.version += 1;
  }

  private addValue(prop: IndexedUserProperty, value: unknown, id: string): void {
    if (typeof value !== 'string') return;
    this.version += 1;
    const map = this.maps.get(prop) as Map<string, string[]>;
    const key = value.toLowerCase();
    const ids = map.get(key);
    if (ids === undefined) map.set(key, [id]);
    else if (!ids.includes(id)) ids.push(id);
  }

  private removeValue(prop: IndexedUserProperty, value: unknown, id: string): void {
    if (typeof value !== 'string') return;
    this.version += 1;
    const map = this.maps.get(prop) as Map<string, string[]>;
    const key = value.toLowerCase();
    const ids = map.get(key);
    if (ids === undefined) return;
    const rest = ids.filter((x) => x !== id);
    if (rest.length === 0) map.delete(key);
    else map.set(key, rest);
  }
}
