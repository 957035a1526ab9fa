/*
 * Every built-in HR field once, with what it is (docs/rules.md#26-fields-read-from-entra). The lists the rest of
 * the code works from (the attribute mapping's fields, the fields Entra writes, the owners an admin
 * may choose, the write-back permissions, the employee profile's fields) are derived here, so a new
 * field is one entry below plus a migration (`npm run migration:create`, which reads the entities
 * built from this catalogue).
 *
 * - `entra`: the Microsoft Graph user property the default mapping reads (a path into the expanded
 *   manager for the manager's), https://learn.microsoft.com/en-us/graph/api/resources/user; null when
 *   the sync does not read it.
 * - `writeBack`: the Graph user property write-back writes the field to when the admin permits it
 *   (docs/rules.md#41-update; src/domain/write-back.ts turns values into Graph's shapes); null when the
 *   field is never written to Entra.
 * - `scim`: the attribute path of the SCIM core User (RFC 7643 section 4.1,
 *   https://datatracker.ietf.org/doc/html/rfc7643#section-4.1) or of the enterprise extension
 *   (section 4.3, https://datatracker.ietf.org/doc/html/rfc7643#section-4.3); null when SCIM has none.
 * - `stored`: which records hold the field. The database names follow from it (src/gateways/db/
 *   hr-columns.ts), so the domain keeps speaking HR.
 */
import { BOTH, CHOSEN, ENTERPRISE, extension, OPTIONAL, profileOnly, REQUIRED, synced } from './hr-field.kinds.js';
import type { HrFieldDefinition, HrFieldStorage } from './hr-field.kinds.js';

export type { HrFieldDefinition, HrFieldOwnership, HrFieldStorage, HrFieldType } from './hr-field.kinds.js';

