/*
 * Which Entra user properties become which HR fields (rule 2.6).
 * The Entra property names below are the mapping's source keys as an admin configures them, kept
 * as plain strings; everything this module returns is named in HR's vocabulary.
 */
import { isCalendarDate } from './calendar-date.js';
import { DEFAULT_ENTRA_SOURCES, HR_FIELDS, MAPPED_HR_FIELDS, type MappedHrField } from './hr-field.catalogue.js';
import { looksLikeEmail } from './matching.js';

/** The fields the mapping fills, and the default mapping (HR field <- Entra property path), from the catalogue. */
export const BUILT_IN_HR_FIELDS = MAPPED_HR_FIELDS;
export type BuiltInHrField = MappedHrField;
export const DEFAULT_SOURCES = DEFAULT_ENTRA_SOURCES;

export type BuiltInHrValues = { readonly [F in BuiltInHrField]: F extends 'active' ? boolean | null : string | null };
export type CustomHrValues = Readonly<Record<string, string | null>>;

const EMAIL_FALLBACK_SOURCE = 'userPrincipalName';
const MANAGER = 'manager';

export interface CustomAttributeMapping {
  /** An Entra user property, or a path into one: 'onPremisesExtensionAttributes.extensionAttribute3'. */
  readonly source: string;
  /** The key of a custom HR field. */
  readonly target: string;
}

export type MappingErrorCode =
  'invalid-source' | 'unknown-extension-attribute' | 'invalid-target' | 'target-is-built-in' | 'duplicate-target';
export interface MappingError {
  readonly index: number;
  readonly code: MappingErrorCode;
  readonly message: string;
}

const SEGMENT = /^[A-Za-z][A-Za-z0-9_]*$/;
const TARGET = /^[a-z][A-Za-z0-9_]{0,62}$/;
const EXTENSION_ATTRIBUTES = 'onPremisesExtensionAttributes';
const RESERVED_TARGETS = new Set(Object.keys(HR_FIELDS).map((f) => f.toLowerCase()));

/** Checks an admin's custom mapping; an empty list means it can be saved. */
export function validateCustomMapping(entries: readonly CustomAttributeMapping[]): MappingError[] {
  const errors: MappingError[] = [];
  const targets = new Set<string>();
  entries.forEach(({ source, target }, index) => {
    const sourceCode = sourceError(source);
    if (sourceCode !== undefined) errors.push({ index, code: sourceCode, message: MESSAGES[sourceCode](source) });
    const targetCode = targetError(target, targets);
    if (targetCode !== undefined) errors.push({ index, code: targetCode, message: MESSAGES[targetCode](target) });
    targets.add(target.toLowerCase());
  });
  return errors;
}

const MESSAGES: Readonly<Record<MappingErrorCode, (value: string) => string>> = {
  'invalid-source': (source) => `Source "${source}" is not a user property name or a property.subproperty path.`,
  'unknown-extension-attribute': (source) =>
    `Source "${source}" must name one of extensionAttribute1 to extensionAttribute15.`,
  'invalid-target': (target) =>
    `Target "${target}" must start with a lower-case letter and hold only letters, digits and _ (at most 63).`,
  'target-is-built-in': (target) =>
    `Target "${target}" is a built-in HR field; choose another name for a custom field.`,
  'duplicate-target': (target) => `Target "${target}" is mapped more than once.`,
};

function sourceError(source: string): MappingErrorCode | undefined {
  const segments = source.split('.');
  if (segments.length > 2 || !segments.every((s) => SEGMENT.test(s))) return 'invalid-source';
  // A bare onPremisesExtensionAttributes names none: String(undefined) matches no attribute.
  if (segments[0] === EXTENSION_ATTRIBUTES && !/^extensionAttribute([1-9]|1[0-5])$/.test(String(segments[1])))
    return 'unknown-extension-attribute';
  return undefined;
}

// Case-insensitive, so that "Department" cannot sit beside the built-in "department".
function targetError(target: string, earlier: ReadonlySet<string>): MappingErrorCode | undefined {
  if (!TARGET.test(target)) return 'invalid-target';
  if (RESERVED_TARGETS.has(target.toLowerCase())) return 'target-is-built-in';
  if (earlier.has(target.toLowerCase())) return 'duplicate-target';
  return undefined;
}

