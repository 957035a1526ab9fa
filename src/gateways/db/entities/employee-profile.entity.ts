import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { catalogueProperties } from './hr-field.properties.js';
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
    // The catalogued fields (src/domain/hr-field.catalogue.ts), the manager as a link to another profile.
    ...catalogueProperties('employeeProfile'),
    resignationDate: p.string().columnType('date').nullable(),
    /** 'active' | 'pending' (resignation date ahead) | 'archived' (rule 3.5). */
    employmentStatus: p.string().length(16).default('active'),
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
