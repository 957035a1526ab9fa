import type { EntityManager } from '@mikro-orm/postgresql';
import { isoUtc } from '../gateways/db/sql-time.js';

/**
 * The backup export (rule 8.3): every HR user or employee profile, read in keyset pages by id so
 * that memory stays flat however many rows there are. Pages are read outside a transaction on
 * purpose: one long snapshot would hold the embedded database's single writer for the whole
 * download (docs/embedded-database.md). A row changed mid-export shows its state when its page was read.
 * Token hashes, sealed secrets and sync internals are never selected. Times are ISO 8601 UTC text
 * (sql-time.ts), the same in CSV and JSON and as everywhere in the API.
 */
export type ExportKind = 'hr-users' | 'employee-profiles';
export type ExportRow = Record<string, unknown>;

export const EXPORT_PAGE_SIZE = 500;

const ROLES_OF = (userColumn: string) =>
  `coalesce((select json_agg(r.name order by r.name) from user_role ur join role r on r.id = ur.role_id where ur.hr_user_id = ${userColumn}), '[]'::json) as roles`;

const SOURCES: Readonly<Record<ExportKind, { columns: readonly string[]; select: string }>> = {
  'hr-users': {
    columns: [
      'id',
      'email',
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
      'managerId',
      'managerEntraId',
      'active',
      'deactivatedReason',
      'origin',
      'entraId',
      'employeeProfileId',
      'roles',
      'customFields',
      'lastSyncedAt',
      'createdAt',
      'updatedAt',
    ],
    select: `select u.id, u.email, u.first_name as "firstName", u.last_name as "lastName", u.display_name as "displayName",
      u.job_title as "jobTitle", u.department, u.office_location as "officeLocation", u.employee_number as "employeeNumber",
      u.hire_date::text as "hireDate", u.mobile_phone as "mobilePhone", u.business_phone as "businessPhone", u.city,
      u.manager_id as "managerId", u.manager_entra_id as "managerEntraId", u.active, u.deactivated_reason as "deactivatedReason",
      u.origin, u.entra_id as "entraId", p.id as "employeeProfileId", ${ROLES_OF('u.id')}, u.custom_fields as "customFields",
      ${isoUtc('u.last_synced_at')} as "lastSyncedAt", ${isoUtc('u.created_at')} as "createdAt", ${isoUtc('u.updated_at')} as "updatedAt"
      from hr_user u left join employee_profile p on p.hr_user_id = u.id`,
  },
  'employee-profiles': {
    columns: [
      'id',
      'email',
      'firstName',
      'lastName',
      'jobTitle',
      'department',
      'officeLocation',
      'employeeNumber',
      'hireDate',
      'resignationDate',
      'employmentStatus',
      'managerProfileId',
      'mobilePhone',
      'businessPhone',
      'city',
      'hrUserId',
      'hrUserEmail',
      'hrUserActive',
      'roles',
      'customFields',
      'createdAt',
      'updatedAt',
    ],
    select: `select p.id, p.email, p.first_name as "firstName", p.last_name as "lastName", p.job_title as "jobTitle", p.department,
      p.office_location as "officeLocation", p.employee_number as "employeeNumber", p.hire_date::text as "hireDate",
      p.resignation_date::text as "resignationDate", p.employment_status as "employmentStatus", p.manager_profile_id as "managerProfileId",
      p.mobile_phone as "mobilePhone", p.business_phone as "businessPhone", p.city, p.hr_user_id as "hrUserId", u.email as "hrUserEmail",
      u.active as "hrUserActive", ${ROLES_OF('p.hr_user_id')}, p.custom_fields as "customFields", ${isoUtc('p.created_at')} as "createdAt", ${isoUtc('p.updated_at')} as "updatedAt"
      from employee_profile p left join hr_user u on u.id = p.hr_user_id`,
  },
};

export function exportColumns(kind: ExportKind): readonly string[] {
  return SOURCES[kind].columns;
}

/** Every row, one page at a time; the next page is read only when the consumer asks for it. */
export async function* exportPages(
  em: EntityManager,
  kind: ExportKind,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<ExportRow[]> {
  const { select } = SOURCES[kind];
  const alias = kind === 'hr-users' ? 'u' : 'p';
  let after: string | null = null;
  for (;;) {
    const page: ExportRow[] = await em.execute<ExportRow[]>(
      `${select} ${after ? `where ${alias}.id > ?` : ''} order by ${alias}.id limit ?`,
      after ? [after, pageSize] : [pageSize],
    );
    if (page.length) yield page;
    if (page.length < pageSize) return;
    after = String(page.at(-1)!.id);
  }
}