export interface MappedHrUser {
  readonly fields: BuiltInHrValues;
  readonly custom: CustomHrValues;
  /** Values that could not be used, each left empty (null) in the result. */
  readonly problems: readonly { readonly field: string; readonly message: string }[];
}

/** Turns an Entra user (a plain object, the manager expanded under `manager`) into HR field values. */
export function applyAttributeMapping(
  entra: Readonly<Record<string, unknown>>,
  custom: readonly CustomAttributeMapping[] = [],
): MappedHrUser {
  const problems: { field: string; message: string }[] = [];
  const fields = Object.fromEntries(
    BUILT_IN_HR_FIELDS.map((field) => [field, mappedValue(entra, field, problems)]),
  ) as unknown as BuiltInHrValues;

  const customValues: Record<string, string | null> = {};
  for (const { source, target } of custom) {
    const value = read(entra, source);
    const isList = Array.isArray(value) && value.every(isScalar);
    if (value !== null && value !== undefined && !isScalar(value) && !isList) {
      problems.push({
        field: target,
        message: `Source "${source}" holds a structure, not a value; map one of its properties instead.`,
      });
    }
    customValues[target] = isList ? asText(value.map(String).join(', ')) : asText(value);
  }
  return { fields, custom: customValues, problems };
}

/** One field's value by its type in the catalogue; a value that cannot be used is null, with a problem. */
function mappedValue(
  entra: Readonly<Record<string, unknown>>,
  field: BuiltInHrField,
  problems: { field: string; message: string }[],
): string | boolean | null {
  const raw = read(entra, DEFAULT_SOURCES[field]);
  const definition = HR_FIELDS[field];
  switch (definition.type) {
    case 'boolean':
      return typeof raw === 'boolean' ? raw : null;
    case 'date': {
      const date = normaliseDate(raw);
      if (date === undefined) problems.push({ field, message: `${definition.label} "${String(raw)}" is not a date.` });
      return date ?? null;
    }
    case 'text':
      // A collection (businessPhones) gives its first value.
      return field === 'email'
        ? chooseEmail(firstText(raw), asText(read(entra, EMAIL_FALLBACK_SOURCE)))
        : firstText(raw);
  }
}

/**
 * Entra users without a mailbox often have no `mail` but a user principal name that is an
 * address, so it stands in; a guest's principal name (…#EXT#@tenant) is not a real address.
 */
export function chooseEmail(mail: string | null, userPrincipalName: string | null): string | null {
  if (mail !== null && mail.trim() !== '') return mail.trim();
  if (userPrincipalName === null || userPrincipalName.includes('#EXT#') || !looksLikeEmail(userPrincipalName))
    return null;
  return userPrincipalName.trim();
}

export interface RequiredEntraProperties {
  /** Properties of the user itself. */
  readonly user: readonly string[];
  /** Properties of the user's manager. */
  readonly manager: readonly string[];
}

/** The properties a run must read for the default and the custom mapping (a path reads its top-level property). */
export function requiredEntraProperties(custom: readonly CustomAttributeMapping[] = []): RequiredEntraProperties {
  const sources = [...Object.values(DEFAULT_SOURCES), EMAIL_FALLBACK_SOURCE, ...custom.map((c) => c.source)];
  const user = new Set<string>();
  const manager = new Set<string>();
  for (const source of sources) {
    const [head, sub] = source.split('.') as [string, string?];
    if (head === MANAGER && sub !== undefined) manager.add(sub);
    else user.add(head);
  }
  return { user: [...user], manager: [...manager] };
}

/**
 * A hire date as YYYY-MM-DD: the calendar date written in the value, before any time part, so
 * an offset never moves it to another day. null when empty, undefined when not a date.
 */
export function normaliseDate(value: unknown): string | null | undefined {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value !== 'string') return undefined;
  const date = value.trim().slice(0, 10);
  const rest = value.trim().slice(10);
  return isCalendarDate(date) && (rest === '' || rest.startsWith('T')) ? date : undefined;
}

function read(entra: Readonly<Record<string, unknown>>, path: string): unknown {
  let value: unknown = entra;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function asText(value: unknown): string | null {
  if (!isScalar(value)) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

function firstText(value: unknown): string | null {
  if (!Array.isArray(value)) return asText(value);
  return value.map(asText).find((v) => v !== null) ?? null;
}
