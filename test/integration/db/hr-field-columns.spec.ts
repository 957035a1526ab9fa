import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { HR_FIELDS, storageOf, type HrRecord } from '../../../src/domain/hr-field.catalogue.js';
import { RECORD_TABLES, columnTypeOf, recordColumns } from '../../../src/gateways/db/hr-columns.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

interface Column {
  data_type: string;
  is_nullable: 'YES' | 'NO';
  character_maximum_length: number | null;
}

const SQL_TYPES = { text: 'character varying', date: 'date', boolean: 'boolean', uuid: 'uuid' } as const;

// The catalogue names no column; this ties it to the schema the migrations build.
describe('the field catalogue against the migrated database', () => {
  let db: TestDatabase;
  const columns = new Map<string, Column>();
  beforeAll(async () => {
    db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<Column & { table_name: string; column_name: string }>(
        `select table_name, column_name, data_type, is_nullable, character_maximum_length
           from information_schema.columns where table_schema = 'public'`,
      );
      for (const row of rows) columns.set(`${row.table_name}.${row.column_name}`, row);
    } finally {
      await client.end();
    }
  });
  afterAll(async () => {
    await db.drop();
  });

  const cases = (['hrUser', 'employeeProfile'] as HrRecord[]).flatMap((record) =>
    recordColumns(record).map(({ field, column }) => ({ record, field, column })),
  );

  it('finds the columns of both records', () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  it.each(cases)('$record $field is $column, of its type, length and nullability', ({ record, field, column }) => {
    const found = columns.get(`${RECORD_TABLES[record]}.${column}`);
    expect(found).toBeDefined();
    const type = columnTypeOf(field, record);
    expect(found!.data_type).toBe(SQL_TYPES[type]);
    expect(found!.is_nullable).toBe(storageOf(field, record)!.required ? 'NO' : 'YES');
    const maxLength = (HR_FIELDS[field] as { maxLength?: number }).maxLength;
    if (type === 'text') expect(found!.character_maximum_length).toBe(maxLength);
  });
});
