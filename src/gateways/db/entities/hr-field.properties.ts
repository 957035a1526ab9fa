import { p } from '@mikro-orm/core';
import { HR_FIELDS, storageOf, type HrField, type HrRecord } from '../../../domain/hr-field.catalogue.js';
import { columnTypeOf, recordColumns } from '../hr-columns.js';

/**
 * The entity properties of the catalogued fields a record holds (src/domain/hr-field.catalogue.ts),
 * so that a field added to the catalogue reaches the entity, and `npm run migration:create` writes
 * its column. An entity declares after these the properties the rules constrain further (a unique
 * Entra id, an account active by default).
 */
export function catalogueProperties(record: HrRecord) {
  return Object.fromEntries(recordColumns(record).map(({ field, key }) => [key, propertyOf(field, record)]));
}

function propertyOf(field: HrField, record: HrRecord) {
  const required = storageOf(field, record)!.required;
  const definition = HR_FIELDS[field] as { maxLength?: number };
  switch (columnTypeOf(field, record)) {
    case 'uuid':
      return required ? p.uuid() : p.uuid().nullable();
    case 'date':
      return required ? p.string().columnType('date') : p.string().columnType('date').nullable();
    case 'boolean':
      return required ? p.boolean() : p.boolean().nullable();
    case 'text': {
      const text = p.string().length(definition.maxLength!);
      return required ? text : text.nullable();
    }
  }
}