/** In the order the backup export lists them (rule 8.3). */
export const HR_FIELDS = {
  // The HR login and the first run's match key (rule 2.2): HR's once created, never rewritten by the sync.
  email: {
    label: 'E-mail',
    entra: 'mail',
    type: 'text',
    maxLength: 320,
    owner: { default: 'hr', configurable: false },
    writeBack: null,
    hrEditable: false,
    scim: 'emails[type eq "work"].value',
    stored: { hrUser: REQUIRED, employeeProfile: REQUIRED },
  },
  firstName: {
    ...synced('First name', 'givenName', 'name.givenName', 128),
    stored: { hrUser: OPTIONAL, employeeProfile: REQUIRED },
  },
  lastName: {
    ...synced('Last name', 'surname', 'name.familyName', 128),
    stored: { hrUser: OPTIONAL, employeeProfile: REQUIRED },
  },
  displayName: {
    ...synced('Display name', 'displayName', 'displayName', 256),
    writeBack: null,
    stored: { hrUser: OPTIONAL },
  },
  jobTitle: synced('Job title', 'jobTitle', 'title', 128),
  department: synced('Department', 'department', `${ENTERPRISE}:department`, 128),
  // Entra's provisioning maps physicalDeliveryOfficeName to the work address's formatted line.
  officeLocation: synced('Office location', 'officeLocation', 'addresses[type eq "work"].formatted', 128),
  employeeNumber: synced('Employee number', 'employeeId', `${ENTERPRISE}:employeeNumber`, 64),
  // A calendar date, whatever time Graph adds to it (attribute-mapping.ts normaliseDate).
  hireDate: {
    label: 'Hire date',
    entra: 'employeeHireDate',
    type: 'date',
    owner: CHOSEN,
    writeBack: 'employeeHireDate',
    hrEditable: true,
    scim: null,
    stored: BOTH,
  },
  // The employee profile's resignation date (rule 3.5), kept and edited there. Reading it from Entra
  // needs User-LifeCycleInfo.Read.All, so the sync does not; writing it needs
  // User-LifeCycleInfo.ReadWrite.All (https://learn.microsoft.com/graph/tutorial-lifecycle-workflows-set-employeeleavedatetime).
  leaveDate: {
    label: 'Leave date',
    entra: null,
    type: 'date',
    owner: null,
    writeBack: 'employeeLeaveDateTime',
    hrEditable: false,
    scim: null,
    stored: {},
  },
  mobilePhone: synced('Mobile phone', 'mobilePhone', 'phoneNumbers[type eq "mobile"].value', 64),
  // Graph's businessPhones is a collection; HR keeps the first number.
  businessPhone: synced('Business phone', 'businessPhones', 'phoneNumbers[type eq "work"].value', 64),
  city: synced('City', 'city', 'addresses[type eq "work"].locality', 128),
  employeeType: profileOnly('Employee type', 'employeeType', 64),
  companyName: profileOnly('Company name', 'companyName', 64),
  extensionAttribute1: extension(1),
  extensionAttribute2: extension(2),
  extensionAttribute3: extension(3),
  extensionAttribute4: extension(4),
  extensionAttribute5: extension(5),
  extensionAttribute6: extension(6),
  extensionAttribute7: extension(7),
  extensionAttribute8: extension(8),
  extensionAttribute9: extension(9),
  extensionAttribute10: extension(10),
  extensionAttribute11: extension(11),
  extensionAttribute12: extension(12),
  extensionAttribute13: extension(13),
  extensionAttribute14: extension(14),
  extensionAttribute15: extension(15),
  // The manager's Entra object id; SCIM's manager.value is the manager's HR user id, a link rather than this value.
  managerEntraId: {
    ...synced('Manager', 'manager.id', null, 64),
    // Through the manager reference, PUT /users/{id}/manager/$ref (docs/graph.md §2.6).
    writeBack: 'manager',
    hrEditable: false,
    stored: { hrUser: OPTIONAL, employeeProfile: { required: false, linkAs: 'managerProfileId' } },
  },
  // Read only to find the manager in HR; not kept.
  managerEmail: {
    label: "Manager's e-mail",
    entra: 'manager.mail',
    type: 'text',
    owner: null,
    writeBack: null,
    hrEditable: false,
    scim: null,
    stored: {},
  },
  managerEmployeeNumber: {
    label: "Manager's employee number",
    entra: 'manager.employeeId',
    type: 'text',
    owner: null,
    writeBack: null,
    hrEditable: false,
    scim: null,
    stored: {},
  },
  // Always Entra's (docs/rules.md#31-leavers-are-deactivated-never-deleted), after the guard (rule 3.6).
  active: {
    label: 'Account status (active)',
    entra: 'accountEnabled',
    type: 'boolean',
    owner: { default: 'entra', configurable: false },
    writeBack: null,
    hrEditable: false,
    scim: 'active',
    stored: { hrUser: REQUIRED },
  },
  // The link to the Entra user (rule 2.2): the sync sets it, no one edits it.
  entraId: {
    label: 'Entra object id',
    entra: 'id',
    type: 'text',
    maxLength: 64,
    owner: { default: 'entra', configurable: false },
    writeBack: null,
    hrEditable: false,
    scim: null,
    stored: { hrUser: OPTIONAL },
  },
  // Flows only to users without an employee profile (rule 2.5); kept apart, in the picture store.
  picture: {
    label: 'Profile picture',
    entra: 'photo',
    type: 'picture',
    owner: CHOSEN,
    writeBack: null,
    hrEditable: false,
    scim: 'photos[type eq "photo"].value',
    stored: {},
  },
} as const satisfies Readonly<Record<string, HrFieldDefinition>>;

export type HrField = keyof typeof HR_FIELDS;
type Definition<F extends HrField> = (typeof HR_FIELDS)[F];
/** The fields the attribute mapping fills from an Entra user (every field read from Entra but the picture). */
export type MappedHrField = {
  [F in HrField]: Definition<F>['entra'] extends string ? (Definition<F>['type'] extends 'picture' ? never : F) : never;
}[HrField];
/** The mapped fields Entra writes into HR, each as its owner setting decides (rule 2.4). */
export type SyncedHrField = {
  [F in MappedHrField]: Definition<F>['owner'] extends { configurable: true } ? F : never;
}[MappedHrField];
export type HrEditableField = { [F in HrField]: Definition<F>['hrEditable'] extends true ? F : never }[HrField];
export type HrRecord = 'hrUser' | 'employeeProfile';

