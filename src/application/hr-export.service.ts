import { HR_FIELDS, fieldsStoredOn, recordKeyOf, type HrRecord } from '../domain/hr-field.catalogue.js';
import type { ExportKind, ExportReader, ExportRow } from './ports/export.port.js';

export type { ExportKind, ExportRow } from './ports/export.port.js';

/**
 * The backup export (rule 8.3): every HR user or employee profile, read in keyset pages by id so
 * that memory stays flat however many rows there are. Pages are read outside a transaction on
 * purpose: one long snapshot would hold the embedded database's single writer for the whole
 * download (docs/embedded-database.md). A row changed mid-export shows its state when its page was read.
 * Token hashes, sealed secrets and sync internals are never exported. Times are ISO 8601 UTC text,
 * the same in CSV and JSON and as everywhere in the API.
 */
export const EXPORT_PAGE_SIZE = 500;

const RECORDS: Readonly<Record<ExportKind, HrRecord>> = {
  'hr-users': 'hrUser',
  'employee-profiles': 'employeeProfile',
};

/** What each export adds after the catalogued fields its record holds: links, status and timestamps. */
const RECORD_COLUMNS: Readonly<Record<ExportKind, readonly string[]>> = {
  'hr-users': [
    'managerId',
    'deactivatedReason',
    'origin',
    'employeeProfileId',
    'roles',
    'customFields',
    'lastSyncedAt',
    'createdAt',
    'updatedAt',
  ],
  'employee-profiles': [
    'resignationDate',
    'employmentStatus',
    'hrUserId',
    'hrUserEmail',
    'hrUserActive',
    'roles',
    'customFields',
    'createdAt',
    'updatedAt',
  ],
};

/** The columns of an export, in order: the id, every catalogued field of the record, then the record's own. */
export function exportColumns(kind: ExportKind): readonly string[] {
  const record = RECORDS[kind];
  const fields = fieldsStoredOn(record).filter((field) => HR_FIELDS[field].type !== 'picture');
  return ['id', ...fields.map((field) => recordKeyOf(field, record)), ...RECORD_COLUMNS[kind]];
}

/** Every row, one page at a time; the next page is read only when the consumer asks for it. */
export async function* exportPages(
  reader: ExportReader,
  kind: ExportKind,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<ExportRow[]> {
  const columns = exportColumns(kind);
  let after: string | null = null;
  for (;;) {
    const page: ExportRow[] = await reader.page(kind, columns, after, pageSize);
    if (page.length) yield page;
    if (page.length < pageSize) return;
    after = String(page.at(-1)!.id);
  }
}
