/*
 * Where each catalogued HR field lives in the database. The catalogue (src/domain/hr-field.catalogue.ts)
 * says which records hold a field; the table and column follow here by one convention, the field's
 * name in snake_case (firstName -> hr_user.first_name), so the domain never names a column and a new
 * field needs no edit in this file. test/integration/hr-field-columns.spec.ts checks every column
 * against the migrated schema.
 */
import {
  HR_FIELDS,
  SYNCED_HR_FIELDS,
  fieldsStoredOn,
  recordKeyOf,
  storageOf,
  type HrField,
  type HrRecord,
  type SyncedHrField,
} from '../../domain/hr-field.catalogue.js';

export const RECORD_TABLES: Readonly<Record<HrRecord, string>> = {
  hrUser: 'hr_user',
  employeeProfile: 'employee_profile',
};

/** firstName -> first_name. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

export function columnOf(field: HrField, record: HrRecord): string {
  if (storageOf(field, record) === undefined) throw new Error(`${record} does not hold ${field}`);
  return snakeCase(recordKeyOf(field, record));
}

export type ColumnType = 'text' | 'date' | 'boolean' | 'uuid';

/** The SQL type a record stores a field as: a link is the other record's uuid. */
export function columnTypeOf(field: HrField, record: HrRecord): ColumnType {
  if (storageOf(field, record)?.linkAs !== undefined) return 'uuid';
  const type = HR_FIELDS[field].type;
  if (type === 'picture') throw new Error(`${field} is kept in the picture store`);
  return type;
}

/** The cast a bound parameter needs (a text parameter into a date or uuid column). */
export function castOf(field: HrField, record: HrRecord): string {
  const type = columnTypeOf(field, record);
  return type === 'date' || type === 'uuid' ? `::${type}` : '';
}

/** Every column a record holds catalogued fields in, by the record's name for the field. */
export function recordColumns(record: HrRecord): ReadonlyArray<{ field: HrField; key: string; column: string }> {
  return fieldsStoredOn(record).map((field) => ({
    field,
    key: recordKeyOf(field, record),
    column: columnOf(field, record),
  }));
}

/** The fields Entra writes (rule 2.6) and the hr_user columns that hold them. */
export const HR_FIELD_COLUMNS = Object.fromEntries(
  SYNCED_HR_FIELDS.map((field) => [field, columnOf(field, 'hrUser')]),
) as Readonly<Record<SyncedHrField, string>>;

/** `select` list reading every synced field as text, keyed by field name. */
export const HR_FIELDS_AS_JSON = `jsonb_build_object(${Object.entries(HR_FIELD_COLUMNS)
  .map(([field, column]) => `'${field}', u.${column}::text`)
  .join(', ')})`;
