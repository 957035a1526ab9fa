import { describe, expect, it } from '@jest/globals';
import { refusedEdits, type EditTarget } from '../../../src/domain/hr-edit.js';

const linked: EditTarget = { linkedToEntra: true, hasEmployeeProfile: false, owners: {} };
const fields = (target: Partial<EditTarget>, edit = ['firstName', 'jobTitle', 'city']) =>
  refusedEdits(edit, { ...linked, ...target }).map((r) => r.field);

describe('refusedEdits (rule 8.5)', () => {
  it('refuses nothing for a user that is not linked to Entra, whatever the owners', () => {
    expect(
      refusedEdits(['firstName', 'city'], { ...linked, linkedToEntra: false, owners: { firstName: 'entra' } }),
    ).toEqual([]);
  });
  it('refuses the default-owned fields of a linked user without an employee profile', () => {
    expect(fields({})).toEqual(['firstName', 'jobTitle', 'city']);
  });
  it('lets HR change fields whose owner is HR', () => {
    expect(fields({ owners: { jobTitle: 'hr' } })).toEqual(['firstName', 'city']);
  });
  it('once an employee profile is connected, refuses only the fields Entra owns for everyone', () => {
    expect(fields({ hasEmployeeProfile: true, owners: { city: 'entra' } })).toEqual(['city']);
    expect(fields({ hasEmployeeProfile: true })).toEqual([]);
  });
  it('says why, and what to do', () => {
    const [always] = refusedEdits(['city'], { ...linked, owners: { city: 'entra' } });
    expect(always!.reason).toMatch(/owned by Entra for every user.*rule 8\.5/);
    const [untilProfile] = refusedEdits(['city'], linked);
    expect(untilProfile!.reason).toMatch(/not connected to an employee profile.*connect an employee profile/);
  });

  it('gives the whole reason, naming the field', () => {
    expect(refusedEdits(['city', 'jobTitle'], { ...linked, owners: { city: 'entra' } })).toEqual([
      {
        field: 'city',
        reason:
          'city is owned by Entra for every user (field ownership settings), so it is read-only in HR (rule 8.5): change it in Entra, or choose another owner for it',
      },
      {
        field: 'jobTitle',
        reason:
          'jobTitle follows Entra while this user is not connected to an employee profile, so it is read-only in HR (rule 8.5): change it in Entra, connect an employee profile, or make HR its owner in the field ownership settings',
      },
    ]);
  });
});
