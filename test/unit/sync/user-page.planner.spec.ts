import { describe, expect, it } from '@jest/globals';
import type { HrCandidate, MirrorUser, RunSettings } from '../../../src/sync/inbound/apply.ports.js';
import { planUserPage } from '../../../src/sync/inbound/user-page.planner.js';

const settings: RunSettings = {
  syncedGroupIds: ['staff'],
  followNestedGroups: true,
  neverSyncedPolicy: 'leave-alone',
  userSource: 'pull',
  guardThreshold: 0.1,
  roleSync: false,
  attributeMapping: [],
  fieldOwners: {},
  roleMapping: {},
  protectedRoleIds: [],
  roleNames: {},
};

const entra = (properties: Record<string, unknown> = {}): MirrorUser => ({
  entraId: 'e-casey',
  removed: null,
  manager: null,
  groups: ['staff'],
  properties: {
    givenName: 'Casey',
    surname: 'Jones',
    displayName: 'Casey Jones',
    mail: 'Kasey@Contoso.com',
    accountEnabled: true,
    jobTitle: 'Analyst',
    ...properties,
  },
});

const hrValues = { firstName: 'Kasey', lastName: 'Jones', displayName: 'Kasey Jones', jobTitle: null };
const existing = (change: Partial<HrCandidate> = {}): HrCandidate => ({
  id: 'hr-kasey',
  email: 'kasey@contoso.com',
  entraId: null,
  active: true,
  origin: 'hr',
  hasEmployeeProfile: false,
  employeeArchived: false,
  roleIds: [],
  roleSyncState: null,
  values: hrValues,
  kept: {},
  ...change,
});

/** Rule 2.8 through the page planner, run after run, as the apply stage feeds it. */
describe('planUserPage, rule 2.8 across runs', () => {
  it('links on the e-mail match, writes no field, and remembers the Entra values HR kept its own over', () => {
    const plan = planUserPage([entra()], [existing()], settings);
    expect(plan.updates).toEqual([
      expect.objectContaining({
        id: 'hr-kasey',
        values: {},
        linkEntraId: 'e-casey',
        reactivate: false,
        kept: { firstName: 'Casey', displayName: 'Casey Jones', jobTitle: 'Analyst' },
      }),
    ]);
    expect(plan.outcomes).toEqual([
      expect.objectContaining({ outcome: 'updated', changes: [{ field: 'entraId', old: null, new: 'e-casey' }] }),
    ]);
  });

  const linked = existing({
    entraId: 'e-casey',
    kept: { firstName: 'Casey', displayName: 'Casey Jones', jobTitle: 'Analyst' },
  });

  it('changes nothing in a later run that looks at the user again while Entra has not changed the kept fields', () => {
    expect(planUserPage([entra()], [linked], settings)).toMatchObject({ updates: [], outcomes: [], deactivations: [] });
  });

  it('takes a kept field once Entra changes it, and keeps the other kept fields', () => {
    const plan = planUserPage([entra({ givenName: 'Kacey' })], [linked], settings);
    expect(plan.updates).toEqual([
      expect.objectContaining({
        values: { firstName: 'Kacey' },
        kept: { displayName: 'Casey Jones', jobTitle: 'Analyst' },
      }),
    ]);
    expect(plan.outcomes).toEqual([
      expect.objectContaining({ outcome: 'updated', changes: [{ field: 'firstName', old: 'Kasey', new: 'Kacey' }] }),
    ]);
  });

  it('reactivates without touching the kept fields', () => {
    const plan = planUserPage([entra()], [{ ...linked, active: false }], settings);
    expect(plan.updates).toEqual([expect.objectContaining({ values: {}, reactivate: true, kept: undefined })]);
  });

  it('keeps the memory when the user is gone from Entra, and changes nothing but the account status', () => {
    const plan = planUserPage([{ ...entra(), removed: 'deleted' }], [linked], settings);
    expect(plan.updates).toEqual([]);
    expect(plan.deactivations).toEqual([expect.objectContaining({ hrUserId: 'hr-kasey', reason: 'deleted-in-entra' })]);
  });
});

const on = (change: Partial<RunSettings>): RunSettings => ({ ...settings, ...change });
const empty = { creates: [], updates: [], roleGrants: [], roleRevokes: [], deactivations: [], outcomes: [] };

