import type { SyncedHrField } from '../../../src/domain/hr-field.catalogue.js';
import type { InboundStores } from '../../../src/sync/inbound/inbound-sync.ports.js';
import type { BackgroundTrigger, SyncRunMode } from '../../../src/sync/inbound/sync-run.ports.js';
import type { ChannelLocks } from '../../../src/sync/kernel/channel-lock.ports.js';
import { InMemoryChannelLocks, InboundState, inMemoryInboundStores } from '../in-memory/index.js';
import type { StoredRunSettings } from '../in-memory/inbound-state.js';

/** An HR user as a test puts it in place before the sync sees it. */
export interface SeedHrUser {
  email: string;
  entraId?: string;
  active?: boolean;
  values?: Partial<Record<SyncedHrField, string>>;
  custom?: Record<string, unknown>;
  profile?: 'active' | 'archived';
  roles?: string[];
  /** When an HR write last changed it; never when absent. */
  changedMinutesAgo?: number;
}

/** What the ports do not read back, read the backend's own way. */
export interface HrUserView {
  active: boolean;
  deactivatedReason: string | null;
  entraId: string | null;
  managerId: string | null;
  lastChangeOrigin: string;
}

/**
 * One implementation of the inbound engine's ports, fresh for each case of the contract suite
 * (test/support/contracts), with what a case needs to set the scene: the admin's side of the data.
 */
export interface InboundBackend {
  stores(): InboundStores;
  locks: ChannelLocks;
  seed: {
    settings(values: Partial<StoredRunSettings>): Promise<void>;
    syncedGroup(entraGroupId: string): Promise<void>;
    role(name: string, isProtected?: boolean): Promise<string>;
    mapGroup(entraGroupId: string, roleId: string): Promise<void>;
    hrUser(user: SeedHrUser): Promise<string>;
    queuedRun(trigger: BackgroundTrigger, mode: SyncRunMode): Promise<string>;
    requestCancel(runId: string): Promise<void>;
  };
  hrUser(id: string): Promise<HrUserView>;
  close(): Promise<void>;
}

export type BackendFactory = () => Promise<InboundBackend>;

/** The in-memory implementations (test/support/in-memory). */
export const inMemoryBackend: BackendFactory = async () => {
  const state = new InboundState();
  const stores = () => inMemoryInboundStores(state);
  return {
    stores,
    locks: new InMemoryChannelLocks(),
    seed: {
      settings: async (values) => void Object.assign(state.settings, values),
      syncedGroup: async (id) => void state.syncedGroups.add(id),
      role: async (name, isProtected) => state.addRole(name, isProtected),
      mapGroup: async (group, role) => state.mapGroup(group, role),
      hrUser: async (user) => {
        const id = state.addHrUser({
          email: user.email,
          entraId: user.entraId ?? null,
          active: user.active ?? true,
          values: { ...user.values },
          custom: { ...user.custom },
          employeeProfile: user.profile ?? null,
          lastChangedAt: user.changedMinutesAgo === undefined ? null : Date.now() - user.changedMinutesAgo * 60_000,
        });
        for (const role of user.roles ?? []) state.grant(id, role);
        return id;
      },
      queuedRun: (trigger, mode) => stores().runs.queue(trigger, mode, null),
      requestCancel: (runId) => stores().runs.requestCancel(runId, null),
    },
    hrUser: async (id) => {
      const u = state.hrUsers.get(id)!;
      const { active, deactivatedReason, entraId, managerId, lastChangeOrigin } = u;
      return { active, deactivatedReason, entraId, managerId, lastChangeOrigin };
    },
    close: async () => {},
  };
};
