import { isAnnotationKey } from './graph-user.record.js';

/**
 * `@removed.reason`: 'changed' = soft-deleted (restorable), 'deleted' = gone for good
 * (https://learn.microsoft.com/graph/delta-query-overview).
 */
export type DeltaRemoval = 'changed' | 'deleted';

export type DeltaMemberType = 'user' | 'group' | 'other';

export interface DeltaGroupMember {
  id: string;
  type: DeltaMemberType;
}

export interface DeltaGroup {
  id: string;
  /** Present when the page carried it. */
  displayName?: string | null;
  /** Other tracked group properties the page carried. */
  properties: Record<string, unknown>;
  removed?: DeltaRemoval;
  membersAdded: DeltaGroupMember[];
  membersRemoved: DeltaGroupMember[];
}

export function readRemoved(item: Record<string, unknown>): DeltaRemoval | undefined {
  const removed = item['@removed'];
  if (typeof removed !== 'object' || removed === null) return undefined;
  return (removed as { reason?: unknown }).reason === 'deleted' ? 'deleted' : 'changed';
}

export function memberTypeOf(odataType: unknown): DeltaMemberType {
  if (odataType === '#microsoft.graph.user') return 'user';
  if (odataType === '#microsoft.graph.group') return 'group';
  return 'other';
}

interface GroupAccumulator {
  group: DeltaGroup;
  added: Map<string, DeltaGroupMember>;
  removed: Map<string, DeltaGroupMember>;
}

/**
 * One entry per group id for the items of one page, in first-seen order. A large group comes as
 * several items, each with a slice of `members@delta`; slices are applied in order, so a member
 * added then removed on the same page ends up removed (and the other way round).
 */
export function mergeGroupDeltaItems(items: readonly Record<string, unknown>[]): DeltaGroup[] {
  const byId = new Map<string, GroupAccumulator>();
  for (const item of items) {
    const id = String(item.id);
    let entry = byId.get(id);
    if (!entry) {
      entry = {
        group: { id, properties: {}, membersAdded: [], membersRemoved: [] },
        added: new Map(),
        removed: new Map(),
      };
      byId.set(id, entry);
    }
    applyItem(entry, item);
  }
  return [...byId.values()].map(({ group, added, removed }) => ({
    ...group,
    membersAdded: [...added.values()],
    membersRemoved: [...removed.values()],
  }));
}

function applyItem(entry: GroupAccumulator, item: Record<string, unknown>): void {
  const removal = readRemoved(item);
  if (removal) entry.group.removed = removal;
  for (const [key, value] of Object.entries(item)) {
    if (isAnnotationKey(key)) continue;
    if (key === 'displayName') entry.group.displayName = value === null ? null : String(value);
    else entry.group.properties[key] = value;
  }
  const slice = item['members@delta'];
  if (!Array.isArray(slice)) return;
  for (const raw of slice) {
    if (typeof raw !== 'object' || raw === null || typeof raw.id !== 'string') continue;
    const member: DeltaGroupMember = { id: raw.id, type: memberTypeOf(raw['@odata.type']) };
    if ('@removed' in raw) {
      entry.added.delete(member.id);
      entry.removed.set(member.id, member);
    } else {
      entry.removed.delete(member.id);
      entry.added.set(member.id, member);
    }
  }
}
