import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  decideFieldUpdates,
  findOwnershipConflicts,
  followsEntra,
  ownerOf,
  type FieldOwners,
  type FieldSkipReason,
  type FieldUpdateInput,
} from '../../../src/domain/ownership.js';

const current = {
  firstName: 'Megan',
  jobTitle: 'Marketing',
  department: 'Sales',
  active: true,
  picture: 'hash-1',
  costCenter: 'CC-1',
};
const incoming = {
  firstName: 'Megan',
  jobTitle: 'Marketing Manager',
  department: 'Marketing',
  active: false,
  picture: 'hash-2',
  costCenter: 'CC-7',
};
const base: FieldUpdateInput = { hasEmployeeProfile: false, firstMatch: false, incoming, current };

const outcome = (input: FieldUpdateInput) => {
  const { writes, skips } = decideFieldUpdates(input);
  return Object.fromEntries([
    ...writes.map((w) => [w.field, 'write']),
    ...skips.map((s) => [s.field, s.reason]),
  ]) as Record<string, 'write' | FieldSkipReason>;
};

describe('decideFieldUpdates', () => {
  it.each<[string, Partial<FieldUpdateInput>, Record<string, 'write' | FieldSkipReason>]>([
    [
      '2.4 no employee profile: every changed field follows Entra',
      {},
      {
        firstName: 'unchanged',
        jobTitle: 'write',
        department: 'write',
        active: 'write',
        picture: 'write',
        costCenter: 'write',
      },
    ],
    [
      '2.4 employee profile: only the active status follows Entra; 2.5 no picture',
      { hasEmployeeProfile: true },
      {
        firstName: 'owned-by-employee-profile',
        jobTitle: 'owned-by-employee-profile',
        department: 'owned-by-employee-profile',
        active: 'write',
        picture: 'picture-of-employee',
        costCenter: 'owned-by-employee-profile',
      },
    ],
    [
      '2.8 the run that links a user matched by e-mail writes only the active status',
      { firstMatch: true },
      {
        firstName: 'kept-on-first-match',
        jobTitle: 'kept-on-first-match',
        department: 'kept-on-first-match',
        active: 'write',
        picture: 'kept-on-first-match',
        costCenter: 'kept-on-first-match',
      },
    ],
    [
      '2.8 also for a user with an employee profile',
      { firstMatch: true, hasEmployeeProfile: true },
      {
        firstName: 'kept-on-first-match',
        jobTitle: 'kept-on-first-match',
        department: 'kept-on-first-match',
        active: 'write',
        picture: 'kept-on-first-match',
        costCenter: 'kept-on-first-match',
      },
    ],
    [
      'owner settings: hr never, entra always (even with a profile), default until profile',
      { hasEmployeeProfile: true, owners: { jobTitle: 'hr', department: 'entra', costCenter: 'entra-until-profile' } },
      {
        firstName: 'owned-by-employee-profile',
        jobTitle: 'owned-by-hr',
        department: 'write',
        active: 'write',
        picture: 'picture-of-employee',
        costCenter: 'owned-by-employee-profile',
      },
    ],
    [
      'an hr-owned field is skipped without a profile too',
      { owners: { jobTitle: 'hr', picture: 'hr' } },
      {
        firstName: 'unchanged',
        jobTitle: 'owned-by-hr',
        department: 'write',
        active: 'write',
        picture: 'owned-by-hr',
        costCenter: 'write',
      },
    ],
    [
      '2.5 an entra-owned picture still does not reach an employee',
      { hasEmployeeProfile: true, owners: { picture: 'entra' } },
      {
        firstName: 'owned-by-employee-profile',
        jobTitle: 'owned-by-employee-profile',
        department: 'owned-by-employee-profile',
        active: 'write',
        picture: 'picture-of-employee',
        costCenter: 'owned-by-employee-profile',
      },
    ],
    [
      'the active status ignores an hr owner setting',
      { owners: { active: 'hr' } },
      {
        firstName: 'unchanged',
        jobTitle: 'write',
        department: 'write',
        active: 'write',
        picture: 'write',
        costCenter: 'write',
      },
    ],
  ])('%s', (_name, change, expected) => {
    expect(outcome({ ...base, ...change })).toEqual(expected);
  });

  it('gives old and new values for each write; an empty field HR does not have is unchanged', () => {
    const { writes, skips } = decideFieldUpdates({ ...base, incoming: { jobTitle: 'Marketing Manager', city: null } });
    expect(writes).toEqual([{ field: 'jobTitle', from: 'Marketing', to: 'Marketing Manager' }]);
    expect(skips).toEqual([{ field: 'city', reason: 'unchanged', text: expect.any(String) }]);
  });

  it('writes a value Entra cleared, and a field HR does not have yet', () => {
    const { writes } = decideFieldUpdates({ ...base, incoming: { department: null, badge: 'B-1' } });
    expect(writes).toEqual([
      { field: 'department', from: 'Sales', to: null },
      { field: 'badge', from: null, to: 'B-1' },
    ]);
  });

  it('leaves fields absent from the incoming values alone', () => {
    const { writes, skips } = decideFieldUpdates({ ...base, incoming: {} });
    expect([writes, skips]).toEqual([[], []]);
  });

  it('explains each skip and cites its rule', () => {
    const { skips } = decideFieldUpdates({ ...base, hasEmployeeProfile: true });
    expect(skips.find((s) => s.field === 'picture')?.text).toMatch(/rule 2\.5/);
    expect(skips.find((s) => s.field === 'jobTitle')?.text).toMatch(/rule 2\.4/);
  });

  it.each<[FieldSkipReason, Partial<FieldUpdateInput>, string, string]>([
    ['unchanged', {}, 'firstName', 'HR already has the value from Entra.'],
    ['owned-by-hr', { owners: { jobTitle: 'hr' } }, 'jobTitle', 'The field is owned by HR, so Entra never writes it.'],
    [
      'owned-by-employee-profile',
      { hasEmployeeProfile: true },
      'jobTitle',
      'The user is connected to an employee profile, which owns the field (rule 2.4).',
    ],
    [
      'picture-of-employee',
      { hasEmployeeProfile: true },
      'picture',
      'Pictures flow only to users not connected to an employee profile (rule 2.5).',
    ],
    [
      'kept-on-first-match',
      { firstMatch: true },
      'jobTitle',
      'An existing HR user matched by e-mail keeps its HR data on the run that links it (rule 2.8).',
    ],
    [
      'kept-hr-value',
      { kept: { jobTitle: 'Marketing Manager' } },
      'jobTitle',
      'HR kept its own value when the user was matched by e-mail, and Entra has not changed the field since (rule 2.8).',
    ],
  ])('explains %s', (reason, change, field, text) => {
    const { skips } = decideFieldUpdates({ ...base, ...change });
    expect(skips.find((s) => s.field === field)).toEqual({ field, reason, text });
  });

  it('never remembers the account status as a kept value: it is written on the first match too', () => {
    const match = decideFieldUpdates({
      ...base,
      firstMatch: true,
      incoming: { active: false },
      current: { active: true },
    });
    expect(match.writes).toEqual([{ field: 'active', from: true, to: false }]);
    expect(match.kept).toEqual({});
  });

  it('takes a field named like an object property for a field HR does not have', () => {
    const { writes } = decideFieldUpdates({ ...base, incoming: { constructor: 'x' }, current: {} });
    expect(writes).toEqual([{ field: 'constructor', from: null, to: 'x' }]);
  });

  describe('2.8 a value HR kept on the match survives until Entra changes that field', () => {
    const hr = { firstName: 'Kasey', jobTitle: null, department: 'Sales' };
    const entra = { firstName: 'Casey', jobTitle: 'Engineer', department: 'Sales' };

    it('remembers, on the matching run, the Entra value of each field where HR differs', () => {
      const match = decideFieldUpdates({ ...base, firstMatch: true, incoming: entra, current: hr });
      expect(match.writes).toEqual([]);
      expect(match.kept).toEqual({ firstName: 'Casey', jobTitle: 'Engineer' });
    });

    it('skips a kept field in every later run while Entra still has the value HR kept its own over', () => {
      const later = decideFieldUpdates({
        ...base,
        incoming: entra,
        current: hr,
        kept: { firstName: 'Casey', jobTitle: 'Engineer' },
      });
      expect(later.writes).toEqual([]);
      expect(later.skips.filter((s) => s.reason === 'kept-hr-value').map((s) => s.field)).toEqual([
        'firstName',
        'jobTitle',
      ]);
      expect(later.skips.find((s) => s.field === 'firstName')?.text).toMatch(/rule 2\.8/);
      expect(later.kept).toEqual({ firstName: 'Casey', jobTitle: 'Engineer' });
    });

    it('releases the field when Entra changes it, and the ownership decides as usual', () => {
      const changed = { ...entra, firstName: 'Cassie' };
      const later = decideFieldUpdates({
        ...base,
        incoming: changed,
        current: hr,
        kept: { firstName: 'Casey', jobTitle: 'Engineer' },
      });
      expect(later.writes).toEqual([{ field: 'firstName', from: 'Kasey', to: 'Cassie' }]);
      expect(later.kept).toEqual({ jobTitle: 'Engineer' });
      const hrOwned = decideFieldUpdates({
        ...base,
        owners: { firstName: 'hr' },
        incoming: changed,
        current: hr,
        kept: { firstName: 'Casey' },
      });
      expect(hrOwned.writes.map((w) => w.field)).toEqual(['jobTitle']);
      expect(hrOwned.skips.find((s) => s.field === 'firstName')?.reason).toBe('owned-by-hr');
      expect(hrOwned.kept).toEqual({});
      const employee = decideFieldUpdates({
        ...base,
        hasEmployeeProfile: true,
        incoming: changed,
        current: hr,
        kept: { firstName: 'Casey' },
      });
      expect(employee.skips.find((s) => s.field === 'firstName')?.reason).toBe('owned-by-employee-profile');
    });

    it('forgets a kept field once HR agrees with Entra, and keeps memory of fields not offered in this run', () => {
      const later = decideFieldUpdates({
        ...base,
        incoming: { firstName: 'Casey' },
        current: { firstName: 'Casey' },
        kept: { firstName: 'Casey', costCenter: 'CC-9' },
      });
      expect(later.writes).toEqual([]);
      expect(later.kept).toEqual({ costCenter: 'CC-9' });
    });

    it('never writes a kept field whose Entra value did not change, whatever the inputs', () => {
      const value = fc.oneof(fc.constantFrom('a', 'b'), fc.constant(null));
      const names = fc.constantFrom('firstName', 'jobTitle', 'badge');
      const owners = fc.dictionary(names, fc.constantFrom('entra', 'hr', 'entra-until-profile' as const));
      fc.assert(
        fc.property(
          fc.dictionary(names, value),
          fc.dictionary(names, value),
          fc.dictionary(names, value),
          owners,
          fc.boolean(),
          (inc, cur, kept, own, hasEmployeeProfile) => {
            const { writes, kept: after } = decideFieldUpdates({
              incoming: inc,
              current: cur,
              kept,
              owners: own,
              hasEmployeeProfile,
              firstMatch: false,
            });
            for (const w of writes) expect(Object.hasOwn(kept, w.field) && kept[w.field] === w.to).toBe(false);
            for (const [field, v] of Object.entries(after))
              expect(Object.hasOwn(inc, field) ? inc[field] === v && kept[field] === v : kept[field] === v).toBe(true);
          },
        ),
      );
    });
  });

  it('accounts for every incoming field exactly once, and never writes an equal value', () => {
    const value = fc.oneof(fc.constantFrom('a', 'b'), fc.boolean(), fc.constant(null));
    const fields = fc.dictionary(fc.constantFrom('firstName', 'jobTitle', 'active', 'picture', 'badge'), value);
    const owners = fc.dictionary(
      fc.constantFrom('firstName', 'jobTitle', 'active', 'picture', 'badge'),
      fc.constantFrom('entra', 'hr', 'entra-until-profile' as const),
    );
    fc.assert(
      fc.property(
        fields,
        fields,
        owners,
        fc.boolean(),
        fc.boolean(),
        (inc, cur, own, hasEmployeeProfile, firstMatch) => {
          const { writes, skips } = decideFieldUpdates({
            incoming: inc,
            current: cur,
            owners: own,
            hasEmployeeProfile,
            firstMatch,
          });
          expect([...writes.map((w) => w.field), ...skips.map((s) => s.field)].sort()).toEqual(Object.keys(inc).sort());
          for (const w of writes) expect(w.from).not.toBe(w.to);
          if (hasEmployeeProfile) expect(writes.map((w) => w.field)).not.toContain('picture');
          if (firstMatch) expect(writes.every((w) => w.field === 'active')).toBe(true);
        },
      ),
    );
  });
});

