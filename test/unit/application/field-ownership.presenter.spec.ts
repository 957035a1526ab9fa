import { describe, expect, it } from '@jest/globals';
import { describeFieldOwnership } from '../../../src/application/field-ownership.presenter.js';

const settings: Parameters<typeof describeFieldOwnership>[0] = {
  fieldOwners: {},
  writeBackFields: [],
  writeBackUpdate: false,
};
const line = (field: string, change: Partial<typeof settings> = {}) =>
  describeFieldOwnership({ ...settings, ...change }).find((l) => l.field === field);

describe('describeFieldOwnership (the field ownership screen, rules 2.4, 2.5, 8.5)', () => {
  it('lists every field whose owner the admin chooses, then the account status, each by its label', () => {
    expect(describeFieldOwnership(settings).map((l) => [l.field, l.label])).toEqual([
      ['firstName', 'First name'],
      ['lastName', 'Last name'],
      ['displayName', 'Display name'],
      ['jobTitle', 'Job title'],
      ['department', 'Department'],
      ['officeLocation', 'Office location'],
      ['employeeNumber', 'Employee number'],
      ['hireDate', 'Hire date'],
      ['mobilePhone', 'Mobile phone'],
      ['businessPhone', 'Business phone'],
      ['city', 'City'],
      ['managerEntraId', 'Manager'],
      ['picture', 'Profile picture'],
      ['active', 'Account status (active)'],
    ]);
  });

  it('shows a default owner as the default, read-only in HR until an employee profile owns the field', () => {
    expect(line('jobTitle')).toEqual({
      field: 'jobTitle',
      label: 'Job title',
      owner: 'entra-until-profile',
      isDefault: true,
      configurable: true,
      readOnlyInHr: { withoutEmployeeProfile: true, withEmployeeProfile: false },
      writtenBackToEntra: false,
      meaning:
        'Follows Entra for HR users not connected to an employee profile, and is read-only in HR for them. Once an HR user is connected to an employee profile, the profile owns the field and Entra no longer changes it.',
    });
  });

  it('shows an owner the admin chose, even when it is the default', () => {
    expect(line('city', { fieldOwners: { city: 'hr' } })).toMatchObject({
      owner: 'hr',
      isDefault: false,
      readOnlyInHr: { withoutEmployeeProfile: false, withEmployeeProfile: false },
      meaning: 'Owned by HR: Entra never changes it, and it is edited in HR.',
    });
    expect(line('city', { fieldOwners: { city: 'entra-until-profile' } })?.isDefault).toBe(false);
    expect(line('city', { fieldOwners: { city: 'entra' } })).toMatchObject({
      readOnlyInHr: { withoutEmployeeProfile: true, withEmployeeProfile: true },
      meaning:
        'Always follows Entra, also for HR users connected to an employee profile, and is read-only in HR for everyone.',
    });
  });

  it('says whether a field is written back to Entra', () => {
    expect(line('jobTitle', { writeBackFields: ['jobTitle'], writeBackUpdate: true })).toMatchObject({
      writtenBackToEntra: true,
      meaning: expect.stringMatching(/ Changes to an employee profile are written back to the Entra user\.$/),
    });
    expect(line('jobTitle', { writeBackFields: ['jobTitle'] })).toMatchObject({
      writtenBackToEntra: false,
      meaning: expect.stringMatching(/ It is permitted for write-back, but write-back of updates is off\.$/),
    });
    expect(line('jobTitle', { writeBackUpdate: true })?.writtenBackToEntra).toBe(false);
  });

  it('explains that pictures never reach employees, whatever the owner', () => {
    expect(line('picture')?.meaning).toBe(
      'Taken from Entra for HR users not connected to an employee profile; employees keep the picture set in HR.',
    );
    expect(line('picture', { fieldOwners: { picture: 'hr' } })?.meaning).toBe(
      'Owned by HR: Entra never changes profile pictures.',
    );
    expect(line('picture')?.readOnlyInHr).toEqual({ withoutEmployeeProfile: true, withEmployeeProfile: false });
  });

  it('shows the account status as always Entra’s, not configurable', () => {
    expect(line('active', { fieldOwners: { active: 'hr' } })).toMatchObject({
      owner: 'entra',
      isDefault: true,
      configurable: false,
      readOnlyInHr: { withoutEmployeeProfile: true, withEmployeeProfile: true },
      writtenBackToEntra: false,
      meaning: expect.stringMatching(/^Always follows Entra for synced users/),
    });
  });
});
