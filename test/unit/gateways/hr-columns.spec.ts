import { describe, expect, it } from '@jest/globals';
import {
  HR_FIELD_COLUMNS,
  HR_FIELDS_AS_JSON,
  castOf,
  columnOf,
  columnTypeOf,
  recordColumns,
  snakeCase,
} from '../../../src/gateways/db/hr-columns.js';

describe('hr-columns: catalogued fields to tables and columns', () => {
  it('names a column after its field in snake_case', () => {
    expect(snakeCase('firstName')).toBe('first_name');
    expect(snakeCase('managerEntraId')).toBe('manager_entra_id');
    expect(snakeCase('city')).toBe('city');
  });

  it('keeps the hr_user columns of the synced fields as they were', () => {
    expect(HR_FIELD_COLUMNS).toEqual({
      firstName: 'first_name',
      lastName: 'last_name',
      displayName: 'display_name',
      jobTitle: 'job_title',
      department: 'department',
      officeLocation: 'office_location',
      employeeNumber: 'employee_number',
      hireDate: 'hire_date',
      mobilePhone: 'mobile_phone',
      businessPhone: 'business_phone',
      city: 'city',
      managerEntraId: 'manager_entra_id',
    });
    expect(HR_FIELDS_AS_JSON).toMatch(/^jsonb_build_object\('firstName', u\.first_name::text, /);
  });

  it('stores the manager of a profile as a link to another profile, a uuid', () => {
    expect(columnOf('managerEntraId', 'employeeProfile')).toBe('manager_profile_id');
    expect(columnTypeOf('managerEntraId', 'employeeProfile')).toBe('uuid');
    expect(castOf('managerEntraId', 'employeeProfile')).toBe('::uuid');
    expect(castOf('hireDate', 'hrUser')).toBe('::date');
    expect(castOf('city', 'hrUser')).toBe('');
    expect(recordColumns('employeeProfile')).toContainEqual({
      field: 'managerEntraId',
      key: 'managerProfileId',
      column: 'manager_profile_id',
    });
  });

  it('refuses a field the record does not hold', () => {
    expect(() => columnOf('displayName', 'employeeProfile')).toThrow(/employeeProfile does not hold displayName/);
    expect(() => columnTypeOf('picture', 'hrUser')).toThrow(/picture store/);
  });
});
