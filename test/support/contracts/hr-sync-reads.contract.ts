import { describe, expect, it } from '@jest/globals';
import type { NewUserRow } from '../../../src/sync/inbound/apply.ports.js';
import { changedSince, currentSeq, page, useBackend, user } from './contract-support.js';
import type { BackendFactory } from './inbound-backend.js';
import { emptyPlan } from './sync-run.contract.js';

const byEmail = <T extends { email: string }>(rows: T[]) => [...rows].sort((a, b) => (a.email < b.email ? -1 : 1));

/** What a run reads of HR and marks (HrSyncStore): settings, candidates, reactivations, orphans, managers. */
export function hrSyncReadsContract(make: BackendFactory): void {
  describe('the HR side of a run', () => {
    const backend = useBackend(make);

    it('reads the run settings: the defaults, then what the admin set', async () => {
      const { hr } = backend().stores();
      // Every installation starts with the protected Administrator role.
      const initial = await hr.runSettings();
      const [administrator] = initial.protectedRoleIds;
      expect(initial).toEqual({
        syncedGroupIds: [],
        followNestedGroups: true,
        neverSyncedPolicy: 'leave-alone',
        userSource: 'pull',
        guardThreshold: 0.1,
        roleSync: false,
        attributeMapping: [],
        fieldOwners: {},
        roleMapping: {},
        protectedRoleIds: [administrator],
        roleNames: { [administrator!]: 'Administrator' },
      });
      const { seed } = backend();
      const mapping = [{ source: 'department', target: 'dept' }];
      await seed.settings({
        roleSync: true,
        guardThreshold: 0.25,
        fieldOwners: { jobTitle: 'hr' },
        attributeMapping: mapping,
      });
      await seed.syncedGroup('g-b');
      await seed.syncedGroup('g-a');
      const [admin, staff] = [await seed.role('Admin', true), await seed.role('Staff')];
      for (const [group, role] of [
        ['g-b', staff],
        ['g-a', staff],
        ['g-a', admin],
      ] as const)
        await seed.mapGroup(group, role);
      const settings = await hr.runSettings();
      // Roles come in no particular order.
      expect({ ...settings, protectedRoleIds: [...settings.protectedRoleIds].sort() }).toEqual({
        syncedGroupIds: ['g-a', 'g-b'],
        followNestedGroups: true,
        neverSyncedPolicy: 'leave-alone',
        userSource: 'pull',
        guardThreshold: 0.25,
        roleSync: true,
        attributeMapping: mapping,
        fieldOwners: { jobTitle: 'hr' },
        roleMapping: { 'g-a': [admin, staff].sort(), 'g-b': [staff] },
        protectedRoleIds: [administrator!, admin].sort(),
        roleNames: { [administrator!]: 'Administrator', [admin]: 'Admin', [staff]: 'Staff' },
      });
    });

    it('keeps the applied change number as the greatest marked, with the last fingerprint', async () => {
      const { hr, mirror } = backend().stores();
      expect(await hr.applyState()).toMatchObject({ appliedSeq: 0, currentSeq: 0, fingerprint: null });
      await mirror.storeUsers([user('u-1'), user('u-2')], page());
      const seq = await currentSeq(backend());
      expect(seq).toBeGreaterThanOrEqual(2);
      await hr.markApplied(seq, 'fp-1', true);
      await hr.markApplied(1, 'fp-2', false);
      expect(await hr.applyState()).toMatchObject({ appliedSeq: seq, currentSeq: seq, fingerprint: 'fp-2' });
    });

    it('finds the candidates by Entra id or by e-mail whatever its case, each once, with their employee profile', async () => {
      const { seed } = backend();
      await seed.hrUser({ email: 'a@x.test', entraId: 'e-a', profile: 'active' });
      await seed.hrUser({ email: 'B@X.test', profile: 'archived' });
      await seed.hrUser({ email: 'c@x.test' });
      const found = byEmail(await backend().stores().hr.candidates(['e-a', 'e-none'], ['b@x.TEST', 'a@x.test']));
      expect(found.map((c) => [c.email, c.hasEmployeeProfile, c.employeeArchived, c.origin])).toEqual([
        ['B@X.test', true, true, 'hr'],
        ['a@x.test', true, false, 'hr'],
      ]);
    });

    it('marks for this run the inactive HR users whose enabled Entra user is in a synced group again (rule 3.2)', async () => {
      const { mirror, hr } = backend().stores();
      const { seed } = backend();
      await mirror.storeUsers(
        [
          user('e-1', { accountEnabled: true }),
          user('e-2', { accountEnabled: false }),
          user('e-3', {}, { removed: 'deleted' }),
          user('e-4'),
          user('e-5'),
          user('e-6'),
          user('e-7'),
        ],
        page(),
      );
      const members = ['e-1', 'e-2', 'e-3', 'e-6', 'e-7'].map((id) => ({ id, type: 'user' as const }));
      await mirror.storeGroups(
        [
          { id: 'staff', membersAdded: [...members, { id: 'team', type: 'group' }], membersRemoved: [] },
          { id: 'team', membersAdded: [{ id: 'e-5', type: 'user' }], membersRemoved: [] },
        ],
        page(undefined, 1),
      );
      for (const n of [1, 2, 3, 4, 5]) await seed.hrUser({ email: `u${n}@x.test`, entraId: `e-${n}`, active: false });
      await seed.hrUser({ email: 'u6@x.test', entraId: 'e-6' });
      await seed.hrUser({ email: 'u7@x.test', entraId: 'e-7', active: false, profile: 'archived' });
      await seed.hrUser({ email: 'u8@x.test', active: false });
      const seq = await currentSeq(backend());
      expect(await hr.markDueReactivations(['staff'], false)).toBe(1);
      expect(await changedSince(backend(), seq)).toEqual(['e-1']);
      expect(await hr.markDueReactivations(['staff'], true)).toBe(2);
      expect(await changedSince(backend(), seq)).toEqual(['e-1', 'e-5']);
      expect(await hr.markDueReactivations([], true)).toBe(0);
    });

    it('looks again only at inactive users changed since shortly before its last look (rule 8.6)', async () => {
      const { mirror, hr } = backend().stores();
      await mirror.storeUsers([user('e-1'), user('e-2'), user('e-3')], page());
      const members = ['e-1', 'e-2', 'e-3'].map((id) => ({ id, type: 'user' as const }));
      await mirror.storeGroups([{ id: 'staff', membersAdded: members, membersRemoved: [] }], page(undefined, 1));
      const inactive = { active: false } as const;
      await backend().seed.hrUser({ email: 'u1@x.test', entraId: 'e-1', changedMinutesAgo: 10, ...inactive });
      await backend().seed.hrUser({ email: 'u2@x.test', entraId: 'e-2', changedMinutesAgo: 2, ...inactive });
      await backend().seed.hrUser({ email: 'u3@x.test', entraId: 'e-3', ...inactive });
      // The first look covers everyone; the next reaches five minutes before it, and users never stamped.
      expect(await hr.markDueReactivations(['staff'], true)).toBe(3);
      const seq = await currentSeq(backend());
      expect(await hr.markDueReactivations(['staff'], true)).toBe(2);
      expect(await changedSince(backend(), seq)).toEqual(['e-2', 'e-3']);
    });

    it('queues the active HR users a full run finds orphaned: linked to a user the mirror never saw, or never synced', async () => {
      const { mirror, hr, runs } = backend().stores();
      const { seed } = backend();
      await mirror.storeUsers([user('e-1'), user('e-2', {}, { removed: 'deleted' })], page());
      const guard = await seed.role('Admin', true);
      await seed.hrUser({ email: 'a@x.test', entraId: 'e-1' });
      await seed.hrUser({ email: 'b@x.test', entraId: 'e-2' });
      const gone = await seed.hrUser({ email: 'c@x.test', entraId: 'e-9' });
      const never = await seed.hrUser({ email: 'd@x.test' });
      await seed.hrUser({ email: 'e@x.test', roles: [guard] });
      await seed.hrUser({ email: 'f@x.test', entraId: 'e-8', active: false });

      const preview = await runs.start('preview', 'full', null, 'instance-a');
      await hr.queueOrphanDeactivations(preview, false, false, false);
      expect([await runs.outcomeCount(preview, 'deactivated'), await runs.pendingCount(preview)]).toEqual([1, 0]);

      const id = await runs.start('manual', 'full', null, 'instance-a');
      await hr.queueOrphanDeactivations(id, true, true, false);
      await hr.queueOrphanDeactivations(id, true, true, false);
      expect(await runs.pendingCount(id)).toBe(2);
      expect(await runs.applyPendingDeactivations(id)).toBe(2);
      expect(await backend().hrUser(gone)).toMatchObject({ active: false, deactivatedReason: 'deleted-in-entra' });
      expect(await backend().hrUser(never)).toMatchObject({ active: false, deactivatedReason: 'not-in-synced-group' });
    });

    it('links managers by Entra id for the users written since the last resolution and their reports; all of them on request', async () => {
      const { hr, runs } = backend().stores();
      const create = async (entraId: string, managerEntraId: string | null) => {
        const row: NewUserRow = {
          entraId,
          email: `${entraId}@x.test`,
          values: { managerEntraId },
          custom: {},
          roleIds: [],
          roleSyncState: null,
        };
        const outcome = {
          hrUserId: null,
          entraId,
          email: row.email,
          outcome: 'created' as const,
          changes: [],
          reason: null,
        };
        const [written] = await hr.writePlan(emptyPlan({ creates: [row], outcomes: [outcome] }), run, true);
        return written!.hrUserId!;
      };
      const managerOf = async (id: string) => (await backend().hrUser(id)).managerId;
      const run = await runs.start('manual', 'incremental', null, 'instance-a');
      const boss = await create('e-boss', null);
      // HR had the manager: the report is linked as it is created, and nothing is left to resolve.
      const rex = await create('e-rex', 'e-boss');
      expect(await managerOf(rex)).toBe(boss);
      expect(await hr.resolveManagers(false)).toBe(0);

      // A report written before its manager is linked when the manager is written.
      const ida = await create('e-ida', 'e-mona');
      expect(await hr.resolveManagers(false)).toBe(0);
      const mona = await create('e-mona', null);
      expect(await hr.resolveManagers(false)).toBe(1);
      expect(await managerOf(ida)).toBe(mona);

      // A manager removed in Entra unlinks the report.
      const unlink = {
        id: rex,
        values: { managerEntraId: null },
        linkEntraId: null,
        reactivate: false,
        roleSyncState: undefined,
        kept: undefined,
      };
      await hr.writePlan(emptyPlan({ updates: [unlink] }), run, true);
      expect(await hr.resolveManagers(false)).toBe(1);
      expect(await managerOf(rex)).toBeNull();

      // Written by no run since: only a resolution of everyone links it.
      const kim = await backend().seed.hrUser({ email: 'kim@x.test', values: { managerEntraId: 'e-boss' } });
      expect(await hr.resolveManagers(false)).toBe(0);
      expect(await hr.resolveManagers(true)).toBe(1);
      expect(await managerOf(kim)).toBe(boss);
    });
  });
}
