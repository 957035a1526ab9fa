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
 *   written: the user keeps all their HR data (2.8). From the next run on, the fields above follow
 *   Entra as usual, so a user without an employee profile then takes Entra's values (2.4).
 */

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
}

export type FieldSkipReason = 'unchanged' | 'owned-by-hr' | 'owned-by-employee-profile' | 'picture-of-employee' | 'kept-on-first-match';

export interface FieldWrite { readonly field: string; readonly from: FieldValue; readonly to: FieldValue }
export interface FieldSkip { readonly field: string; readonly reason: FieldSkipReason; readonly text: string }

/** Every incoming field comes out exactly once, either to write or skipped with its reason. */
export interface FieldUpdates { readonly writes: readonly FieldWrite[]; readonly skips: readonly FieldSkip[] }

const SKIP_TEXT: Readonly<Record<FieldSkipReason, string>> = {
  'unchanged': 'HR already has the value from Entra.',
  'owned-by-hr': 'The field is owned by HR, so Entra never writes it.',
  'owned-by-employee-profile': 'The user is connected to an employee profile, which owns the field (rule 2.4).',
  'picture-of-employee': 'Pictures flow only to users not connected to an employee profile (rule 2.5).',
  'kept-on-first-match': 'An existing HR user matched by e-mail keeps its HR data on the run that links it (rule 2.8).',
};

export function decideFieldUpdates(input: FieldUpdateInput): FieldUpdates {
  const writes: FieldWrite[] = [];
  const skips: FieldSkip[] = [];
  for (const [field, to] of Object.entries(input.incoming)) {
    const from = Object.hasOwn(input.current, field) ? (input.current[field] ?? null) : null;
    const reason = skipReason(field, input) ?? (from === to ? 'unchanged' : undefined);
    if (reason === undefined) writes.push({ field, from, to });
    else skips.push({ field, reason, text: SKIP_TEXT[reason] });
  }
  return { writes, skips };
}

function skipReason(field: string, input: FieldUpdateInput): FieldSkipReason | undefined {
  if (field === ACTIVE_FIELD) return undefined;
  if (input.firstMatch) return 'kept-on-first-match';
  if (field === PICTURE_FIELD && input.hasEmployeeProfile) return 'picture-of-employee';
  switch (ownerOf(field, input.owners)) {
    case 'hr':
      return 'owned-by-hr';
    case 'entra-until-profile':
      return input.hasEmployeeProfile ? 'owned-by-employee-profile' : undefined;
    case 'entra':
      return undefined;
  }
}

/**
 * Whether Entra owns this field of this user, so HR shows it read-only (8.5). Ignores the
 * first-match run, which only delays Entra's values by one run.
 */
export function followsEntra(field: string, hasEmployeeProfile: boolean, owners?: FieldOwners): boolean {
  if (field === ACTIVE_FIELD) return true;
  if (field === PICTURE_FIELD && hasEmployeeProfile) return false;
  const owner = ownerOf(field, owners);
  return owner === 'entra' || (owner === 'entra-until-profile' && !hasEmployeeProfile);
}

export function ownerOf(field: string, owners?: FieldOwners): FieldOwner {
  return owners !== undefined && Object.hasOwn(owners, field) ? (owners[field] ?? DEFAULT_FIELD_OWNER) : DEFAULT_FIELD_OWNER;
}

/**
 * Fields that would ping-pong (4.5): owned by Entra even for employees, yet permitted for
 * write-back, so an HR edit would go to Entra and Entra's value would come back over it.
 */
export function findOwnershipConflicts(owners: FieldOwners, writeBackFields: readonly string[]): string[] {
  return writeBackFields.filter((field) => ownerOf(field, owners) === 'entra');
}
