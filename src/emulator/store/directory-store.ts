import { SortedIdList } from '../core/sorted-id-list.js';
import { ChangeLog } from './change-log.js';
import { GroupStore } from './group-store.js';
import type { GroupRecord, MemberType, OtherObjectRecord, PhotoRecord, Props, UserRecord } from './store-types.js';
import { UserIndex } from './user-index.js';

export interface TenantData {
  users: UserRecord[];
  deletedUsers?: UserRecord[];
  groups: GroupRecord[];
  others: OtherObjectRecord[];
}

/**
 * The tenant: users, deleted users, groups and the change log. Graph routes and the control API both
 * change the tenant only through these methods, so delta sees every change.
 */
export class DirectoryStore {
  readonly users = new Map<string, UserRecord>();
  readonly userOrder = new SortedIdList();
  readonly deletedUsers = new Map<string, UserRecord>();
  readonly deletedOrder = new SortedIdList();
  readonly index = new UserIndex();
  readonly groups: GroupStore;
  private changeLog = new ChangeLog();

  constructor() {
    this.groups = new GroupStore(
      () => this.changeLog,
      (id) => this.memberTypeOf(id),
    );
  }

  get log(): ChangeLog {
    return this.changeLog;
  }

  /** Replaces the whole tenant without logging (a fresh tenant has no history to replay). */
  load(data: TenantData): void {
    this.users.clear();
    this.userOrder.clear();
    this.deletedUsers.clear();
    this.deletedOrder.clear();
    this.index.clear();
    this.groups.clear();
    this.changeLog = new ChangeLog(this.changeLog.lastSeq);
    for (const user of data.users) {
      this.users.set(user.id, user);
      this.index.add(user);
    }
    this.userOrder.replaceAll(this.users.keys());
    for (const user of data.deletedUsers ?? []) this.deletedUsers.set(user.id, user);
    this.deletedOrder.replaceAll(this.deletedUsers.keys());
    this.groups.load(data.groups, data.others);
  }

  /**
   * Active user by id or userPrincipalName (case-insensitive,
   * https://learn.microsoft.com/graph/api/user-get).
   */
  getUser(idOrUpn: string): UserRecord | undefined {
    const key = idOrUpn.toLowerCase();
    const byId = this.users.get(key);
    if (byId) return byId;
    const [id] = this.index.lookup('userPrincipalName', key);
    return id === undefined ? undefined : this.users.get(id);
  }

  upnTaken(upn: string): boolean {
    if (this.index.lookup('userPrincipalName', upn).length > 0) return true;
    const lower = upn.toLowerCase();
    for (const user of this.deletedUsers.values()) {
      if (String(user.p['userPrincipalName']).toLowerCase() === lower) return true;
    }
    return false;
  }

  memberTypeOf(id: string): MemberType | undefined {
    const key = id.toLowerCase();
    if (this.users.has(key)) return 'user';
    if (this.groups.get(key)) return 'group';
    return this.groups.others.get(key)?.type;
  }

  createUser(id: string, props: Props): UserRecord {
    const user: UserRecord = { id, p: { ...props, id } };
    this.users.set(id, user);
    this.userOrder.insert(id);
    this.index.add(user);
    this.changeLog.append({ kind: 'user', id, op: 'upsert', props: Object.keys(user.p) });
    return user;
  }

  /** Applies changes and logs the names of the properties whose value really changed. */
  updateUser(id: string, changes: Props): string[] {
    const user = this.requireUser(id);
    const changed: string[] = [];
    for (const [prop, value] of Object.entries(changes)) {
      const before = user.p[prop];
      if (JSON.stringify(before) === JSON.stringify(value)) continue;
      this.index.replace(prop, before, value, user.id);
      if (value === null || value === undefined) delete user.p[prop];
      else user.p[prop] = value;
      changed.push(prop);
    }
    if (changed.length > 0) this.changeLog.append({ kind: 'user', id: user.id, op: 'upsert', props: changed });
    return changed;
  }

  setManager(id: string, managerId: string | null): void {
    const user = this.requireUser(id);
    const previous = user.managerId;
    if (previous === (managerId ?? undefined)) return;
    if (managerId === null) delete user.managerId;
    else user.managerId = managerId.toLowerCase();
    this.changeLog.append({ kind: 'user', id: user.id, op: 'upsert', props: ['manager'], memberId: previous });
  }

  /**
   * Photos live outside the user object: no log entry, so delta never reports them
   * (https://learn.microsoft.com/graph/delta-query-overview: photos are not tracked).
   */
  setPhoto(id: string, photo: PhotoRecord | null): void {
    const user = this.requireUser(id);
    if (photo === null) delete user.photo;
    else user.photo = photo;
  }

  /**
   * Moves the user to deleted items; it leaves its groups
   * (https://learn.microsoft.com/graph/api/user-delete).
   */
  softDeleteUser(id: string, deletedDateTime: string): UserRecord {
    const user = this.requireUser(id);
    user.formerGroups = this.groups.groupsOf(user.id);
    for (const groupId of user.formerGroups) this.groups.removeMember(groupId, user.id, 'user');
    this.users.delete(user.id);
    this.userOrder.remove(user.id);
    this.index.remove(user);
    user.p['deletedDateTime'] = deletedDateTime;
    this.deletedUsers.set(user.id, user);
    this.deletedOrder.insert(user.id);
    this.changeLog.append({ kind: 'user', id: user.id, op: 'softDelete' });
    return user;
  }

  restoreUser(id: string): UserRecord | undefined {
    const user = this.deletedUsers.get(id.toLowerCase());
    if (!user) return undefined;
    this.deletedUsers.delete(user.id);
    this.deletedOrder.remove(user.id);
    delete user.p['deletedDateTime'];
    this.users.set(user.id, user);
    this.userOrder.insert(user.id);
    this.index.add(user);
    this.changeLog.append({ kind: 'user', id: user.id, op: 'restore' });
    for (const groupId of user.formerGroups ?? []) {
      if (this.groups.get(groupId)) this.groups.addMember(groupId, user.id);
    }
    delete user.formerGroups;
    return user;
  }

  /** Permanent delete, from deleted items or straight from the active users. */
  hardDeleteUser(id: string): boolean {
    const key = id.toLowerCase();
    if (this.users.has(key)) this.softDeleteUser(key, new Date(0).toISOString());
    const user = this.deletedUsers.get(key);
    if (!user) return false;
    this.deletedUsers.delete(key);
    this.deletedOrder.remove(key);
    this.changeLog.append({ kind: 'user', id: key, op: 'hardDelete' });
    return true;
  }

  requireUser(id: string): UserRecord {
    const user = this.getUser(id);
    if (!user) throw new Error(`unknown user ${id}`);
    return user;
  }
}
