import type { SortedIdList } from '../core/sorted-id-list.js';

/** A bag of Graph properties, stored as Graph spells them. */
export type Props = Record<string, unknown>;

export type MemberType = 'user' | 'group' | 'device' | 'servicePrincipal' | 'orgContact';

export interface PhotoRecord {
  bytes: Buffer;
  contentType: string;
  etag: string;
  width: number;
  height: number;
}

export interface UserRecord {
  id: string;
  /** Graph properties, `id` included, so projection is a plain property copy. */
  p: Props;
  managerId?: string;
  photo?: PhotoRecord;
  /** Groups the user left when soft-deleted; a restore puts them back, as Entra does. */
  formerGroups?: string[];
}

export interface GroupRecord {
  id: string;
  p: Props;
  members: SortedIdList;
}

/** Devices, service principals and contacts only ever appear as group members here. */
export interface OtherObjectRecord {
  id: string;
  type: Exclude<MemberType, 'user' | 'group'>;
  p: Props;
}

export type ChangeOp = 'upsert' | 'softDelete' | 'hardDelete' | 'restore' | 'memberAdd' | 'memberRemove';

/** One change in the tenant's log; delta reads the log from a token's sequence number on. */
export interface ChangeEntry {
  seq: number;
  kind: 'user' | 'group';
  id: string;
  op: ChangeOp;
  /** Properties changed by an upsert ('manager' for a manager change, 'members' for membership). */
  props?: readonly string[];
  /** The member added or removed, or the previous manager on a manager change. */
  memberId?: string;
  memberType?: MemberType;
}
