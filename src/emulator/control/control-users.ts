import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../emulator-context.js';
import { photoRecord } from '../graph/photo.routes.js';
import type { UserRecord } from '../store/store-types.js';
import { ControlError } from './control-error.js';
import type { ControlUser } from './control-types.js';

export interface ControlUserInput {
  displayName: string;
  userPrincipalName?: string;
  id?: string;
  managerId?: string;
  groups?: string[];
  [property: string]: unknown;
}

const isoNow = (ctx: EmulatorContext): string => new Date(ctx.now()).toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * User operations of the control API. They act like changes made by an admin or by directory sync,
 * so they skip Graph's write rules (a synced user can be changed here), but delta still sees them.
 */
export class ControlUsers {
  constructor(protected readonly ctx: EmulatorContext) {}

  async createUser(input: ControlUserInput): Promise<ControlUser> {
    const { id = randomUUID(), managerId, groups = [], ...props } = input;
    if (typeof props.displayName !== 'string' || props.displayName === '')
      throw new ControlError(400, 'displayName is required');
    const alias = props.displayName
      .normalize('NFD')
      .replace(/[^A-Za-z0-9]/g, '.')
      .toLowerCase();
    const upn = props.userPrincipalName ?? `${alias}.${id.slice(0, 4)}@${this.ctx.domains[0]}`;
    if (this.ctx.store.upnTaken(upn)) throw new ControlError(409, `userPrincipalName ${upn} is taken`);
    const user = this.ctx.store.createUser(id.toLowerCase(), {
      accountEnabled: true,
      userType: 'Member',
      mailNickname: upn.split('@')[0],
      createdDateTime: isoNow(this.ctx),
      businessPhones: [],
      ...props,
      userPrincipalName: upn,
    });
    if (managerId) this.ctx.store.setManager(user.id, this.requireUser(managerId).id);
    for (const groupId of groups) this.ctx.store.groups.addMember(groupId, user.id);
    return this.toControlUser(user, false);
  }

  async getUser(id: string): Promise<ControlUser | null> {
    const active = this.ctx.store.getUser(id);
    if (active) return this.toControlUser(active, false);
    const deleted = this.ctx.store.deletedUsers.get(id.toLowerCase());
    return deleted ? this.toControlUser(deleted, true) : null;
  }

  /** Returns the names of the properties that really changed; null removes a property. */
  async updateUser(id: string, props: Record<string, unknown>): Promise<string[]> {
    return this.ctx.store.updateUser(this.requireUser(id).id, props);
  }

  async disableUser(id: string): Promise<void> {
    this.ctx.store.updateUser(this.requireUser(id).id, { accountEnabled: false });
  }

  /** Soft delete (to deleted items) by default; `hard` removes the user for good. */
  async deleteUser(id: string, options: { hard?: boolean } = {}): Promise<void> {
    const key = id.toLowerCase();
    if (options.hard) {
      if (!this.ctx.store.hardDeleteUser(key)) throw new ControlError(404, `no user ${id}`);
      return;
    }
    this.ctx.store.softDeleteUser(this.requireUser(key).id, isoNow(this.ctx));
  }

  async restoreUser(id: string): Promise<ControlUser> {
    const user = this.ctx.store.restoreUser(id);
    if (!user) throw new ControlError(404, `no deleted user ${id}`);
    return this.toControlUser(user, false);
  }

  async setManager(id: string, managerId: string | null): Promise<void> {
    const manager = managerId === null ? null : this.requireUser(managerId).id;
    this.ctx.store.setManager(this.requireUser(id).id, manager);
  }

  /** Photo bytes as base64; null removes the photo. Never visible in delta. */
  async setPhoto(id: string, photo: { base64: string; contentType?: string } | null): Promise<void> {
    const user = this.requireUser(id);
    this.ctx.store.setPhoto(
      user.id,
      photo === null ? null : photoRecord(Buffer.from(photo.base64, 'base64'), photo.contentType ?? 'image/jpeg'),
    );
  }

  /**
   * true = synced from on-premises now, false = was synced, null = cloud only (onPremisesSyncEnabled,
   * https://learn.microsoft.com/graph/api/resources/user).
   */
  async markSynced(id: string, enabled: boolean | null = true): Promise<void> {
    const user = this.requireUser(id);
    const changes: Record<string, unknown> = { onPremisesSyncEnabled: enabled };
    if (enabled === true) {
      changes['onPremisesLastSyncDateTime'] = isoNow(this.ctx);
      if (!user.p['onPremisesImmutableId'])
        changes['onPremisesImmutableId'] = Buffer.from(user.id).toString('base64').slice(0, 24);
    }
    this.ctx.store.updateUser(user.id, changes);
  }

  protected requireUser(id: string): UserRecord {
    const user = this.ctx.store.getUser(id);
    if (!user) throw new ControlError(404, `no user ${id}`);
    return user;
  }

  private toControlUser(user: UserRecord, deleted: boolean): ControlUser {
    return {
      id: user.id,
      props: { ...user.p },
      managerId: user.managerId ?? null,
      hasPhoto: user.photo !== undefined,
      deleted,
    };
  }
}
