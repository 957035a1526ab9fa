import { SYNCED_HR_FIELDS } from '../../../src/domain/hr-field.catalogue.js';
import type {
  HrCandidate,
  HrSyncStore,
  MirrorUser,
  PagePlan,
  RunSettings,
  UserOutcome,
} from '../../../src/sync/inbound/apply.ports.js';
import { inRange } from './directory-mirror.js';
import { writePlan } from './hr-plan.writer.js';
import type { HrUserRow, InboundState } from './inbound-state.js';

/** The apply stage's reads and writes in memory (src/gateways/db/hr-sync.repository.ts). */
export class InMemoryHrSyncStore implements HrSyncStore {
  constructor(private readonly db: InboundState) {}

  async runSettings(): Promise<RunSettings> {
    const roleMapping: Record<string, string[]> = {};
    for (const group of [...this.db.roleMapping.keys()].sort())
      roleMapping[group] = [...this.db.roleMapping.get(group)!].sort();
    const roles = [...this.db.roles];
    return {
      ...structuredClone(this.db.settings),
      syncedGroupIds: [...this.db.syncedGroups].sort(),
      roleMapping,
      protectedRoleIds: roles.filter(([, r]) => r.protected).map(([id]) => id),
      roleNames: Object.fromEntries(roles.map(([id, r]) => [id, r.name])),
    };
  }

  async applyState(): Promise<{ appliedSeq: number; currentSeq: number; fingerprint: string | null }> {
    const { appliedSeq, fingerprint } = this.db.syncState;
    return { appliedSeq, currentSeq: this.db.seq, fingerprint };
  }

  async markApplied(seq: number, fingerprint: string): Promise<void> {
    const state = this.db.syncState;
    Object.assign(state, { appliedSeq: Math.max(state.appliedSeq, seq), fingerprint });
  }

  /**
   * Rule 3.2: inactive linked HR users, not archived, in a synced group, whose Entra user is there and
   * enabled; only those changed since five minutes before the last look (or never stamped).
   */
  async markDueReactivations(syncedGroupIds: string[], nested: boolean): Promise<number> {
    const groups = new Set(this.db.closure(syncedGroupIds, nested).map((c) => c.group));
    const last = this.db.syncState.reactivationsCheckedAt;
    const since = last === null ? null : last - OVERLAP_MS;
    this.db.syncState.reactivationsCheckedAt = this.db.tick();
    let marked = 0;
    for (const u of this.db.hrUsers.values()) {
      if (u.active || u.entraId === null || u.employeeProfile === 'archived') continue;
      if (since !== null && u.lastChangedAt !== null && u.lastChangedAt < since) continue;
      if (![...this.db.members.values()].some((m) => m.memberId === u.entraId && groups.has(m.groupId))) continue;
      const entra = this.db.mirrorUsers.get(u.entraId);
      if (!entra || entra.removed !== null || entra.properties.accountEnabled === false) continue;
      entra.changedSeq = this.db.nextSeq();
      marked += 1;
    }
    return marked;
  }

  async groupClosure(roots: string[], nested: boolean): Promise<Array<{ root: string; group: string }>> {
    return this.db.closure(roots, nested);
  }

  async changedUsers(q: Parameters<HrSyncStore['changedUsers']>[0]): Promise<MirrorUser[]> {
    const page = [...this.db.mirrorUsers]
      .filter(([id, u]) => id > q.afterId && inRange(q, id, u, this.db))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .slice(0, q.limit);
    return page.map(([entraId, u]) => {
      const direct = [...this.db.members.values()].filter((m) => m.memberId === entraId).map((m) => m.groupId);
      const groups = [...new Set(q.closure.filter((c) => direct.includes(c.group)).map((c) => c.root))].sort();
      const manager = u.managerEntraId === null ? undefined : this.db.mirrorUsers.get(u.managerEntraId);
      return {
        entraId,
        properties: structuredClone(u.properties),
        removed: u.removed,
        groups,
        manager: manager
          ? {
              id: u.managerEntraId!,
              mail: text(manager.properties.mail),
              employeeId: text(manager.properties.employeeId),
            }
          : null,
      };
    });
  }

