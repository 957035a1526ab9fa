import { SortedIdList } from '../core/sorted-id-list.js';
import type { ChangeLog } from './change-log.js';
import type { GroupRecord, MemberType, OtherObjectRecord, Props } from './store-types.js';

/**
 * Groups, the non-user objects that can be their members, and memberships. Every membership change
 * is logged so group delta can report members@delta (https://learn.microsoft.com/graph/delta-query-groups).
 */
export class GroupStore {
  readonly groups = new Map<string, GroupRecord>();
  readonly order = new SortedIdList();
  readonly others = new Map<string, OtherObjectRecord>();
  private membershipVersion = 0;
  private transitiveCache = new Map<string, { version: number; ids: string[] }>();

  constructor(
    private readonly log: () => ChangeLog,
    private readonly memberTypeOf: (id: string) => MemberType | undefined,
  ) {}

  get(id: string): GroupRecord | undefined {
    return this.groups.get(id.toLowerCase());
  }

  load(groups: GroupRecord[], others: OtherObjectRecord[]): void {
    for (const g of groups) this.groups.set(g.id, g);
    for (const o of others) this.others.set(o.id, o);
    this.order.replaceAll(this.groups.keys());
    this.membershipVersion++;
  }

  create(id: string, props: Props): GroupRecord {
    const group: GroupRecord = { id, p: { ...props, id }, members: new SortedIdList() };
    this.groups.set(id, group);
    this.order.insert(id);
    this.log().append({ kind: 'group', id, op: 'upsert', props: Object.keys(group.p) });
    return group;
  }

  update(id: string, changes: Props): void {
    const group = this.require(id);
    Object.assign(group.p, changes);
    this.log().append({ kind: 'group', id: group.id, op: 'upsert', props: Object.keys(changes) });
  }

  delete(id: string): void {
    const group = this.require(id);
    this.groups.delete(group.id);
    this.order.remove(group.id);
    for (const other of this.groups.values()) other.members.remove(group.id);
    this.membershipVersion++;
    this.log().append({ kind: 'group', id: group.id, op: 'hardDelete' });
  }

  createOther(id: string, type: OtherObjectRecord['type'], props: Props): OtherObjectRecord {
    const record: OtherObjectRecord = { id, type, p: { ...props, id } };
    this.others.set(id, record);
    return record;
  }

  addMember(groupId: string, memberId: string): boolean {
    const group = this.require(groupId);
    const memberType = this.memberTypeOf(memberId);
    if (memberType === undefined) throw new Error(`unknown directory object ${memberId}`);
    if (!group.members.insert(memberId.toLowerCase())) return false;
    this.membershipVersion++;
    this.log().append({ kind: 'group', id: group.id, op: 'memberAdd', memberId, memberType, props: ['members'] });
    return true;
  }

  removeMember(groupId: string, memberId: string, memberType?: MemberType): boolean {
    const group = this.require(groupId);
    if (!group.members.remove(memberId.toLowerCase())) return false;
    this.membershipVersion++;
    const type = memberType ?? this.memberTypeOf(memberId) ?? 'user';
    this.log().append({
      kind: 'group',
      id: group.id,
      op: 'memberRemove',
      memberId,
      memberType: type,
      props: ['members'],
    });
    return true;
  }

  /** Groups that hold `memberId` directly (few groups per tenant, so a scan is cheap). */
  groupsOf(memberId: string): string[] {
    const result: string[] = [];
    for (const group of this.groups.values()) if (group.members.has(memberId)) result.push(group.id);
    return result;
  }

  /**
   * All nested members, nested groups included, sorted by id; cached until membership changes so
   * paging a large transitive list does not walk the tree for every page.
   */
  transitiveMembers(groupId: string): string[] {
    const group = this.require(groupId);
    const cached = this.transitiveCache.get(group.id);
    if (cached && cached.version === this.membershipVersion) return cached.ids;
    const seen = new Set<string>();
    const visit = (g: GroupRecord): void => {
      for (const id of g.members.values()) {
        if (seen.has(id)) continue;
        seen.add(id);
        const nested = this.groups.get(id);
        if (nested) visit(nested);
      }
    };
    visit(group);
    seen.delete(group.id);
    const ids = [...seen].sort();
    this.transitiveCache.set(group.id, { version: this.membershipVersion, ids });
    return ids;
  }

  clear(): void {
    this.groups.clear();
    this.others.clear();
    this.order.clear();
    this.transitiveCache.clear();
    this.membershipVersion++;
  }

  private require(id: string): GroupRecord {
    const group = this.get(id);
    if (!group) throw new Error(`unknown group ${id}`);
    return group;
  }
}