describe('planUserPage, new Entra users (rule 2.3)', () => {
  const newcomer = (properties: Record<string, unknown> = {}, change: Partial<MirrorUser> = {}): MirrorUser => ({
    ...entra({ mail: 'casey@contoso.com', ...properties }),
    ...change,
  });

  it('creates a user of a synced group with every synced field, its custom fields, and reports the values it set', () => {
    const plan = planUserPage(
      [newcomer({ department: 'Sales', employeeType: 'Contractor' })],
      [],
      on({ attributeMapping: [{ source: 'employeeType', target: 'kind' }] }),
    );
    expect(plan).toEqual({
      ...empty,
      creates: [
        {
          entraId: 'e-casey',
          email: 'casey@contoso.com',
          values: {
            firstName: 'Casey',
            lastName: 'Jones',
            displayName: 'Casey Jones',
            jobTitle: 'Analyst',
            department: 'Sales',
            officeLocation: null,
            employeeNumber: null,
            hireDate: null,
            mobilePhone: null,
            businessPhone: null,
            city: null,
            managerEntraId: null,
            'custom.kind': 'Contractor',
          },
          custom: { kind: 'Contractor' },
          roleIds: [],
          roleSyncState: null,
        },
      ],
      outcomes: [
        {
          hrUserId: null,
          entraId: 'e-casey',
          email: 'casey@contoso.com',
          outcome: 'created',
          reason: null,
          changes: [
            { field: 'firstName', old: null, new: 'Casey' },
            { field: 'lastName', old: null, new: 'Jones' },
            { field: 'displayName', old: null, new: 'Casey Jones' },
            { field: 'jobTitle', old: null, new: 'Analyst' },
            { field: 'department', old: null, new: 'Sales' },
            { field: 'custom.kind', old: null, new: 'Contractor' },
          ],
        },
      ],
    });
  });

  it('names the manager by Entra id and builds a missing display name from the names', () => {
    const boss = { id: 'e-boss', mail: 'boss@contoso.com', employeeId: null };
    const plan = planUserPage([newcomer({ displayName: null }, { manager: boss })], [], settings);
    expect(plan.creates[0]?.values).toMatchObject({ managerEntraId: 'e-boss', displayName: 'Casey Jones' });
  });

  it('grants the mapped roles when role sync is on, and reports them by name (by id when unnamed)', () => {
    const plan = planUserPage(
      [newcomer({}, { groups: ['staff', 'leads'] })],
      [],
      on({
        roleSync: true,
        syncedGroupIds: ['staff'],
        roleMapping: { staff: ['r-emp'], leads: ['r-lead'] },
        roleNames: { 'r-emp': 'Employee' },
      }),
    );
    expect(plan.creates[0]).toMatchObject({
      roleIds: ['r-emp', 'r-lead'],
      roleSyncState: { staff: ['r-emp'], leads: ['r-lead'] },
    });
    expect(plan.outcomes[0]?.changes.filter((c) => c.field === 'roles')).toEqual([
      { field: 'roles', old: null, new: 'Employee' },
      { field: 'roles', old: null, new: 'r-lead' },
    ]);
    expect(plan.roleGrants).toEqual([]);
  });

  it('grants no role when role sync is off, whatever the mapping', () => {
    const plan = planUserPage([newcomer()], [], on({ roleMapping: { staff: ['r-emp'] } }));
    expect(plan.creates[0]).toMatchObject({ roleIds: [], roleSyncState: null });
  });

  it('skips a user it cannot create, with the reason', () => {
    const plan = planUserPage([newcomer({ surname: null })], [], settings);
    expect(plan).toEqual({
      ...empty,
      outcomes: [
        {
          hrUserId: null,
          entraId: 'e-casey',
          email: 'casey@contoso.com',
          outcome: 'skipped',
          reason: expect.stringMatching(/no surname/),
          changes: [],
        },
      ],
    });
  });

  it.each([
    ['outside the synced groups', newcomer({}, { groups: ['other'] })],
    ['removed from Entra', newcomer({}, { removed: 'deleted' })],
    ['disabled in Entra (created once enabled, rule 3.1)', newcomer({ accountEnabled: false })],
  ])('neither creates nor reports a new user %s', (_name, user) => {
    expect(planUserPage([user], [], settings)).toEqual(empty);
  });
});

describe('planUserPage, matching conflicts (rule 2.2)', () => {
  const twin = (groups: string[]): MirrorUser => ({
    ...entra({ mail: 'casey@contoso.com' }),
    entraId: 'e-twin',
    groups,
  });

  it('reports the second Entra user with the same e-mail as skipped when it is in a synced group', () => {
    const plan = planUserPage([entra({ mail: 'casey@contoso.com' }), twin(['staff'])], [], settings);
    expect(plan.creates.map((c) => c.entraId)).toEqual(['e-casey']);
    expect(plan.outcomes[1]).toEqual({
      hrUserId: null,
      entraId: 'e-twin',
      email: 'casey@contoso.com',
      outcome: 'skipped',
      reason: expect.stringMatching(/Another Entra user in this run has the e-mail casey@contoso\.com/),
      changes: [],
    });
  });

  it('says nothing of a conflict outside the synced groups', () => {
    const plan = planUserPage([entra({ mail: 'casey@contoso.com' }), twin(['other'])], [], settings);
    expect(plan.outcomes.map((o) => o.entraId)).toEqual(['e-casey']);
  });

  it('does not link an HR user with the same e-mail while the Entra user is outside the synced groups', () => {
    expect(planUserPage([{ ...entra(), groups: [] }], [existing()], settings)).toEqual(empty);
  });
});

