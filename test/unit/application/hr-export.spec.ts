import { describe, expect, it } from '@jest/globals';
import { exportColumns, exportPages } from '../../../src/application/hr-export.service.js';
import type { ExportKind, ExportReader, ExportRow } from '../../../src/application/ports/export.port.js';

/** Rows with ids '01'..'nn', read the way the PostgreSQL reader pages them (ids after `after`). */
class FakeReader implements ExportReader {
  readonly calls: Array<{ kind: ExportKind; after: string | null; limit: number }> = [];
  constructor(private readonly rows: ExportRow[]) {}
  async page(kind: ExportKind, columns: readonly string[], after: string | null, limit: number): Promise<ExportRow[]> {
    this.calls.push({ kind, after, limit });
    return this.rows
      .filter((row) => after === null || String(row.id) > after)
      .slice(0, limit)
      .map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null])));
  }
}
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i + 1).padStart(2, '0') }));

async function collect(reader: ExportReader, pageSize: number): Promise<ExportRow[][]> {
  const pages: ExportRow[][] = [];
  for await (const page of exportPages(reader, 'hr-users', pageSize)) pages.push(page);
  return pages;
}

describe('the backup export (rule 8.3)', () => {
  it('lists an HR user: id, every catalogued field it holds, then its links, status and times', () => {
    expect(exportColumns('hr-users')).toEqual([
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
      'managerEntraId',
      'active',
      'entraId',
      'managerId',
      'deactivatedReason',
      'origin',
      'employeeProfileId',
      'roles',
      'customFields',
      'lastSyncedAt',
      'createdAt',
      'updatedAt',
    ]);
  });

  it('lists an employee profile with its manager as a profile id, never the picture or a display name', () => {
    const columns = exportColumns('employee-profiles');
    expect(columns.slice(0, 3)).toEqual(['id', 'email', 'firstName']);
    expect(columns).toContain('managerProfileId');
    expect(columns).not.toContain('managerEntraId');
    expect(columns).not.toContain('displayName');
    expect(columns).not.toContain('picture');
    expect(columns.slice(-9)).toEqual([
      'resignationDate',
      'employmentStatus',
      'hrUserId',
      'hrUserEmail',
      'hrUserActive',
      'roles',
      'customFields',
      'createdAt',
      'updatedAt',
    ]);
    expect(new Set(columns).size).toBe(columns.length);
  });

  it('reads keyset pages after the last id until a page comes back short', async () => {
    const reader = new FakeReader(rows(5));
    const pages = await collect(reader, 2);
    expect(pages.map((page) => page.map((row) => row.id))).toEqual([['01', '02'], ['03', '04'], ['05']]);
    expect(reader.calls.map((call) => call.after)).toEqual([null, '02', '04']);
  });

  it('asks once more after a full last page, and yields no empty page', async () => {
    const reader = new FakeReader(rows(4));
    const pages = await collect(reader, 2);
    expect(pages).toHaveLength(2);
    expect(reader.calls).toHaveLength(3);
    expect(await collect(new FakeReader([]), 2)).toEqual([]);
  });
});
