/*
 * Who owns each field of an HR user, and so which incoming Entra values are written (2.4, 2.5, 2.8).
 *
 * - 'entra-until-profile' (default, 2.4): the field follows Entra while the HR user is not connected
 *   to an employee profile; once connected, the employee profile owns it.
 * - 'entra': the field always follows Entra, profile or not (for fields the organisation keeps in
 *   Entra only). Such a field must not also be written back to Entra (4.5, see
 *   findOwnershipConflicts).
 * - 'hr': the field is never written from Entra.
 * Beyond the settings:
 * - `active` always follows Entra (3.x, 2.4): the caller passes the account status it decided
 *   with deactivation.ts (after the mass-deactivation guard), not Entra's raw flag.
 * - `picture` flows only to users without an employee profile (2.5), whatever its setting.
 * - On the run that first links an existing HR user matched by e-mail, nothing but `active` is
 *   written: the user keeps all their HR data (2.8). Each field where HR and Entra then differ is
 *   remembered with the Entra value HR kept its own over (`kept`). A later run leaves such a field
 *   alone while Entra still has that value, whatever else happens in the run (another user leaving,
 *   a settings change that applies every user again, a full reconciliation, a reactivation): only
 *   a run in which Entra changed the field releases it, and then the ownership above decides.
 */

import { HR_FIELDS, isHrField } from './hr-field.catalogue.js';

export type FieldOwner = 'entra' | 'hr' | 'entra-until-profile';
export const DEFAULT_FIELD_OWNER: FieldOwner = 'entra-until-profile';
export const ACTIVE_FIELD = 'active';
export const PICTURE_FIELD = 'picture';

/** A field's value; a picture is an opaque version (for example a content hash). */
export type FieldValue = string | boolean | null;
export type FieldOwners = Readonly<Record<string, FieldOwner>>;

export interface FieldUpdateInput {
  readonly hasEmployeeProfile: boolean;
  /** True on the run that links an existing HR user found by e-mail (2.8). */
  readonly firstMatch: boolean;
  /** The values Entra has now, by HR field; a field absent here is not touched. */
  readonly incoming: Readonly<Record<string, FieldValue>>;
  /** The values HR has now, by HR field. */
  readonly current: Readonly<Record<string, FieldValue>>;
  /** Owner settings by field; a field without one is 'entra-until-profile'. */
  readonly owners?: FieldOwners;
  /** By HR field, the Entra value HR kept its own value over when the user was matched (2.8). */
  readonly kept?: Readonly<Record<string, FieldValue>>;
}

export type FieldSkipReason =
  | 'unchanged'
  | 'owned-by-hr'
  | 'owned-by-employee-profile'
  | 'picture-of-employee'
  | 'kept-on-first-match'
  | 'kept-hr-value';

export interface FieldWrite {
  readonly field: string;
  readonly from: FieldValue;
  readonly to: FieldValue;
}
export interface FieldSkip {
  readonly field: string;
  readonly reason: FieldSkipReason;
  readonly text: string;
}

/**
 * Every incoming field comes out exactly once, either to write or skipped with its reason; `kept`
 * is the memory of kept HR values after this run (the input's, with fields added or released).
 */
export interface FieldUpdates {
  readonly writes: readonly FieldWrite[];
  readonly skips: readonly FieldSkip[];
  readonly kept: Readonly<Record<string, FieldValue>>;
}

const SKIP_TEXT: Readonly<Record<FieldSkipReason, string>> = {
  unchanged: 'HR already has the value from Entra.',
  'owned-by-hr': 'The field is owned by HR, so Entra never writes it.',
  'owned-by-employee-profile': 'The user is connected to an employee profile, which owns the field (rule 2.4).',
  'picture-of-employee': 'Pictures flow only to users not connected to an employee profile (rule 2.5).',
  'kept-on-first-match': 'An existing HR user matched by e-mail keeps its HR data on the run that links it (rule 2.8).',
  'kept-hr-value':
    'HR kept its own value when the user was matched by e-mail, and Entra has not changed the field since (rule 2.8).',
};

export function decideFieldUpdates(input: FieldUpdateInput): FieldUpdates {
  const writes: FieldWrite[] = [];
  const skips: FieldSkip[] = [];
  const kept: Record<string, FieldValue> = { ...input.kept };
  for (const [field, to] of Object.entries(input.incoming)) {
    const from = Object.hasOwn(input.current, field) ? input.current[field]! : null;
    if (field !== ACTIVE_FIELD && input.firstMatch && from !== to) kept[field] = to;
    // Entra changed a kept field (or HR already agrees with Entra): the memory has done its work.
    else if (Object.hasOwn(kept, field) && (kept[field] !== to || from === to)) delete kept[field];
    const reason = skipReason(field, input, Object.hasOwn(kept, field)) ?? (from === to ? 'unchanged' : undefined);
    if (reason === undefined) writes.push({ field, from, to });
    else skips.push({ field, reason, text: SKIP_TEXT[reason] });
  }
  return { writes, skips, kept };
}

function skipReason(field: string, input: FieldUpdateInput, keptFromHr: boolean): FieldSkipReason | undefined {
  if (field === ACTIVE_FIELD) return undefined;
  if (input.firstMatch) return 'kept-on-first-match';
  if (keptFromHr) return 'kept-hr-value';
  if (field === PICTURE_FIELD && input.hasEmployeeProfile) return 'picture-of-employee';
  const owner = ownerOf(field, input.owners);
  if (owner === 'hr') return 'owned-by-hr';
  if (owner === 'entra-until-profile' && input.hasEmployeeProfile) return 'owned-by-employee-profile';
  return undefined;
}

/**
 * Whether Entra owns this field of this user, so HR shows it read-only (8.5). A value HR kept on
 * the match (2.8) is Entra's again from Entra's next change of it, so it counts as Entra's here.
 */
export function followsEntra(field: string, hasEmployeeProfile: boolean, owners?: FieldOwners): boolean {
  if (field === ACTIVE_FIELD) return true;
  if (field === PICTURE_FIELD && hasEmployeeProfile) return false;
  const owner = ownerOf(field, owners);
  return owner === 'entra' || (owner === 'entra-until-profile' && !hasEmployeeProfile);
}

export function ownerOf(field: string, owners?: FieldOwners): FieldOwner {
  return owners !== undefined && Object.hasOwn(owners, field) ? owners[field]! : defaultOwnerOf(field);
}

/** A field's owner without a setting: the catalogue's default, and for a custom field 'entra-until-profile'. */
export function defaultOwnerOf(field: string): FieldOwner {
  return (isHrField(field) ? HR_FIELDS[field].owner?.default : undefined) ?? DEFAULT_FIELD_OWNER;
}

/**
 * Fields that would ping-pong (4.5): owned by Entra even for employees, yet permitted for
 * write-back, so an HR edit would go to Entra and Entra's value would come back over it.
 */
export function findOwnershipConflicts(owners: FieldOwners, writeBackFields: readonly string[]): string[] {
  return writeBackFields.filter((field) => ownerOf(field, owners) === 'entra');
}
