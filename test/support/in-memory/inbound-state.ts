import { randomUUID } from 'node:crypto';
import type { RoleSyncMemory } from '../../../src/domain/role-policy.js';
import type { RunSettings, UserOutcome } from '../../../src/sync/inbound/apply.ports.js';
import type { RunRecord } from '../../../src/sync/inbound/sync-run.ports.js';
import { INBOUND_CHANNEL_ID, type ChannelId } from '../../../src/sync/kernel/channel-id.js';
import type { ChannelState, StreamCursor } from '../../../src/sync/kernel/channel-state.ports.js';

/*
 * The tables the inbound engine's PostgreSQL stores keep (src/gateways/db), as plain maps: one
 * object that the in-memory stores share, as the repositories share one database. Test fakes, kept
 * small; test/support/contracts pins that they behave as the PostgreSQL repositories do.
 */

export interface MirrorUserRow {
  properties: Record<string, unknown>;
  managerEntraId: string | null;
  removed: string | null;
  seenRound: number;
  changedSeq: number;
}

export interface MirrorGroupRow {
  displayName: string | null;
  removed: string | null;
  seenRound: number;
}

export interface MemberRow {
  groupId: string;
  memberId: string;
  memberType: string;
  seenRound: number;
}

export interface HrUserRow {
  id: string;
  email: string;
  entraId: string | null;
  /** The synced HR fields (src/domain/hr-field.catalogue.ts SYNCED_HR_FIELDS) as the columns hold them: text or null. */
  values: Record<string, string | null>;
  custom: Record<string, unknown>;
  fieldSources: Record<string, { source: string; changedAt: number }>;
  active: boolean;
  origin: string;
  deactivatedReason: string | null;
  roleSyncState: RoleSyncMemory | null;
  /** By HR field, the Entra value HR kept its own value over (rule 2.8). */
  kept: Record<string, string | boolean | null>;
  /** The manager's HR user id, set by the manager resolution. */
  managerId: string | null;
  /** Times of the state's clock (see `tick`), like the timestamps PostgreSQL compares. */
  lastSyncedAt: number | null;
  /** Where the last change came from: 'hr' unless the sync wrote it ('entra'), and when. */
  lastChangeOrigin: string;
  lastChangedAt: number | null;
  employeeProfile: 'active' | 'archived' | null;
  /** A SCIM push provisions this user (docs/rules.md 7.5); absent means no. */
  provisioned?: boolean;
}

export interface ChannelRow {
  state: ChannelState;
  cursors: Map<string, StreamCursor>;
  fullRound: number;
}

export type RunRow = RunRecord & { instance: string | null; cancelRequested: boolean };

export interface PendingRow {
  runId: string;
  hrUserId: string;
  entraId: string | null;
  email: string;
  reason: string;
}

/** The settings a run reads, minus the synced groups, role mapping and roles (tables of their own). */
export type StoredRunSettings = Pick<
  RunSettings,
  | 'followNestedGroups'
  | 'neverSyncedPolicy'
  | 'guardThreshold'
  | 'roleSync'
  | 'attributeMapping'
  | 'fieldOwners'
  | 'userSource'
>;

export class InboundState {
  readonly mirrorUsers = new Map<string, MirrorUserRow>();
  readonly mirrorGroups = new Map<string, MirrorGroupRow>();
  /** By `${groupId} ${memberId}`. */
  readonly members = new Map<string, MemberRow>();
  readonly hrUsers = new Map<string, HrUserRow>();
  /** HR user id -> role ids. */
  readonly userRoles = new Map<string, Set<string>>();
  readonly roles = new Map<string, { name: string; protected: boolean }>();
  readonly syncedGroups = new Set<string>();
  /** Entra group id -> role ids. */
  readonly roleMapping = new Map<string, Set<string>>();
  settings: StoredRunSettings = {
    followNestedGroups: true,
    neverSyncedPolicy: 'leave-alone',
    userSource: 'pull',
    guardThreshold: 0.1,
    roleSync: false,
    attributeMapping: [],
    fieldOwners: {},
  };
  readonly syncState = {
    appliedSeq: 0,
    fingerprint: null as string | null,
    managersResolvedAt: null as number | null,
    reactivationsCheckedAt: null as number | null,
  };
  /** The mirror's change sequence (entra_change_seq): 0 before its first value. */
  seq = 0;
  /** The inbound channel exists from the start, as the migration makes it. */
  readonly channels = new Map<ChannelId, ChannelRow>([[INBOUND_CHANNEL_ID, newChannel(INBOUND_CHANNEL_ID)]]);
  readonly runs = new Map<string, RunRow>();
  readonly outcomes: Array<UserOutcome & { runId: string }> = [];
  readonly pending: PendingRow[] = [];
  private clock = 0;

  constructor() {
    // The role the first migration makes: the one every installation has.
    this.addRole('Administrator', true);
  }

  nextSeq(): number {
    return ++this.seq;
  }

  /** Now in epoch milliseconds, moving forward at each call: two writes never share a time. */
  tick(): number {
    this.clock = Math.max(this.clock + 1, Date.now());
    return this.clock;
  }

  /** The groups `ids` reach, each with the groups below it (nested through group members when `nested`). */
  closure(roots: readonly string[], nested: boolean): Array<{ root: string; group: string }> {
    const found = new Map<string, { root: string; group: string }>();
    for (const root of new Set(roots)) {
      const queue: Array<[string, number]> = [[root, 0]];
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [group, depth] = next;
        if (found.has(`${root} ${group}`)) continue;
        found.set(`${root} ${group}`, { root, group });
        if (!nested || depth >= 32) continue;
        for (const m of this.members.values())
          if (m.groupId === group && m.memberType === 'group') queue.push([m.memberId, depth + 1]);
      }
    }
    return [...found.values()];
  }

  // Seeding, as an admin's or a test's SQL would.

  addHrUser(user: Partial<HrUserRow> & { email: string }): string {
    const id = user.id ?? randomUUID();
    this.hrUsers.set(id, {
      id,
      entraId: null,
      values: {},
      custom: {},
      fieldSources: {},
      active: true,
      origin: 'hr',
      deactivatedReason: null,
      roleSyncState: null,
      kept: {},
      managerId: null,
      lastSyncedAt: null,
      lastChangeOrigin: 'hr',
      lastChangedAt: null,
      employeeProfile: null,
      ...user,
    });
    return id;
  }

  addRole(name: string, isProtected = false): string {
    const id = randomUUID();
    this.roles.set(id, { name, protected: isProtected });
    return id;
  }

  grant(hrUserId: string, roleId: string): void {
    const roles = this.userRoles.get(hrUserId) ?? new Set<string>();
    roles.add(roleId);
    this.userRoles.set(hrUserId, roles);
  }

  mapGroup(entraGroupId: string, roleId: string): void {
    const roles = this.roleMapping.get(entraGroupId) ?? new Set<string>();
    roles.add(roleId);
    this.roleMapping.set(entraGroupId, roles);
  }
}

export function newChannel(id: ChannelId, kind: string = id): ChannelRow {
  return {
    state: { id, kind, stage: 'idle', stageStartedAt: null, failuresInRow: 0, lastSuccessAt: null },
    cursors: new Map(),
    fullRound: 0,
  };
}

/** jsonb equality: the same keys and values, whatever the keys' order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
  );
}
