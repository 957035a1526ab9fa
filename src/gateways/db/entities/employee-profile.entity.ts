import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { HrUser } from './hr-user.entity.js';

/**
 * The HR record of a person employed. Once an HR user is connected to one, the profile owns the
 * person's data and only the active status still follows Entra (rule 2.4).
 */
export const EmployeeProfile = defineEntity({
  name: 'EmployeeProfile',
  tableName: 'employee_profile',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    hrUser: () => p.oneToOne(HrUser).mapToPk().nullable().deleteRule('set null'),
    email: p.string().length(320),
    firstName: p.string().length(128),
    lastName: p.string().length(128),
    jobTitle: p.string().length(128).nullable(),
    department: p.string().length(128).nullable(),
    officeLocation: p.string().length(128).nullable(),
    employeeNumber: p.string().length(64).nullable(),
    hireDate: p.string().columnType('date').nullable(),
    resignationDate: p.string().columnType('date').nullable(),
    /** 'active' | 'pending' (resignation date ahead) | 'archived' (rule 3.5). */
    employmentStatus: p.string().length(16).default('active'),
    managerProfileId: p.uuid().nullable(),
    mobilePhone: p.string().length(64).nullable(),
    businessPhone: p.string().length(64).nullable(),
    city: p.string().length(128).nullable(),
    customFields: p.json<Record<string, unknown>>().default('{}'),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
  indexes: [
    {
      name: 'employee_profile_email_lower_unique',
      expression: 'create unique index "employee_profile_email_lower_unique" on "employee_profile" (lower("email"))',
    },
  ],
});
export type EmployeeProfileEntity = InferEntity<typeof EmployeeProfile>;
