import { describe, expect, it } from '@jest/globals';
import { decideRoles, validateRoleMapping, type RolePolicyInput } from '../../../src/domain/role-policy.js';
import { rows } from '../../support/each-rows.js';

// The base of every row of table 5.5: in groups Employee and HR, holding Employee, HR and Manager,
// role sync on for at least one run (so the previous run mapped Employee and HR).
const mapping = { Employee: ['Employee'], HR: ['HR'] };
const base: RolePolicyInput = {
  roleSyncEnabled: true,
  hasEmployeeProfile: false,
  groups: ['Employee', 'HR'],
  roles: ['Employee', 'HR', 'Manager'],
  mapping,
  previous: mapping,
  protectedRoles: ['Administrator'],
};
const megan = base;
const ray: RolePolicyInput = { ...base, hasEmployeeProfile: true };

const sorted = (roles: readonly string[]) => [...roles].sort();
const rolesAfter = (input: RolePolicyInput) => sorted(decideRoles(input).roles);

describe('role policy: table 5.5', () => {
  it('a: Ray (employee profile), nothing changed -> Employee, HR, Manager', () => {
    const result = decideRoles(ray);
    expect(sorted(result.roles)).toEqual(['Employee', 'HR', 'Manager']);
    expect(result.outcome).toBe('employee-profile');
  });

  it('b: Megan, nothing changed -> Employee, HR, Manager', () => {
    expect(rolesAfter(megan)).toEqual(['Employee', 'HR', 'Manager']);
  });

  it('b: Megan, first run after role sync is switched on -> Employee, HR, Manager', () => {
    const result = decideRoles({ ...megan, previous: null });
    expect(sorted(result.roles)).toEqual(['Employee', 'HR', 'Manager']);
    expect(result.changes).toEqual([]);
    expect(result.remember).toEqual(mapping);
  });

  it('c: Megan is removed from group HR -> Employee, HR, Manager (HR is now an ordinary role)', () => {
    const result = decideRoles({ ...megan, groups: ['Employee'] });
    expect(sorted(result.roles)).toEqual(['Employee', 'HR', 'Manager']);
    expect(result.remember).toEqual({ Employee: ['Employee'] });
  });

  it('d: an admin removes roles Employee and HR from Megan -> Employee, HR (Manager is removed)', () => {
    const result = decideRoles({ ...megan, roles: ['Manager'] });
    expect(sorted(result.roles)).toEqual(['Employee', 'HR']);
    expect(result.changes.map((c) => [c.action, c.role, c.reason])).toEqual([
      ['add', 'Employee', 'reset-after-removal-in-hr'],
      ['add', 'HR', 'reset-after-removal-in-hr'],
      ['remove', 'Manager', 'reset-after-removal-in-hr'],
    ]);
  });

  it('e: the mapping of group Employee changes to "New employee" -> New employee, HR, Manager', () => {
    const result = decideRoles({ ...megan, mapping: { Employee: ['New employee'], HR: ['HR'] } });
    expect(sorted(result.roles)).toEqual(['HR', 'Manager', 'New employee']);
    expect(result.changes.map((c) => [c.action, c.role, c.reason])).toEqual([
      ['add', 'New employee', 'mapping-changed'],
      ['remove', 'Employee', 'mapping-changed'],
    ]);
    expect(result.remember).toEqual({ Employee: ['New employee'], HR: ['HR'] });
  });
});