const ALL = Object.keys(HR_FIELDS) as HrField[];
const where = <F extends HrField>(test: (definition: HrFieldDefinition) => boolean): readonly F[] =>
  ALL.filter((field) => test(HR_FIELDS[field])) as F[];

export const MAPPED_HR_FIELDS = where<MappedHrField>((d) => d.type !== 'picture' && d.entra !== null);
/**
 * The e-mail is not among them: it is the HR login and the match key of the first run only
 * (rule 2.2); afterwards the link is the Entra object id.
 */
export const SYNCED_HR_FIELDS = where<SyncedHrField>((d) => d.type !== 'picture' && d.owner?.configurable === true);
/** The fields whose owner the admin chooses (rule 2.4): those Entra writes, and the picture (2.5). */
export const OWNABLE_HR_FIELDS = where((d) => d.owner?.configurable === true);
/** The fields the admin may permit for write-back (rule 4.1); anything else is never written to Entra. */
export const WRITE_BACK_HR_FIELDS = where((d) => d.writeBack !== null);

/** The Graph property a field permitted for write-back is written to (rule 4.1); undefined for any other field. */
export function writeBackPropertyOf(field: string): string | undefined {
  return isHrField(field) ? ((HR_FIELDS[field] as HrFieldDefinition).writeBack ?? undefined) : undefined;
}
/** An HR user's fields an admin may edit; the manager link is Entra's object id, kept by the sync only. */
export const HR_EDITABLE_FIELDS = where<HrEditableField>((d) => d.hrEditable);

/** The default mapping, as the admin sees it: HR field <- Entra property path. */
export const DEFAULT_ENTRA_SOURCES = Object.fromEntries(
  MAPPED_HR_FIELDS.map((field) => [field, (HR_FIELDS[field] as HrFieldDefinition).entra]),
) as Readonly<Record<MappedHrField, string>>;

/** The fields a record holds, in catalogue order. */
export function fieldsStoredOn(record: HrRecord): readonly HrField[] {
  return where((d) => (d.stored as HrFieldDefinition['stored'])[record] !== undefined);
}

/** The name a record gives a field: its own, or the link's (a profile holds its manager as managerProfileId). */
export function recordKeyOf(field: HrField, record: HrRecord): string {
  return storageOf(field, record)?.linkAs ?? field;
}

/** How a record holds a field, or undefined when it does not. */
export function storageOf(field: HrField, record: HrRecord): HrFieldStorage | undefined {
  return (HR_FIELDS[field].stored as HrFieldDefinition['stored'])[record];
}

export function isHrField(name: string): name is HrField {
  return Object.hasOwn(HR_FIELDS, name);
}

type StorageOn<F extends HrField, R extends HrRecord> = Definition<F>['stored'] extends { readonly [K in R]: infer S }
  ? S
  : never;
type StoredOn<R extends HrRecord> = { [F in HrField]: [StorageOn<F, R>] extends [never] ? never : F }[HrField];
type RequiredOn<R extends HrRecord> = {
  [F in StoredOn<R>]: StorageOn<F, R> extends { readonly required: true } ? F : never;
}[StoredOn<R>];
type KeyOn<F extends HrField, R extends HrRecord> =
  StorageOn<F, R> extends { readonly linkAs: infer K extends string } ? K : F;
type ValueOf<F extends HrField> = Definition<F>['type'] extends 'boolean' ? boolean : string;

/**
 * The catalogued values a record holds, by the record's name for each field: the ones it requires,
 * then the rest (null when empty). A link (the profile's manager) is the other record's id.
 */
export type RecordValues<R extends HrRecord> = { [F in RequiredOn<R> as KeyOn<F, R>]: ValueOf<F> } & {
  [F in Exclude<StoredOn<R>, RequiredOn<R>> as KeyOn<F, R>]?: ValueOf<F> | null;
};
