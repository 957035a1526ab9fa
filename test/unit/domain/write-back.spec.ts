import { describe, expect, it } from '@jest/globals';
import {
  describePlan,
  hybridReason,
  planUserWrite,
  toGraphValue,
  type UserWriteInput,
} from '../../../src/domain/write-back.js';

const input = (over: Partial<UserWriteInput> = {}): UserWriteInput => ({
  fields: ['jobTitle'],
  permitted: [
    'jobTitle',
    'department',
    'businessPhone',
    'hireDate',
    'leaveDate',
    'managerEntraId',
    'extensionAttribute3',
    'extensionAttribute4',
  ],
  values: { jobTitle: 'Buyer', department: 'Sales' },
  onPremisesSyncEnabled: null,
  ...over,
});

describe('which fields write-back sends (rule 4.1)', () => {
  it('sends the permitted fields changed, with the values HR holds now, in one PATCH body', () => {
    const plan = planUserWrite(input({ fields: ['jobTitle', 'department', 'jobTitle'] }));
    expect(plan).toEqual({
      patch: { jobTitle: 'Buyer', department: 'Sales' },
      sent: ['jobTitle', 'department'],
      skipped: [],
    });
  });

  it('never sends a field the admin does not permit, and says so', () => {
    const plan = planUserWrite(input({ fields: ['jobTitle', 'city'], values: { jobTitle: 'Buyer', city: 'Oslo' } }));
    expect(plan.patch).toEqual({ jobTitle: 'Buyer' });
    expect(plan.skipped).toEqual([{ field: 'city', reason: expect.stringContaining('not permitted') }]);
  });

  it('never sends a field the catalogue does not write back, even when listed as permitted', () => {
    const plan = planUserWrite(input({ fields: ['displayName', 'email'], permitted: ['displayName', 'email'] }));
    expect(plan.patch).toEqual({});
    expect(plan.skipped).toEqual([
      { field: 'displayName', reason: 'displayName is never written to Entra.' },
      { field: 'email', reason: 'email is never written to Entra.' },
    ]);
  });

  it('writes Graph shapes: dates as midnight UTC, the business phone as the one number of businessPhones', () => {
    const plan = planUserWrite(
      input({
        fields: ['hireDate', 'leaveDate', 'businessPhone'],
        values: { hireDate: '2024-03-01', leaveDate: null, businessPhone: '+47 555 0101' },
      }),
    );
    expect(plan.patch).toEqual({
      employeeHireDate: '2024-03-01T00:00:00Z',
      employeeLeaveDateTime: null,
      businessPhones: ['+47 555 0101'],
    });
    expect(toGraphValue('businessPhone', 'businessPhones', null)).toEqual([]);
  });

  it('sets extension attributes key by key inside onPremisesExtensionAttributes', () => {
    const plan = planUserWrite(
      input({
        fields: ['extensionAttribute3', 'extensionAttribute4'],
        values: { extensionAttribute3: 'CC-1', extensionAttribute4: null },
      }),
    );
    expect(plan.patch).toEqual({
      onPremisesExtensionAttributes: { extensionAttribute3: 'CC-1', extensionAttribute4: null },
    });
  });

  it('writes the manager through its reference, and removes it when HR has none', () => {
    expect(planUserWrite(input({ fields: ['managerEntraId'], values: { managerEntraId: 'm-1' } }))).toEqual({
      patch: {},
      manager: 'm-1',
      sent: ['managerEntraId'],
      skipped: [],
    });
    expect(planUserWrite(input({ fields: ['managerEntraId'], values: { managerEntraId: null } })).manager).toBeNull();
  });

  it('leaves the manager alone when the one chosen in HR has no Entra user to point at', () => {
    const plan = planUserWrite(
      input({ fields: ['managerEntraId'], values: { managerEntraId: null }, managerUnlinked: true }),
    );
    expect(plan.manager).toBeUndefined();
    expect(plan.skipped).toEqual([{ field: 'managerEntraId', reason: expect.stringContaining('not linked') }]);
  });

  it('still sends the other fields HR emptied when the manager is not linked', () => {
    const plan = planUserWrite(
      input({
        fields: ['managerEntraId', 'department'],
        values: { managerEntraId: null, department: null },
        managerUnlinked: true,
      }),
    );
    expect(plan).toMatchObject({ patch: { department: null }, sent: ['department'] });
  });
});

describe('hybrid users (rule 4.4)', () => {
  it('skips what on-premises AD masters for a synced user, with the reason, but sends the leave date', () => {
    const plan = planUserWrite(
      input({
        fields: ['jobTitle', 'managerEntraId', 'leaveDate'],
        values: { jobTitle: 'Buyer', managerEntraId: 'm-1', leaveDate: '2027-01-31' },
        onPremisesSyncEnabled: true,
      }),
    );
    expect(plan.patch).toEqual({ employeeLeaveDateTime: '2027-01-31T00:00:00Z' });
    expect(plan.manager).toBeUndefined();
    expect(plan.skipped.map((s) => s.field)).toEqual(['jobTitle', 'managerEntraId']);
    expect(plan.skipped[0]!.reason).toMatch(/on-premises Active Directory.*rule 4\.4/);
  });

  it('skips only the extension attributes of a user synced once, and nothing of a cloud-only user', () => {
    expect(hybridReason('extensionAttribute3', 'onPremisesExtensionAttributes.extensionAttribute3', false)).toMatch(
      /once synced/,
    );
    expect(hybridReason('jobTitle', 'jobTitle', false)).toBeUndefined();
    expect(
      hybridReason('extensionAttribute3', 'onPremisesExtensionAttributes.extensionAttribute3', null),
    ).toBeUndefined();
  });

  it('describes what was written and what was left out', () => {
    const plan = planUserWrite(input({ fields: ['jobTitle', 'city'], values: { jobTitle: 'Buyer' } }));
    expect(describePlan(plan)).toMatch(/^Written: jobTitle\. city left out: /);
  });

  it('lists every field written, and says nothing of writing when nothing was written', () => {
    expect(describePlan({ sent: ['jobTitle', 'department'], skipped: [] })).toBe('Written: jobTitle, department.');
    expect(describePlan({ sent: [], skipped: [{ field: 'city', reason: 'Not permitted.' }] })).toBe(
      'city left out: Not permitted.',
    );
  });
});
