import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decideRoles, type RolePolicyInput } from '../../../src/domain/role-policy.js';

// Small alphabets so that groups, roles and mappings collide often: that is where the rules bite.
const role = fc.constantFrom('Employee', 'HR', 'Manager', 'Sales', 'Admin', 'Owner');
const group = fc.constantFrom('g1', 'g2', 'g3', 'g4');
const roles = fc.uniqueArray(role, { maxLength: 6 });
const mapping = fc.dictionary(group, roles, { maxKeys: 4 });

const input: fc.Arbitrary<RolePolicyInput> = fc.record({
  roleSyncEnabled: fc.boolean(),
  hasEmployeeProfile: fc.boolean(),
  groups: fc.uniqueArray(group, { maxLength: 4 }),
  roles,
  mapping,
  previous: fc.option(mapping, { nil: null }),
  protectedRoles: fc.uniqueArray(fc.constantFrom('Admin', 'Owner'), { maxLength: 2 }),
});

const sorted = (values: readonly string[]) => [...values].sort();

describe('role policy invariants', () => {
  it('protected roles are never added or removed', () => {
    fc.assert(
      fc.property(input, (i) => {
        const after = decideRoles(i).roles;
        for (const p of i.protectedRoles) expect(after.includes(p)).toBe(i.roles.includes(p));
      }),
    );
  });

  it('a user with an employee profile never changes roles (5.2)', () => {
    fc.assert(
      fc.property(input, (i) => {
        const result = decideRoles({ ...i, hasEmployeeProfile: true });
        expect(result.roles).toEqual(i.roles);
        expect(result.changes).toEqual([]);
      }),
    );
  });

  it('role sync disabled changes nothing (5.1)', () => {
    fc.assert(
      fc.property(input, (i) => {
        const result = decideRoles({ ...i, roleSyncEnabled: false });
        expect(result.roles).toEqual(i.roles);
        expect(result.changes).toEqual([]);
      }),
    );
  });

  it('a second run with nothing changed changes nothing', () => {
    fc.assert(
      fc.property(input, (i) => {
        const first = decideRoles(i);
        const second = decideRoles({ ...i, roles: first.roles, previous: first.remember });
        expect(second.changes).toEqual([]);
        expect(second.roles).toEqual(first.roles);
      }),
    );
  });

  it('after a synced run the user holds every non-protected role its groups map to', () => {
    fc.assert(
      fc.property(input, (i) => {
        fc.pre(i.roleSyncEnabled && !i.hasEmployeeProfile);
        const after = decideRoles(i).roles;
        const mapped = i.groups.flatMap((g) => (Object.hasOwn(i.mapping, g) ? (i.mapping[g] ?? []) : []));
        for (const r of mapped) if (!i.protectedRoles.includes(r)) expect(after).toContain(r);
      }),
    );
  });

  it('the roles after the run are exactly the roles before with the reported changes applied', () => {
    fc.assert(
      fc.property(input, (i) => {
        const result = decideRoles(i);
        const removed = result.changes.filter((c) => c.action === 'remove').map((c) => c.role);
        const added = result.changes.filter((c) => c.action === 'add').map((c) => c.role);
        for (const r of added) expect(i.roles).not.toContain(r);
        for (const r of removed) expect(i.roles).toContain(r);
        expect(sorted(result.roles)).toEqual(sorted([...i.roles.filter((r) => !removed.includes(r)), ...added]));
      }),
    );
  });

  it('a user already holding every mapped role keeps all their roles (5.5 b, c)', () => {
    fc.assert(
      fc.property(input, (i) => {
        const mapped = i.groups.flatMap((g) => (Object.hasOwn(i.mapping, g) ? (i.mapping[g] ?? []) : []));
        const holdingAll = {
          ...i,
          roles: [...new Set([...i.roles, ...mapped.filter((r) => !i.protectedRoles.includes(r))])],
        };
        expect(decideRoles(holdingAll).changes).toEqual([]);
      }),
    );
  });
});
