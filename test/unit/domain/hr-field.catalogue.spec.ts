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
const definitions = Object.entries(HR_FIELDS) as Array<[string, HrFieldDefinition]>;

describe('the field catalogue: derived lists', () => {
  it('Entra writes the synced fields, never the e-mail, the link, the status or the picture (rules 2.2, 2.6)', () => {
    expect(SYNCED_HR_FIELDS).toEqual(SYNCED);
  });

  it('the admin chooses the owner of the synced fields and of the picture (rules 2.4, 2.5)', () => {
    expect(OWNABLE_HR_FIELDS).toEqual([...SYNCED, 'picture']);
  });

  it('every synced field but the display name may be permitted for write-back (rule 4.1)', () => {
    expect(WRITE_BACK_HR_FIELDS).toEqual(SYNCED.filter((f) => f !== 'displayName'));
  });

  it('an HR admin edits the synced fields except the manager link, which the sync keeps', () => {
    expect(HR_EDITABLE_FIELDS).toEqual(SYNCED.filter((f) => f !== 'managerEntraId'));
  });

  it('the mapping fills every field but the picture, from the default Entra properties', () => {
    expect(MAPPED_HR_FIELDS).toEqual(Object.keys(HR_FIELDS).filter((f) => f !== 'picture'));
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

  it('the employee profile holds the person data, the manager as a link to another profile', () => {
    expect(fieldsStoredOn('employeeProfile')).toEqual([
      'email',
      'firstName',
      'lastName',
      ...SYNCED.filter((f) => !['firstName', 'lastName', 'displayName'].includes(f)),
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
