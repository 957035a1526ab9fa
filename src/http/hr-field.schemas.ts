import { z } from 'zod';
import { isCalendarDate } from '../domain/calendar-date.js';
import {
  HR_EDITABLE_FIELDS,
  HR_FIELDS,
  fieldsStoredOn,
  recordKeyOf,
  storageOf,
  type HrEditableField,
  type HrField,
  type RecordValues,
} from '../domain/hr-field.catalogue.js';

/*
 * The admin API's schemas of the catalogued HR fields (src/domain/hr-field.catalogue.ts), so that a
 * field added there is accepted and documented without an edit here. Text is trimmed and never
 * empty (null clears an optional field); a date is a calendar date; a link is the other record's id.
 */

/** A schema per key, typed as the catalogue's record values (the values are checked at run time). */
type Shape<T> = { [K in keyof T]-?: z.ZodType<T[K]> };

const calendarDate = z.string().refine(isCalendarDate, 'a calendar date YYYY-MM-DD');
const text = (field: HrField) =>
  z
    .string()
    .trim()
    .min(1)
    .max((HR_FIELDS[field] as { maxLength?: number }).maxLength ?? 2000);

function inputOf(field: HrField): z.ZodType {
  if (field === 'email') return z.email().max(HR_FIELDS.email.maxLength);
  return HR_FIELDS[field].type === 'date' ? calendarDate : text(field);
}

/** An HR admin's edit of an HR user (rule 8.5 decides per user which fields Entra owns). */
export function hrUserEditShape(): Record<HrEditableField, z.ZodType<string | null>> {
  return Object.fromEntries(HR_EDITABLE_FIELDS.map((field) => [field, inputOf(field).nullable()])) as unknown as Record<
    HrEditableField,
    z.ZodType<string | null>
  >;
}

/** An employee profile's catalogued fields as a create takes them (a patch makes every one optional). */
export function profileInputShape(): Shape<RecordValues<'employeeProfile'>> {
  const shape = Object.fromEntries(
    fieldsStoredOn('employeeProfile').map((field) => {
      const storage = storageOf(field, 'employeeProfile')!;
      const value = storage.linkAs !== undefined ? z.uuid() : inputOf(field);
      return [recordKeyOf(field, 'employeeProfile'), storage.required ? value : value.nullable().optional()];
    }),
  );
  return shape as unknown as Shape<RecordValues<'employeeProfile'>>;
}

/** An employee profile's catalogued fields as the API answers them. */
export function profileViewShape(): Record<string, z.ZodType> {
  return Object.fromEntries(
    fieldsStoredOn('employeeProfile').map((field) => {
      const storage = storageOf(field, 'employeeProfile')!;
      const value =
        storage.linkAs !== undefined
          ? z.uuid()
          : HR_FIELDS[field].type === 'date'
            ? z.string().describe('YYYY-MM-DD')
            : z.string();
      return [recordKeyOf(field, 'employeeProfile'), storage.required ? value : value.nullable()];
    }),
  );
}