describe('planUserPage, a linked user run after run', () => {
  const same = { firstName: 'Casey', lastName: 'Jones', displayName: 'Casey Jones', jobTitle: 'Analyst' };
  const linkedUser = (change: Partial<HrCandidate> = {}) => existing({ entraId: 'e-casey', values: same, ...change });

  it('writes what Entra changed and reports it', () => {
    const plan = planUserPage([entra({ jobTitle: 'Lead', city: 'Oslo' })], [linkedUser()], settings);
    expect(plan).toEqual({
      ...empty,
      updates: [
        {
          id: 'hr-kasey',
          values: { jobTitle: 'Lead', city: 'Oslo' },
          linkEntraId: null,
          reactivate: false,
          roleSyncState: undefined,
          kept: undefined,
        },
      ],
      outcomes: [
        {
          hrUserId: 'hr-kasey',
          entraId: 'e-casey',
          email: 'kasey@contoso.com',
          outcome: 'updated',
          reason: null,
          changes: [
            { field: 'jobTitle', old: 'Analyst', new: 'Lead' },
            { field: 'city', old: null, new: 'Oslo' },
          ],
        },
      ],
    });
  });

  it('writes a custom field under custom.<key>', () => {
    const plan = planUserPage(
      [entra({ employeeType: 'Staff' })],
      [linkedUser({ values: { ...same, 'custom.kind': 'Contractor' } })],
      on({ attributeMapping: [{ source: 'employeeType', target: 'kind' }] }),
    );
    expect(plan.updates[0]?.values).toEqual({ 'custom.kind': 'Staff' });
  });

  it('deactivates a user who left the synced groups, and leaves its roles alone', () => {
    const plan = planUserPage(
      [{ ...entra(), groups: ['other'] }],
      [linkedUser({ roleIds: ['r-old'], roleSyncState: { staff: ['r-old'] } })],
      on({ roleSync: true, roleMapping: { other: ['r-emp'] } }),
    );
    expect(plan).toEqual({
      ...empty,
      deactivations: [
        { hrUserId: 'hr-kasey', entraId: 'e-casey', email: 'kasey@contoso.com', reason: 'left-synced-groups' },
      ],
    });
  });

  it('deactivates a user disabled in Entra, and still takes its field changes', () => {
    const plan = planUserPage([entra({ accountEnabled: false, jobTitle: 'Lead' })], [linkedUser()], settings);
    expect(plan.deactivations).toEqual([expect.objectContaining({ reason: 'disabled-in-entra' })]);
    expect(plan.updates).toEqual([expect.objectContaining({ values: { jobTitle: 'Lead' }, reactivate: false })]);
    expect(plan.outcomes).toEqual([expect.objectContaining({ outcome: 'updated' })]);
  });

  it('does not deactivate again a user already inactive', () => {
    const plan = planUserPage([{ ...entra(), removed: 'deleted' }], [linkedUser({ active: false })], settings);
    expect(plan).toEqual(empty);
  });

  it('reports a reactivation with the reason and the fields it changed', () => {
    const plan = planUserPage([entra({ jobTitle: 'Lead' })], [linkedUser({ active: false })], settings);
    expect(plan.outcomes).toEqual([
      {
        hrUserId: 'hr-kasey',
        entraId: 'e-casey',
        email: 'kasey@contoso.com',
        outcome: 'reactivated',
        reason: 'back-in-synced-group',
        changes: [
          { field: 'jobTitle', old: 'Analyst', new: 'Lead' },
          { field: 'active', old: false, new: true },
        ],
      },
    ]);
    expect(plan.updates).toEqual([expect.objectContaining({ values: { jobTitle: 'Lead' }, reactivate: true })]);
    expect(plan.deactivations).toEqual([]);
  });

  it('deactivates the user of an archived employee, whatever Entra says (rule 3.5)', () => {
    const plan = planUserPage([entra()], [linkedUser({ employeeArchived: true })], settings);
    expect(plan.deactivations).toEqual([expect.objectContaining({ reason: 'employee-archived' })]);
  });

  it('links a never-synced HR user found in a synced group like any other, whatever the never-synced policy', () => {
    const plan = planUserPage(
      [entra({ accountEnabled: false })],
      [existing()],
      on({ neverSyncedPolicy: 'deactivate' }),
    );
    expect(plan.updates).toEqual([expect.objectContaining({ linkEntraId: 'e-casey' })]);
    expect(plan.deactivations).toEqual([expect.objectContaining({ reason: 'disabled-in-entra' })]);
  });

  it('writes no field HR owns', () => {
    const plan = planUserPage([entra({ jobTitle: 'Lead' })], [linkedUser()], on({ fieldOwners: { jobTitle: 'hr' } }));
    expect(plan).toEqual(empty);
  });

  it('writes no field of a user removed from Entra', () => {
    const plan = planUserPage([{ ...entra({ jobTitle: 'Lead' }), removed: 'deleted' }], [linkedUser()], settings);
    expect(plan.updates).toEqual([]);
    expect(plan.deactivations).toEqual([expect.objectContaining({ reason: 'deleted-in-entra' })]);
  });

  it('writes no field the employee profile owns (rule 2.4)', () => {
    const plan = planUserPage([entra({ jobTitle: 'Lead' })], [linkedUser({ hasEmployeeProfile: true })], settings);
    expect(plan).toEqual(empty);
  });

  describe('roles (rule 5)', () => {
    const roles = on({
      roleSync: true,
      roleMapping: { staff: ['r-emp'] },
      roleNames: { 'r-emp': 'Employee', 'r-old': 'Old role' },
    });

    it('swaps the roles of a re-mapped group, grants and revokes them, reports them by name and remembers the mapping', () => {
      const plan = planUserPage(
        [entra()],
        [linkedUser({ roleIds: ['r-old'], roleSyncState: { staff: ['r-old'] } })],
        roles,
      );
      expect(plan).toEqual({
        ...empty,
        roleGrants: [{ hrUserId: 'hr-kasey', roleId: 'r-emp' }],
        roleRevokes: [{ hrUserId: 'hr-kasey', roleId: 'r-old' }],
        updates: [
          {
            id: 'hr-kasey',
            values: {},
            linkEntraId: null,
            reactivate: false,
            roleSyncState: { staff: ['r-emp'] },
            kept: undefined,
          },
        ],
        outcomes: [
          expect.objectContaining({
            outcome: 'updated',
            changes: [
              { field: 'roles', old: null, new: 'Employee' },
              { field: 'roles', old: 'Old role', new: null },
            ],
          }),
        ],
      });
    });

    it('changes nothing when the roles and their memory are as the mapping says', () => {
      const plan = planUserPage(
        [entra()],
        [linkedUser({ roleIds: ['r-emp'], roleSyncState: { staff: ['r-emp'] } })],
        roles,
      );
      expect(plan).toEqual(empty);
    });

    it('stores the memory alone when only the memory is new, without reporting a change', () => {
      const plan = planUserPage([entra()], [linkedUser({ roleIds: ['r-emp'], roleSyncState: null })], roles);
      expect(plan).toEqual({
        ...empty,
        updates: [expect.objectContaining({ values: {}, roleSyncState: { staff: ['r-emp'] }, kept: undefined })],
      });
    });

    it('forgets the memory when role sync is off, so the next synced run only adds (rule 5.5 b)', () => {
      const plan = planUserPage(
        [entra()],
        [linkedUser({ roleIds: ['r-emp'], roleSyncState: { staff: ['r-emp'] } })],
        on({ roleMapping: { staff: ['r-emp'] } }),
      );
      expect(plan).toEqual({ ...empty, updates: [expect.objectContaining({ values: {}, roleSyncState: null })] });
    });

    it('does not touch the roles of a user removed from Entra', () => {
      const plan = planUserPage([{ ...entra(), removed: 'deleted' }], [linkedUser({ roleIds: ['r-old'] })], roles);
      expect(plan.roleGrants).toEqual([]);
      expect(plan.roleRevokes).toEqual([]);
      expect(plan.updates).toEqual([]);
    });
  });

  describe('the memory of kept HR values (rule 2.8)', () => {
    it('forgets a kept value once HR agrees with Entra, without writing or reporting anything', () => {
      const plan = planUserPage([entra()], [linkedUser({ kept: { jobTitle: 'Analyst' } })], settings);
      expect(plan).toEqual({ ...empty, updates: [expect.objectContaining({ values: {}, kept: {} })] });
    });

    it('stores new kept values even when the kept fields stay the same', () => {
      const before = { firstName: 'Old', displayName: 'Old', jobTitle: 'Old' };
      const plan = planUserPage([entra()], [existing({ kept: before })], settings);
      expect(plan.updates).toEqual([
        expect.objectContaining({
          kept: { firstName: 'Casey', displayName: 'Casey Jones', jobTitle: 'Analyst' },
        }),
      ]);
    });
  });
});
