import { HR_FIELDS } from '../../../src/domain/hr-field.catalogue.js';
import type { ApplyRange } from '../../../src/sync/inbound/apply.ports.js';
import type {
  DirectoryGroupChange,
  DirectoryMirror,
  DirectoryStream,
  DirectoryUserChange,
} from '../../../src/sync/inbound/inbound-sync.ports.js';
import { INBOUND_CHANNEL_ID } from '../../../src/sync/kernel/channel-id.js';
import type { StreamCursor } from '../../../src/sync/kernel/channel-state.ports.js';
import { requireChannel, saveCursor } from './channel.store.js';
import { sameJson, type InboundState } from './inbound-state.js';

/** The longest object id the mirror keeps (the column's width): a longer one fails the page. */
const ID_LENGTH = HR_FIELDS.entraId.maxLength;

/** The directory mirror in memory (src/gateways/db/directory-mirror.repository.ts). */
export class InMemoryDirectoryMirror implements DirectoryMirror {
  constructor(private readonly db: InboundState) {}

  async hasUser(entraId: string): Promise<boolean> {
    return this.db.mirrorUsers.has(entraId);
  }

  async countUsers(range: ApplyRange): Promise<number> {
    return [...this.db.mirrorUsers].filter(([id, u]) => inRange(range, id, u, this.db)).length;
  }

  /** One transaction: checked first, then written with the cursor. */
  async storeUsers(items: DirectoryUserChange[], next: StreamCursor | null): Promise<void> {
    for (const item of items) checkId(item.id);
    if (next) requireChannel(this.db, INBOUND_CHANNEL_ID);
    const round = next?.fullRound ?? 0;
    const known = new Set(items.map((u) => u.id).filter((id) => this.db.mirrorUsers.has(id)));
    for (const item of items) {
      const removed = item.removed ?? null;
      const old = this.db.mirrorUsers.get(item.id);
      if (!old || !known.has(item.id)) {
        // A user new to the mirror twice in a page: the first is inserted, the second conflicts with it.
        if (old) continue;
        const row = { properties: item.properties, managerEntraId: item.managerId ?? null, removed };
        this.db.mirrorUsers.set(item.id, { ...row, seenRound: round, changedSeq: this.db.nextSeq() });
        continue;
      }
      // A removal keeps the last known properties; the manager changes only when the page names it.
      const properties = removed === null ? { ...old.properties, ...item.properties } : old.properties;
      const managerEntraId = item.managerId === undefined ? old.managerEntraId : item.managerId;
      const changed =
        (removed === null && !sameJson(properties, old.properties)) ||
        managerEntraId !== old.managerEntraId ||
        removed !== old.removed;
      Object.assign(old, { properties, managerEntraId, removed, seenRound: Math.max(old.seenRound, round) });
      if (changed) old.changedSeq = this.db.nextSeq();
    }
    if (next) saveCursor(this.db, INBOUND_CHANNEL_ID, 'users', next);
  }

  async storeGroups(items: DirectoryGroupChange[], next: StreamCursor): Promise<void> {
    for (const item of items) checkId(item.id);
    requireChannel(this.db, INBOUND_CHANNEL_ID);
    const round = next.fullRound ?? 0;
    for (const g of items) {
      const old = this.db.mirrorGroups.get(g.id);
      this.db.mirrorGroups.set(g.id, {
        displayName: g.displayName ?? old?.displayName ?? null,
        removed: g.removed ?? null,
        seenRound: Math.max(old?.seenRound ?? round, round),
      });
    }
    // Users whose memberships change are marked changed, through nested groups (not in a full round,
    // whose full apply looks at every user anyway).
    const touched = items.flatMap((g) => [
      ...g.membersAdded.map((m) => m.id),
      ...g.membersRemoved.map((m) => m.id),
      ...(g.removed ? [g.id] : []),
    ]);
    if (touched.length && next.fullRound === null) markUsersUnder(this.db, touched);
    for (const g of items) {
      for (const m of this.db.members.values())
        if (g.removed && m.groupId === g.id) this.db.members.delete(`${m.groupId} ${m.memberId}`);
      for (const m of g.membersRemoved) this.db.members.delete(`${g.id} ${m.id}`);
    }
    for (const g of items)
      for (const m of g.membersAdded) {
        const key = `${g.id} ${m.id}`;
        const old = this.db.members.get(key);
        if (old) old.seenRound = Math.max(old.seenRound, round);
        else this.db.members.set(key, { groupId: g.id, memberId: m.id, memberType: m.type, seenRound: round });
      }
    saveCursor(this.db, INBOUND_CHANNEL_ID, 'groups', next);
  }

  async finishFullRound(stream: DirectoryStream, round: number): Promise<void> {
    if (stream === 'users') {
      for (const user of this.db.mirrorUsers.values())
        if (user.seenRound < round && user.removed !== 'missing') {
          user.removed = 'missing';
          user.changedSeq = this.db.nextSeq();
        }
      return;
    }
    const stale = [...this.db.members.values()].filter((m) => m.seenRound < round);
    if (stale.length) markUsersUnder(this.db, [...new Set(stale.map((m) => m.memberId))]);
    for (const m of stale) this.db.members.delete(`${m.groupId} ${m.memberId}`);
    for (const group of this.db.mirrorGroups.values())
      if (group.seenRound < round && group.removed === null) group.removed = 'missing';
  }
}

/** Whether a mirrored user is in an apply's range. */
export function inRange(
  range: ApplyRange,
  id: string,
  user: { changedSeq: number; managerEntraId: string | null },
  db: InboundState,
): boolean {
  const seq = user.changedSeq;
  const changed = range.all || (seq > range.afterSeq && seq <= range.uptoSeq);
  if (!changed || (range.onlyIds && !range.onlyIds.includes(id))) return false;
  const manager = user.managerEntraId === null ? undefined : db.mirrorUsers.get(user.managerEntraId);
  if (range.managerInMirror && user.managerEntraId !== null && !manager) return false;
  // Applied by a window with its manager in the mirror and unchanged since that window's end.
  const end = range.windowEnds?.find((e) => e >= seq);
  const appliedByWindow =
    end !== undefined &&
    seq > range.afterSeq &&
    (user.managerEntraId === null || (manager !== undefined && manager.changedSeq <= end));
  return !appliedByWindow;
}

/** Marks changed every mirrored user among `ids` or below them (ids may be groups: nested membership). */
export function markUsersUnder(db: InboundState, ids: readonly string[]): void {
  const below = new Set<string>();
  let level = [...new Set(ids)];
  for (let depth = 0; level.length && depth <= 32; depth += 1) {
    const fresh = level.filter((id) => !below.has(id));
    fresh.forEach((id) => below.add(id));
    level = [...db.members.values()].filter((m) => fresh.includes(m.groupId)).map((m) => m.memberId);
  }
  for (const id of below) {
    const user = db.mirrorUsers.get(id);
    if (user) user.changedSeq = db.nextSeq();
  }
}

function checkId(id: string): void {
  if (id.length > ID_LENGTH) throw new Error(`value too long for an object id (${ID_LENGTH}): ${id}`);
}
