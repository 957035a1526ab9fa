import { describe, expect, it } from '@jest/globals';
import { SYNCED_HR_FIELDS } from '../../../src/domain/hr-field.catalogue.js';
import type { NewUserRow, UserOutcome } from '../../../src/sync/inbound/apply.ports.js';
import { useBackend } from './contract-support.js';
import type { BackendFactory } from './inbound-backend.js';
import { emptyPlan } from './sync-run.contract.js';

const created = (entraId: string, email: string): UserOutcome => ({
  hrUserId: null,
  entraId,
  email,
  outcome: 'created',
  changes: [],
  reason: null,
});
const newUser = (entraId: string, email: string, more: Partial<NewUserRow> = {}): NewUserRow => ({
  entraId,
  email,
  values: {},
  custom: {},
  roleIds: [],
  roleSyncState: null,
  ...more,
});
/** Every synced field, null unless given: how a candidate's values read. */
const valuesWith = (given: Record<string, string | null>) => ({
  ...Object.fromEntries(SYNCED_HR_FIELDS.map((f) => [f, null])),
  ...given,
});

/** A page plan's writes (HrSyncStore.writePlan), read back through the candidates. */
export function hrSyncWritesContract(make: BackendFactory): void {
  describe('writing a page plan', () => {
    const backend = useBackend(make);
    const run = () => backend().stores().runs.start('manual', 'incremental', null, 'instance-a');

    it('creates HR users with their fields, custom fields and roles; a taken e-mail or Entra id is skipped', async () => {
      const { hr, runs } = backend().stores();
      const role = await backend().seed.role('Staff');
      await backend().seed.hrUser({ email: 'BOB@X.TEST' });
      await backend().seed.hrUser({ email: 'linked@x.test', entraId: 'e-linked' });
      const id = await run();
      const plan = emptyPlan({
        creates: [
          newUser('e-ada', 'Ada@X.test', {
            values: { firstName: 'Ada', displayName: 'Ada L', hireDate: '2020-02-03', managerEntraId: null },
            custom: { dept: 'R&D', none: null },
            roleIds: [role],
            roleSyncState: { 'g-staff': [role] },
          }),
          newUser('e-bob', 'bob@x.test'),
          newUser('e-linked', 'other@x.test'),
        ],
        outcomes: [created('e-ada', 'Ada@X.test'), created('e-bob', 'bob@x.test'), created('e-linked', 'other@x.test')],
      });
      const outcomes = await hr.writePlan(plan, id, true);
      const taken = {
        hrUserId: null,
        outcome: 'skipped',
        changes: [],
        reason: 'Another HR user already has this e-mail address (compared case-insensitively).',
      };
      expect(outcomes).toEqual([
        { ...created('e-ada', 'Ada@X.test'), hrUserId: expect.any(String) },
        { ...created('e-bob', 'bob@x.test'), ...taken },
        { ...created('e-linked', 'other@x.test'), ...taken },
      ]);
      expect(await hr.candidates(['e-ada'], [])).toEqual([
        {
          id: outcomes[0]!.hrUserId,
          email: 'Ada@X.test',
          entraId: 'e-ada',
          active: true,
          origin: 'entra',
          hasEmployeeProfile: false,
          employeeArchived: false,
          roleIds: [role],
          roleSyncState: { 'g-staff': [role] },
          values: valuesWith({
            firstName: 'Ada',
            displayName: 'Ada L',
            hireDate: '2020-02-03',
            'custom.dept': 'R&D',
            'custom.none': null,
          }),
          kept: {},
        },
      ]);
      expect(await backend().hrUser(outcomes[0]!.hrUserId!)).toMatchObject({
        lastChangeOrigin: 'entra',
        managerId: null,
      });
      expect([await runs.outcomeCount(id, 'created'), await runs.outcomeCount(id, 'skipped')]).toEqual([1, 2]);
    });

    it('links a created user to a manager HR already has; one created in the same page waits for the resolution', async () => {
      const { hr } = backend().stores();
      const boss = await backend().seed.hrUser({ email: 'boss@x.test', entraId: 'e-boss' });
      const id = await run();
      const outcomes = await hr.writePlan(
        emptyPlan({
          creates: [
            newUser('e-ada', 'ada@x.test', { values: { managerEntraId: 'e-boss' } }),
            newUser('e-bob', 'bob@x.test', { values: { managerEntraId: 'e-cy' } }),
            newUser('e-cy', 'cy@x.test'),
          ],
          outcomes: [created('e-ada', 'ada@x.test'), created('e-bob', 'bob@x.test'), created('e-cy', 'cy@x.test')],
        }),
        id,
        true,
      );
      expect(await backend().hrUser(outcomes[0]!.hrUserId!)).toMatchObject({ managerId: boss });
      expect(await backend().hrUser(outcomes[1]!.hrUserId!)).toMatchObject({ managerId: null });
      await hr.resolveManagers(true);
      expect(await backend().hrUser(outcomes[1]!.hrUserId!)).toMatchObject({ managerId: outcomes[2]!.hrUserId });
    });

    it('in a preview records the outcomes and writes nothing else', async () => {
      const { hr, runs } = backend().stores();
      const kim = await backend().seed.hrUser({ email: 'kim@x.test', values: { jobTitle: 'Old' } });
      const id = await run();
      const plan = emptyPlan({
        creates: [newUser('e-ada', 'ada@x.test')],
        updates: [
          {
            id: kim,
            values: { jobTitle: 'New' },
            linkEntraId: 'e-kim',
            reactivate: false,
            roleSyncState: undefined,
            kept: undefined,
          },
        ],
        deactivations: [{ hrUserId: kim, entraId: null, email: 'kim@x.test', reason: 'not-in-synced-group' }],
        outcomes: [created('e-ada', 'ada@x.test')],
      });
      expect(await hr.writePlan(plan, id, false)).toEqual([created('e-ada', 'ada@x.test')]);
      expect(await hr.candidates(['e-ada', 'e-kim'], ['ada@x.test'])).toEqual([]);
      expect((await hr.candidates([], ['kim@x.test']))[0]!.values.jobTitle).toBe('Old');
      expect([await runs.outcomeCount(id, 'created'), await runs.pendingCount(id)]).toEqual([1, 0]);
    });

    it('updates the fields named, merges custom fields, links, reactivates, remembers, grants and revokes', async () => {
      const { hr } = backend().stores();
      const [admin, staff] = [await backend().seed.role('Admin'), await backend().seed.role('Staff')];
      const kim = await backend().seed.hrUser({
        email: 'kim@x.test',
        active: false,
        values: { jobTitle: 'Old', city: 'Paris', department: 'Ops' },
        custom: { dept: 'Ops', keep: 'x' },
        roles: [admin],
      });
      const update = {
        id: kim,
        values: { jobTitle: 'New', city: null, 'custom.dept': 'R&D' },
        linkEntraId: 'e-kim',
        reactivate: true,
        roleSyncState: { 'g-staff': [staff] },
        kept: { firstName: 'Kimberly' },
      };
      await hr.writePlan(
        emptyPlan({
          updates: [update],
          roleGrants: [{ hrUserId: kim, roleId: staff }],
          roleRevokes: [{ hrUserId: kim, roleId: admin }],
        }),
        await run(),
        true,
      );
      const expected = {
        id: kim,
        entraId: 'e-kim',
        active: true,
        roleIds: [staff],
        roleSyncState: { 'g-staff': [staff] },
        values: valuesWith({ jobTitle: 'New', department: 'Ops', 'custom.dept': 'R&D', 'custom.keep': 'x' }),
        kept: { firstName: 'Kimberly' },
      };
      expect(await hr.candidates(['e-kim'], [])).toEqual([expect.objectContaining(expected)]);
      expect(await backend().hrUser(kim)).toMatchObject({
        active: true,
        deactivatedReason: null,
        lastChangeOrigin: 'entra',
      });

      // Nothing named: the link, the role memory and the kept values stay as they are.
      const nothing = {
        id: kim,
        values: {},
        linkEntraId: null,
        reactivate: false,
        roleSyncState: undefined,
        kept: undefined,
      };
      await hr.writePlan(emptyPlan({ updates: [nothing] }), await run(), true);
      expect(await hr.candidates(['e-kim'], [])).toEqual([expect.objectContaining(expected)]);
      // A role memory set to null, kept values emptied.
      await hr.writePlan(emptyPlan({ updates: [{ ...nothing, roleSyncState: null, kept: {} }] }), await run(), true);
      expect(await hr.candidates(['e-kim'], [])).toEqual([expect.objectContaining({ roleSyncState: null, kept: {} })]);
    });

    it('writes a page all or nothing: a value too long or an Entra id already linked fails it whole', async () => {
      const { hr, runs } = backend().stores();
      const kim = await backend().seed.hrUser({ email: 'kim@x.test' });
      await backend().seed.hrUser({ email: 'lee@x.test', entraId: 'e-lee' });
      const id = await run();
      const good = { creates: [newUser('e-ada', 'ada@x.test')], outcomes: [created('e-ada', 'ada@x.test')] };
      const update = {
        id: kim,
        values: {},
        linkEntraId: null,
        reactivate: false,
        roleSyncState: undefined,
        kept: undefined,
      };
      await expect(
        hr.writePlan(emptyPlan({ ...good, updates: [{ ...update, values: { jobTitle: 'x'.repeat(129) } }] }), id, true),
      ).rejects.toThrow(/value too long for type character varying\(128\)/);
      await expect(
        hr.writePlan(emptyPlan({ ...good, updates: [{ ...update, linkEntraId: 'e-lee' }] }), id, true),
      ).rejects.toThrow();
      expect(await hr.candidates(['e-ada'], ['ada@x.test'])).toEqual([]);
      expect((await hr.candidates([], ['kim@x.test']))[0]!.entraId).toBeNull();
      expect(await runs.outcomeCount(id, 'created')).toBe(0);
      // A value as long as its column is fine.
      await hr.writePlan(
        emptyPlan({ ...good, updates: [{ ...update, values: { jobTitle: 'é'.repeat(128) } }] }),
        id,
        true,
      );
      expect(await runs.outcomeCount(id, 'created')).toBe(1);
    });
  });
}
