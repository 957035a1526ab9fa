import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../emulator-context.js';
import type { UserRecord } from '../store/store-types.js';
import { generateTenant } from '../tenant-generator.js';
import { ControlCalendars, type CalendarControl } from './control-calendars.js';
import { ControlError } from './control-error.js';
import { ControlUsers } from './control-users.js';
import type {
  DirectoryObjectInput,
  FaultRule,
  LatencyRule,
  ResetInput,
  SettingsPatch,
  StatsSnapshot,
  TenantSummary,
} from './control-types.js';

/**
 * The in-process control handle (not part of Graph). Every change goes through the same store as
 * Graph writes, so delta reports it. EmulatorControlClient offers the same methods over HTTP.
 */
export class EmulatorControl extends ControlUsers {
  /** Calendars and events, as their users change them in Outlook. */
  readonly calendars: CalendarControl;

  constructor(ctx: EmulatorContext) {
    super(ctx);
    this.calendars = new ControlCalendars(ctx);
  }

  async createGroup(input: {
    displayName: string;
    description?: string;
    id?: string;
    members?: string[];
    [k: string]: unknown;
  }): Promise<{ id: string }> {
    const { id = randomUUID(), members = [], ...props } = input;
    if (typeof props.displayName !== 'string' || props.displayName === '')
      throw new ControlError(400, 'displayName is required');
    const nick = props.displayName.replace(/[^A-Za-z0-9]/g, '') || 'group';
    const group = this.ctx.store.groups.create(id.toLowerCase(), {
      mailNickname: nick,
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      createdDateTime: new Date(this.ctx.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
      ...props,
    });
    for (const member of members) this.ctx.store.groups.addMember(group.id, member);
    return { id: group.id };
  }

  async deleteGroup(groupId: string): Promise<void> {
    this.requireGroup(groupId);
    this.ctx.store.groups.delete(groupId);
  }

  async findGroup(displayName: string): Promise<{ id: string; displayName: string; members: number } | null> {
    for (const g of this.ctx.store.groups.groups.values()) {
      if (String(g.p['displayName']).toLowerCase() === displayName.toLowerCase()) {
        return { id: g.id, displayName: String(g.p['displayName']), members: g.members.size };
      }
    }
    return null;
  }

  async addMember(groupId: string, memberId: string): Promise<void> {
    this.requireGroup(groupId);
    if (!this.ctx.store.memberTypeOf(memberId)) throw new ControlError(404, `no directory object ${memberId}`);
    this.ctx.store.groups.addMember(groupId, memberId);
  }

  async removeMember(groupId: string, memberId: string): Promise<void> {
    this.requireGroup(groupId);
    if (!this.ctx.store.groups.removeMember(groupId, memberId))
      throw new ControlError(404, `${memberId} is not a member`);
  }

  async createDirectoryObject(input: DirectoryObjectInput): Promise<{ id: string; type: string }> {
    const id = (input.id ?? randomUUID()).toLowerCase();
    this.ctx.store.groups.createOther(id, input.type, { displayName: input.displayName });
    return { id, type: input.type };
  }

  async setClientRoles(clientId: string, roles: string[]): Promise<void> {
    if (!this.ctx.registry.setRoles(clientId, roles)) throw new ControlError(404, `no client ${clientId}`);
  }

  /** The Web platform's redirect URIs of a client, for the authorization code flow. */
  async setRedirectUris(clientId: string, redirectUris: string[]): Promise<void> {
    if (!this.ctx.registry.setRedirectUris(clientId, redirectUris))
      throw new ControlError(404, `no client ${clientId}`);
  }

  async addFault(rule: FaultRule): Promise<void> {
    if (!['throttle', 'unavailable', 'drop'].includes(rule.kind) || !(rule.count > 0))
      throw new ControlError(400, 'kind and a positive count are required');
    this.ctx.faults.add(rule);
  }

  async listFaults(): Promise<FaultRule[]> {
    return this.ctx.faults.list();
  }

  async clearFaults(): Promise<void> {
    this.ctx.faults.clear();
    this.ctx.faults.setLatency([]);
  }

  /** A number applies to every request; rules apply to matching requests only. */
  async setLatency(latency: number | LatencyRule[]): Promise<void> {
    this.ctx.faults.setLatency(typeof latency === 'number' ? (latency > 0 ? [{ ms: latency }] : []) : latency);
  }

  async setQuota(enabled: boolean): Promise<void> {
    this.ctx.quota.enabled = enabled;
    this.ctx.quota.reset();
  }

  async setSettings(patch: SettingsPatch): Promise<void> {
    Object.assign(this.ctx.settings, patch);
  }

  async advanceTime(ms: number): Promise<{ now: number }> {
    if (!Number.isFinite(ms) || ms < 0) throw new ControlError(400, 'ms must be a non-negative number');
    this.ctx.advanceTime(ms);
    return { now: this.ctx.now() };
  }

  async expireDeltaTokens(): Promise<void> {
    this.ctx.deltaEpoch++;
    this.ctx.calendarDelta.clear();
  }

  /** Replaces the tenant with a generated one (or an empty one for 0 users); all delta tokens expire. */
  async reset(input: ResetInput): Promise<TenantSummary> {
    const data =
      input.users > 0
        ? generateTenant({ users: input.users, seed: input.seed ?? 42, domains: this.ctx.domains })
        : { users: [] as UserRecord[], groups: [], others: [] };
    this.ctx.store.load(data);
    this.ctx.calendars.clear();
    this.ctx.subscriptions.clear();
    this.ctx.calendarDelta.clear();
    this.ctx.deltaEpoch++;
    this.ctx.quota.reset();
    return this.summary();
  }

  async stats(): Promise<StatsSnapshot> {
    return this.ctx.stats.snapshot();
  }

  async resetStats(): Promise<void> {
    this.ctx.stats.reset();
  }

  async summary(): Promise<TenantSummary> {
    const { store } = this.ctx;
    return {
      tenantId: this.ctx.tenantId,
      domains: [...this.ctx.domains],
      users: store.users.size,
      deletedUsers: store.deletedUsers.size,
      groups: [...store.groups.groups.values()].map((g) => ({
        id: g.id,
        displayName: String(g.p['displayName']),
        members: g.members.size,
      })),
      changeSeq: store.log.lastSeq,
    };
  }

  private requireGroup(groupId: string): void {
    if (!this.ctx.store.groups.get(groupId)) throw new ControlError(404, `no group ${groupId}`);
  }
}