describe('role policy: other rules', () => {
  it.each<[string, Partial<RolePolicyInput>, string[]]>([
    [
      '5.2 employee profile: roles untouched even when a mapped role is missing',
      { hasEmployeeProfile: true, roles: ['Manager'] },
      ['Manager'],
    ],
    ['role sync off: nothing changes', { roleSyncEnabled: false, roles: ['Manager'] }, ['Manager']],
    [
      'a new membership adds its role',
      { groups: ['Employee', 'HR', 'Sales'], mapping: { ...mapping, Sales: ['Sales'] } },
      ['Employee', 'HR', 'Manager', 'Sales'],
    ],
    [
      'a new mapping of a group the user was already in adds its role',
      { groups: ['Employee', 'HR', 'Sales'], mapping: { ...mapping, Sales: ['Sales'] }, previous: mapping },
      ['Employee', 'HR', 'Manager', 'Sales'],
    ],
    [
      'one group mapped to several roles adds them all',
      { groups: ['Leads'], roles: [], mapping: { Leads: ['Lead', 'Reviewer'] }, previous: null },
      ['Lead', 'Reviewer'],
    ],
    [
      'first run after switching on, a role missing: it is added, nothing removed',
      { roles: ['Manager'], previous: null },
      ['Employee', 'HR', 'Manager'],
    ],
    ['a user in no synced group keeps every role', { groups: [] }, ['Employee', 'HR', 'Manager']],
  ])('%s', (_name, change, expected) => {
    expect(rolesAfter({ ...base, ...change })).toEqual(expected);
  });

  it('5.3 a protected role is never removed, even by a reset', () => {
    const result = decideRoles({ ...megan, roles: ['Administrator', 'Manager'] });
    expect(sorted(result.roles)).toEqual(['Administrator', 'Employee', 'HR']);
  });

  it('5.3 a protected role is never added, even if the mapping names it', () => {
    const result = decideRoles({
      ...megan,
      roles: [],
      previous: null,
      mapping: { Employee: ['Employee', 'Administrator'], HR: ['HR'] },
    });
    expect(sorted(result.roles)).toEqual(['Employee', 'HR']);
    expect(result.remember).toEqual(mapping);
  });

  it('5.3 a protected role is never removed by a mapping change', () => {
    const result = decideRoles({
      ...megan,
      roles: ['Administrator', 'HR'],
      previous: { Employee: ['Administrator'], HR: ['HR'] },
    });
    expect(sorted(result.roles)).toEqual(['Administrator', 'Employee', 'HR']);
  });

  it('5.4 a group removed from the integration: its roles stay as ordinary roles', () => {
    const result = decideRoles({ ...megan, mapping: { Employee: ['Employee'] } });
    expect(sorted(result.roles)).toEqual(['Employee', 'HR', 'Manager']);
    expect(result.remember).toEqual({ Employee: ['Employee'] });
  });

  it("5.4 the removed group's role stays even when another mapped role is then added", () => {
    const result = decideRoles({
      ...megan,
      groups: ['Employee', 'HR', 'Sales'],
      mapping: { Employee: ['Employee'], Sales: ['Sales'] },
    });
    expect(sorted(result.roles)).toEqual(['Employee', 'HR', 'Manager', 'Sales']);
  });

  describe('several groups mapped to one role', () => {
    const shared = {
      ...base,
      mapping: { North: ['Sales'], South: ['Sales'] },
      groups: ['North', 'South'],
      roles: ['Sales'],
    };
    it('the role stays while any of the groups still holds the user', () => {
      expect(rolesAfter({ ...shared, previous: shared.mapping, groups: ['South'] })).toEqual(['Sales']);
    });
    it('a mapping change of one group does not remove the role the other group still grants', () => {
      const result = decideRoles({
        ...shared,
        previous: shared.mapping,
        mapping: { North: ['Inside sales'], South: ['Sales'] },
      });
      expect(sorted(result.roles)).toEqual(['Inside sales', 'Sales']);
    });
  });

  it('a group mapped to several roles changes one of them: only that one is swapped', () => {
    const result = decideRoles({
      ...base,
      groups: ['Leads'],
      roles: ['Lead', 'Reviewer'],
      previous: { Leads: ['Lead', 'Reviewer'] },
      mapping: { Leads: ['Lead', 'Approver'] },
    });
    expect(sorted(result.roles)).toEqual(['Approver', 'Lead']);
    expect(result.changes.map((c) => c.text)).toEqual([
      'Role "Approver" replaces "Reviewer": the mapping of group "Leads" changed (rule 5.5 e).',
      'Role "Approver" replaces "Reviewer": the mapping of group "Leads" changed (rule 5.5 e).',
    ]);
  });

  it('a new member of a re-mapped group gets the new role and keeps a same-named role given by hand', () => {
    const result = decideRoles({
      ...megan,
      groups: ['Employee', 'HR'],
      previous: { HR: ['HR'] },
      mapping: { Employee: ['New employee'], HR: ['HR'] },
    });
    expect(sorted(result.roles)).toEqual(['Employee', 'HR', 'Manager', 'New employee']);
    expect(result.changes.map((c) => c.reason)).toEqual(['mapped-role-added']);
  });

  it('in sync: nothing changes, and the mapping is remembered', () => {
    expect(decideRoles(megan)).toEqual({
      outcome: 'in-sync',
      roles: ['Employee', 'HR', 'Manager'],
      changes: [],
      remember: mapping,
    });
  });

  it('says which groups grant a role added on a first run', () => {
    const result = decideRoles({
      ...base,
      groups: ['North', 'South', 'HR'],
      roles: [],
      mapping: { North: ['Sales'], South: ['Sales'], HR: ['HR'] },
      previous: null,
    });
    expect(result.outcome).toBe('updated');
    expect(result.changes).toEqual([
      {
        role: 'Sales',
        action: 'add',
        reason: 'mapped-role-added',
        text: 'Role "Sales" added: the user is in group "North", "South", which maps to it (rule 5.1).',
      },
      {
        role: 'HR',
        action: 'add',
        reason: 'mapped-role-added',
        text: 'Role "HR" added: the user is in group "HR", which maps to it (rule 5.1).',
      },
    ]);
  });

  it('a reset wins over every other classification in the same run (5.5 d)', () => {
    const result = decideRoles({
      ...base,
      groups: ['A', 'B'],
      roles: ['Manager'],
      previous: { A: ['a'] },
      mapping: { A: ['a'], B: ['b'] },
    });
    expect(result.changes).toEqual([
      { role: 'a', action: 'add', reason: 'reset-after-removal-in-hr', text: expect.stringContaining('"a" had been') },
      { role: 'b', action: 'add', reason: 'reset-after-removal-in-hr', text: expect.any(String) },
      { role: 'Manager', action: 'remove', reason: 'reset-after-removal-in-hr', text: expect.any(String) },
    ]);
    expect(result.changes[0]?.text).toBe(
      'Roles reset to the mapped roles: "a" had been removed in HR although still mapped (rule 5.5 d).',
    );
    expect(sorted(result.roles)).toEqual(['a', 'b']);
    expect(result.outcome).toBe('updated');
  });

  it('two new roles replacing the same old one remove it once', () => {
    const result = decideRoles({
      ...base,
      groups: ['Leads'],
      roles: ['Lead'],
      previous: { Leads: ['Lead'] },
      mapping: { Leads: ['Approver', 'Reviewer'] },
    });
    expect(result.changes.map((c) => [c.action, c.role])).toEqual([
      ['add', 'Approver'],
      ['remove', 'Lead'],
      ['add', 'Reviewer'],
    ]);
    expect(sorted(result.roles)).toEqual(['Approver', 'Reviewer']);
  });

  it('a mapping change does not remove an old role the user no longer holds', () => {
    const result = decideRoles({
      ...base,
      groups: ['Leads'],
      roles: [],
      previous: { Leads: ['Lead'] },
      mapping: { Leads: ['Approver'] },
    });
    expect(result.changes.map((c) => [c.action, c.role, c.reason])).toEqual([['add', 'Approver', 'mapping-changed']]);
  });

  it('names every re-mapped group and every role it replaces', () => {
    const result = decideRoles({
      ...base,
      groups: ['North', 'South'],
      roles: ['Old north', 'Old south'],
      previous: { North: ['Old north'], South: ['Old south'] },
      mapping: { North: ['Sales'], South: ['Sales'] },
    });
    expect(result.changes).toEqual([
      {
        role: 'Sales',
        action: 'add',
        reason: 'mapping-changed',
        text: 'Role "Sales" replaces "Old north", "Old south": the mapping of group "North", "South" changed (rule 5.5 e).',
      },
      { role: 'Old north', action: 'remove', reason: 'mapping-changed', text: expect.stringContaining('replaces') },
      { role: 'Old south', action: 'remove', reason: 'mapping-changed', text: expect.stringContaining('replaces') },
    ]);
  });

  it('a group that only gained a role, or maps another role than the missing one, is no mapping change', () => {
    const result = decideRoles({
      ...base,
      groups: ['Leads', 'Ops'],
      roles: ['Lead', 'Ops'],
      previous: { Leads: ['Lead'], Ops: ['Old ops'] },
      mapping: { Leads: ['Lead', 'Approver'], Ops: ['Ops'] },
    });
    expect(result.changes.map((c) => [c.action, c.role, c.reason])).toEqual([['add', 'Approver', 'mapped-role-added']]);
  });

  it('takes group ids for what they are, even when they name an object property', () => {
    const result = decideRoles({
      ...base,
      groups: ['constructor', 'toString'],
      roles: [],
      previous: {},
      mapping: { constructor: ['Staff'] },
    });
    expect(result.roles).toEqual(['Staff']);
    expect(result.remember).toEqual({ constructor: ['Staff'] });
  });

  it('remembers each mapped group once, with its roles once', () => {
    const result = decideRoles({
      ...base,
      groups: ['Leads', 'Leads'],
      roles: [],
      previous: null,
      mapping: { Leads: ['Lead', 'Lead'] },
    });
    expect(result.remember).toEqual({ Leads: ['Lead'] });
    expect(result.roles).toEqual(['Lead']);
  });

  it('every change carries a reason text that cites its rule', () => {
    const result = decideRoles({ ...megan, roles: ['Manager'] });
    for (const change of result.changes) expect(change.text).toMatch(/rule 5\.5 d/);
  });

  it.each(
    rows([
      ['role-sync-disabled', { roleSyncEnabled: false }],
      ['employee-profile', { hasEmployeeProfile: true }],
    ]),
  )(
    'remembers nothing when roles are not synced (%s), so the next synced run starts as a first run',
    (outcome, change) => {
      const result = decideRoles({ ...megan, ...change });
      expect(result.outcome).toBe(outcome);
      expect(result.remember).toBeNull();
    },
  );
});

