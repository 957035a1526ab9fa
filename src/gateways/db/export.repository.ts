import type { EntityManager } from '@mikro-orm/postgresql';
import type { ExportKind, ExportReader, ExportRow } from '../../application/ports/export.port.js';
import { fieldsStoredOn, recordKeyOf, type HrRecord } from '../../domain/hr-field.catalogue.js';
import { columnOf, columnTypeOf } from './hr-columns.js';
import { isoUtc } from './sql-time.js';

const rolesOf = (userColumn: string) =>
  `coalesce((select json_agg(r.name order by r.name) from user_role ur join role r on r.id = ur.role_id where ur.hr_user_id = ${userColumn}), '[]'::json)`;

interface Source {
  record: HrRecord;
  alias: string;
  from: string;
  /** The columns that are not catalogued fields, as SQL expressions. */
  own: Readonly<Record<string, string>>;
}

const SOURCES: Readonly<Record<ExportKind, Source>> = {
  'hr-users': {
    record: 'hrUser',
    alias: 'u',
    from: 'hr_user u left join employee_profile p on p.hr_user_id = u.id',
    own: {
      id: 'u.id',
      managerId: 'u.manager_id',
      deactivatedReason: 'u.deactivated_reason',
      origin: 'u.origin',
      employeeProfileId: 'p.id',
      roles: rolesOf('u.id'),
      customFields: 'u.custom_fields',
      lastSyncedAt: isoUtc('u.last_synced_at'),
      createdAt: isoUtc('u.created_at'),
      updatedAt: isoUtc('u.updated_at'),
    },
  },
  'employee-profiles': {
    record: 'employeeProfile',
    alias: 'p',
    from: 'employee_profile p left join hr_user u on u.id = p.hr_user_id',
    own: {
      id: 'p.id',
      resignationDate: 'p.resignation_date::text',
      employmentStatus: 'p.employment_status',
      hrUserId: 'p.hr_user_id',
      hrUserEmail: 'u.email',
      hrUserActive: 'u.active',
      roles: rolesOf('p.hr_user_id'),
      customFields: 'p.custom_fields',
      createdAt: isoUtc('p.created_at'),
      updatedAt: isoUtc('p.updated_at'),
    },
  },
};

/**
 * The export's pages in keyset order by id. Dates as text: a calendar date never passes through a
 * JavaScript Date and a time zone. Token hashes, sealed secrets and sync internals have no column here.
 */
export class PgExportReader implements ExportReader {
  constructor(private readonly em: EntityManager) {}

  async page(kind: ExportKind, columns: readonly string[], after: string | null, limit: number): Promise<ExportRow[]> {
    const { alias, from } = SOURCES[kind];
    const select = columns.map((column) => `${expressionOf(SOURCES[kind], column)} as "${column}"`).join(', ');
    return this.em.execute<ExportRow[]>(
      `select ${select} from ${from} ${after ? `where ${alias}.id > ?` : ''} order by ${alias}.id limit ?`,
      after ? [after, limit] : [limit],
    );
  }
}

function expressionOf(source: Source, column: string): string {
  if (Object.hasOwn(source.own, column)) return source.own[column]!;
  const field = fieldsStoredOn(source.record).find((f) => recordKeyOf(f, source.record) === column);
  if (field === undefined) throw new Error(`the export has no column ${column}`);
  const type = columnTypeOf(field, source.record);
  return `${source.alias}.${columnOf(field, source.record)}${type === 'date' ? '::text' : ''}`;
}
