import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_ENTRA_SOURCES,
  HR_EDITABLE_FIELDS,
  HR_FIELDS,
  MAPPED_HR_FIELDS,
  OWNABLE_HR_FIELDS,
  SYNCED_HR_FIELDS,
  WRITE_BACK_HR_FIELDS,
  fieldsStoredOn,
  writeBackPropertyOf,
  isHrField,
  recordKeyOf,
  storageOf,
  type HrFieldDefinition,
  type HrRecord,
} from '../../../src/domain/hr-field.catalogue.js';
import { defaultOwnerOf, findOwnershipConflicts } from '../../../src/domain/ownership.js';

// The lists as they were spelled out before the catalogue: deriving them must not change them.
const SYNCED = [
  'firstName',
  'lastName',
  'displayName',
  'jobTitle',
  'department',
  'officeLocation',
  'employeeNumber',
  'hireDate',
  'mobilePhone',
  'businessPhone',
  'city',
  'managerEntraId',
];
// Kept on the employee profile only, for write-back (rule 4.1).
const PROFILE_ONLY = [
  'employeeType',
  'companyName',
  ...Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`),
];
const definitions = Object.entries(HR_FIELDS) as Array<[string, HrFieldDefinition]>;

describe('the field catalogue: derived lists', () => {
  it('Entra writes the synced fields, never the e-mail, the link, the status or the picture (rules 2.2, 2.6)', () => {
    expect(SYNCED_HR_FIELDS).toEqual(SYNCED);
  });

  it('the admin chooses the owner of the synced fields and of the picture (rules 2.4, 2.5)', () => {
    expect(OWNABLE_HR_FIELDS).toEqual([...SYNCED, 'picture']);
  });

  it('every synced field but the display name, the leave date and the profile-only fields may be permitted for write-back (rule 4.1)', () => {
    const written = WRITE_BACK_HR_FIELDS;
    expect(written).toEqual(
      expect.arrayContaining([...SYNCED.filter((f) => f !== 'displayName'), ...PROFILE_ONLY, 'leaveDate']),
    );
    expect(written).toHaveLength(SYNCED.length - 1 + PROFILE_ONLY.length + 1);
    expect(written).not.toContain('displayName');
  });

  it('says which Graph property each permitted field is written to', () => {
    expect(WRITE_BACK_HR_FIELDS.map((field) => [field, writeBackPropertyOf(field)])).toEqual(
      expect.arrayContaining([
        ['jobTitle', 'jobTitle'],
        ['employeeNumber', 'employeeId'],
        ['hireDate', 'employeeHireDate'],
        ['leaveDate', 'employeeLeaveDateTime'],
        ['businessPhone', 'businessPhones'],
        ['managerEntraId', 'manager'],
        ['employeeType', 'employeeType'],
        ['companyName', 'companyName'],
        ['extensionAttribute1', 'onPremisesExtensionAttributes.extensionAttribute1'],
        ['extensionAttribute15', 'onPremisesExtensionAttributes.extensionAttribute15'],
      ]),
    );
    expect(writeBackPropertyOf('displayName')).toBeUndefined();
    expect(writeBackPropertyOf('email')).toBeUndefined();
    expect(writeBackPropertyOf('custom.costCenter')).toBeUndefined();
  });

  it('an HR admin edits the synced fields except the manager link, which the sync keeps', () => {
    expect(HR_EDITABLE_FIELDS).toEqual(SYNCED.filter((f) => f !== 'managerEntraId'));
  });

  it('the mapping fills every field read from Entra but the picture, from the default Entra properties', () => {
    expect(MAPPED_HR_FIELDS).toEqual(
      Object.keys(HR_FIELDS).filter((f) => f !== 'picture' && f !== 'leaveDate' && !PROFILE_ONLY.includes(f)),
    );
    expect(DEFAULT_ENTRA_SOURCES).toEqual({
      entraId: 'id',
      firstName: 'givenName',
      lastName: 'surname',
      displayName: 'displayName',
      email: 'mail',
      jobTitle: 'jobTitle',
      department: 'department',
      officeLocation: 'officeLocation',
      employeeNumber: 'employeeId',
      hireDate: 'employeeHireDate',
      mobilePhone: 'mobilePhone',
      businessPhone: 'businessPhones',
      city: 'city',
      active: 'accountEnabled',
      managerEntraId: 'manager.id',
      managerEmail: 'manager.mail',
      managerEmployeeNumber: 'manager.employeeId',
    });
  });

  it('the employee profile holds the person data and what only HR keeps, the manager as a link to another profile', () => {
    const person = SYNCED.filter((f) => !['firstName', 'lastName', 'displayName', 'managerEntraId'].includes(f));
    expect(fieldsStoredOn('employeeProfile')).toEqual([
      'email',
      'firstName',
      'lastName',
      ...person,
      ...PROFILE_ONLY,
      'managerEntraId',
    ]);
    expect(storageOf('managerEntraId', 'employeeProfile')).toEqual({ required: false, linkAs: 'managerProfileId' });
    expect(storageOf('displayName', 'employeeProfile')).toBeUndefined();
    expect(recordKeyOf('managerEntraId', 'employeeProfile')).toBe('managerProfileId');
    expect(recordKeyOf('managerEntraId', 'hrUser')).toBe('managerEntraId');
  });

  it.each<[HrRecord, string[]]>([
    ['hrUser', ['email', 'active']],
    ['employeeProfile', ['email', 'firstName', 'lastName']],
  ])('the %s record requires %j and nothing else', (record, required) => {
    // Which fields, not in which order: the catalogue's order is its own.
    expect(fieldsStoredOn(record).filter((field) => storageOf(field, record)?.required)).toEqual(
      expect.arrayContaining(required),
    );
    expect(fieldsStoredOn(record).filter((field) => storageOf(field, record)?.required)).toHaveLength(required.length);
    expect(fieldsStoredOn(record).filter((field) => storageOf(field, record)?.required === false)).toHaveLength(
      fieldsStoredOn(record).length - required.length,
    );
  });

  it('the HR user holds every synced field, its link, e-mail and status; the manager lookups are not kept', () => {
    expect(fieldsStoredOn('hrUser')).toEqual(expect.arrayContaining([...SYNCED, 'entraId', 'email', 'active']));
    expect(fieldsStoredOn('hrUser')).not.toEqual(expect.arrayContaining(['managerEmail']));
    expect(fieldsStoredOn('hrUser')).toHaveLength(SYNCED.length + 3);
  });
});

describe('the field catalogue: what each field is', () => {
  it.each(definitions)('%s: a stored text field has a length, a SCIM path is RFC 7643 core or enterprise', (_f, d) => {
    const stored = Object.keys(d.stored).length > 0;
    if (stored && d.type === 'text') expect(d.maxLength).toBeGreaterThan(0);
    if (d.scim !== null)
      expect(d.scim).toMatch(
        /^(urn:ietf:params:scim:schemas:extension:enterprise:2\.0:User:[a-z][A-Za-z]*|[a-z][A-Za-z]*(\[type eq "[a-z]+"\])?(\.[a-z][A-Za-z]*)?)$/,
      );
  });

  it('no field is written back while its owner is fixed to Entra, which would ping-pong (rule 4.5)', () => {
    const fixedToEntra = definitions.filter(([, d]) => d.owner?.configurable === false && d.owner.default === 'entra');
    expect(fixedToEntra.map(([f]) => f)).toEqual(['active', 'entraId']);
    for (const [field] of fixedToEntra) expect(WRITE_BACK_HR_FIELDS).not.toContain(field);
    const defaults = Object.fromEntries(OWNABLE_HR_FIELDS.map((f) => [f, defaultOwnerOf(f)]));
    expect(findOwnershipConflicts(defaults, WRITE_BACK_HR_FIELDS)).toEqual([]);
  });

  it('a field without an owner setting has the catalogue default; a custom field follows Entra until a profile', () => {
    expect(defaultOwnerOf('jobTitle')).toBe('entra-until-profile');
    expect(defaultOwnerOf('active')).toBe('entra');
    expect(defaultOwnerOf('email')).toBe('hr');
    expect(defaultOwnerOf('managerEmail')).toBe('entra-until-profile');
    expect(defaultOwnerOf('custom.costCenter')).toBe('entra-until-profile');
  });

  it('knows its own fields only', () => {
    expect(isHrField('city')).toBe(true);
    expect(isHrField('toString')).toBe(false);
    expect(isHrField('custom.city')).toBe(false);
  });
});