describe('validateRoleMapping', () => {
  const rules = { protectedRoles: ['Administrator'], knownRoles: ['Employee', 'HR', 'Administrator'] };
  it.each([
    ['a mapping to ordinary roles', { Employee: ['Employee'], HR: ['HR'] }, []],
    ['a group mapped to a protected role', { Admins: ['Administrator'] }, ['protected-role']],
    ['a group mapped to a role that does not exist', { Sales: ['Sales'] }, ['unknown-role']],
    ['several errors at once', { Admins: ['Administrator', 'Sales'] }, ['protected-role', 'unknown-role']],
  ])('%s', (_name, proposed, codes) => {
    const result = validateRoleMapping(proposed, rules);
    expect(result.ok ? [] : result.errors.map((e) => e.code)).toEqual(codes);
  });

  it('says clearly why a protected role is refused', () => {
    const result = validateRoleMapping({ Admins: ['Administrator'] }, { protectedRoles: ['Administrator'] });
    expect(result).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({
          group: 'Admins',
          role: 'Administrator',
          message: expect.stringMatching(/protected.*rule 5\.3/),
        }),
      ],
    });
  });

  it('reports a role named twice for a group once', () => {
    const result = validateRoleMapping({ Admins: ['Administrator', 'Administrator'] }, rules);
    expect(result.ok ? [] : result.errors).toEqual([
      {
        code: 'protected-role',
        group: 'Admins',
        role: 'Administrator',
        message:
          'Group "Admins" cannot be mapped to role "Administrator": it is a protected (administrator) role, which role sync never adds or removes (rule 5.3).',
      },
    ]);
  });

  it('says which role does not exist', () => {
    expect(validateRoleMapping({ Sales: ['Sales'] }, rules)).toEqual({
      ok: false,
      errors: [
        {
          code: 'unknown-role',
          group: 'Sales',
          role: 'Sales',
          message: 'Group "Sales" cannot be mapped to role "Sales": no such role exists in HR.',
        },
      ],
    });
  });

  it('accepts any role when the known roles are not given', () => {
    expect(validateRoleMapping({ Sales: ['Sales'] }, { protectedRoles: [] })).toEqual({ ok: true });
  });
});