  async candidates(entraIds: string[], emails: string[]): Promise<HrCandidate[]> {
    const lower = new Set(emails.map((e) => e.toLowerCase()));
    return [...this.db.hrUsers.values()]
      .filter((u) => (u.entraId !== null && entraIds.includes(u.entraId)) || lower.has(u.email.toLowerCase()))
      .map((u) => this.candidate(u));
  }

  async writePlan(plan: PagePlan, runId: string, apply: boolean): Promise<UserOutcome[]> {
    return writePlan(this.db, plan, runId, apply);
  }

  /**
   * Linked HR users the mirror never saw; with `neverSynced`, unlinked ones without a protected role
   * (and, with `sparePushed`, not provisioned by a push).
   */
  async queueOrphanDeactivations(
    runId: string,
    neverSynced: boolean,
    write: boolean,
    sparePushed: boolean,
  ): Promise<void> {
    for (const u of this.db.hrUsers.values()) {
      if (!u.active) continue;
      const orphan = u.entraId !== null && !this.db.mirrorUsers.has(u.entraId);
      const protectedRole = [...(this.db.userRoles.get(u.id) ?? [])].some((r) => this.db.roles.get(r)?.protected);
      const spared = sparePushed && u.provisioned === true;
      if (!orphan && !(neverSynced && u.entraId === null && !protectedRole && !spared)) continue;
      const reason = u.entraId === null ? 'not-in-synced-group' : 'deleted-in-entra';
      const row = { hrUserId: u.id, entraId: u.entraId, email: u.email };
      if (!write) {
        const changes = [{ field: 'active', old: true, new: false }];
        this.db.outcomes.push({ runId, ...row, outcome: 'deactivated', changes, reason });
      } else if (!this.db.pending.some((p) => p.runId === runId && p.hrUserId === u.id))
        this.db.pending.push({ runId, ...row, reason });
    }
  }

  /** Managers by Entra id, for the HR users written since the last resolution and their reports. */
  async resolveManagers(everyone: boolean): Promise<number> {
    const since = everyone ? null : this.db.syncState.managersResolvedAt;
    const users = [...this.db.hrUsers.values()];
    const managerOf = (u: HrUserRow) => u.values.managerEntraId ?? null;
    const written = users.filter((u) => since === null || (u.lastSyncedAt !== null && u.lastSyncedAt >= since));
    const writtenIds = new Set(written.map((u) => u.entraId).filter((id) => id !== null));
    const reports = users.filter((u) => writtenIds.has(managerOf(u) ?? ''));
    let linked = 0;
    for (const u of new Set([...written, ...reports])) {
      const managerEntraId = managerOf(u);
      const manager = managerEntraId === null ? undefined : users.find((m) => m.entraId === managerEntraId);
      if (u.managerId === (manager?.id ?? null)) continue;
      Object.assign(u, { managerId: manager?.id ?? null, lastChangeOrigin: 'entra', lastChangedAt: this.db.tick() });
      linked += 1;
    }
    this.db.syncState.managersResolvedAt = this.db.tick();
    return linked;
  }

  private candidate(u: HrUserRow): HrCandidate {
    const values: HrCandidate['values'] = {};
    for (const field of SYNCED_HR_FIELDS) values[field] = u.values[field] ?? null;
    for (const [key, value] of Object.entries(u.custom))
      values[`custom.${key}`] = value === null || value === undefined ? null : String(value);
    return {
      id: u.id,
      email: u.email,
      entraId: u.entraId,
      active: u.active,
      origin: u.origin,
      hasEmployeeProfile: u.employeeProfile !== null,
      employeeArchived: u.employeeProfile === 'archived',
      roleIds: [...(this.db.userRoles.get(u.id) ?? [])],
      roleSyncState: structuredClone(u.roleSyncState),
      values,
      kept: structuredClone(u.kept),
    };
  }
}

/** How far before the last look rule 3.2's next look reaches back (a deactivation committed while it ran). */
const OVERLAP_MS = 5 * 60_000;

/** A jsonb property read as text (->>): null when absent or null. */
function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