describe('followsEntra (read-only fields in HR, 8.5)', () => {
  it.each<[string, boolean, FieldOwners, boolean]>([
    ['jobTitle', false, {}, true],
    ['jobTitle', true, {}, false],
    ['jobTitle', true, { jobTitle: 'entra' }, true],
    ['jobTitle', false, { jobTitle: 'hr' }, false],
    ['active', true, { active: 'hr' }, true],
    ['picture', false, {}, true],
    ['picture', true, { picture: 'entra' }, false],
  ])('%s, employee profile %s, owners %j -> %s', (field, hasEmployeeProfile, owners, expected) => {
    expect(followsEntra(field, hasEmployeeProfile, owners)).toBe(expected);
  });
});

describe('owners', () => {
  it('defaults to entra-until-profile, also for inherited names', () => {
    expect([ownerOf('jobTitle'), ownerOf('jobTitle', {}), ownerOf('constructor', {})]).toEqual([
      'entra-until-profile',
      'entra-until-profile',
      'entra-until-profile',
    ]);
  });

  it('4.5 finds fields that would ping-pong: entra-owned and written back', () => {
    expect(
      findOwnershipConflicts({ jobTitle: 'entra', department: 'entra-until-profile', city: 'hr' }, [
        'jobTitle',
        'department',
        'city',
      ]),
    ).toEqual(['jobTitle']);
  });
});
