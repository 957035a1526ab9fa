import { followsEntra, ownerOf, type FieldOwners } from './ownership.js';

/** Whose data an edit in HR touches: an HR user, or an employee profile, and its link to Entra. */
export interface EditTarget {
  /** The HR user (of the profile) is linked to an Entra user, so the sync writes to it. */
  linkedToEntra: boolean;
  /** An HR user connected to an employee profile, or a connected employee profile. */
  hasEmployeeProfile: boolean;
  owners: FieldOwners;
}

export interface RefusedEdit {
  field: string;
  reason: string;
}

/**
 * The fields of an HR edit that Entra owns for this user, each with the reason: HR shows them
 * read-only (rule 8.5), so the API refuses to change them rather than let the next run undo the
 * edit. A user not linked to Entra owns all its data in HR. `fields` are ownable field names.
 */
export function refusedEdits(fields: readonly string[], target: EditTarget): RefusedEdit[] {
  if (!target.linkedToEntra) return [];
  return fields
    .filter((field) => followsEntra(field, target.hasEmployeeProfile, target.owners))
    .map((field) => ({
      field,
      reason:
        ownerOf(field, target.owners) === 'entra'
          ? `${field} is owned by Entra for every user (field ownership settings), so it is read-only in HR (rule 8.5): change it in Entra, or choose another owner for it`
          : `${field} follows Entra while this user is not connected to an employee profile, so it is read-only in HR (rule 8.5): change it in Entra, connect an employee profile, or make HR its owner in the field ownership settings`,
    }));
}
