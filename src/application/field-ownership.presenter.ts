import { HR_FIELDS, OWNABLE_HR_FIELDS } from '../domain/hr-field.catalogue.js';
import {
  ACTIVE_FIELD,
  PICTURE_FIELD,
  defaultOwnerOf,
  followsEntra,
  ownerOf,
  type FieldOwner,
} from '../domain/ownership.js';
import type { SettingsValues } from './settings.service.js';

export interface FieldOwnershipLine {
  field: string;
  label: string;
  owner: FieldOwner;
  isDefault: boolean;
  /** False for the account status, whose owner is fixed by the rules. */
  configurable: boolean;
  /** Whether HR shows the field read-only (rule 8.5), for a user without and with an employee profile. */
  readOnlyInHr: { withoutEmployeeProfile: boolean; withEmployeeProfile: boolean };
  writtenBackToEntra: boolean;
  meaning: string;
}

const OWNER_MEANING: Readonly<Record<FieldOwner, string>> = {
  'entra-until-profile':
    'Follows Entra for HR users not connected to an employee profile, and is read-only in HR for them. Once an HR user is connected to an employee profile, the profile owns the field and Entra no longer changes it.',
  entra:
    'Always follows Entra, also for HR users connected to an employee profile, and is read-only in HR for everyone.',
  hr: 'Owned by HR: Entra never changes it, and it is edited in HR.',
};

/** Every field whose owner matters, with its owner from the settings and what that means in plain words. */
export function describeFieldOwnership(
  settings: Pick<SettingsValues, 'fieldOwners' | 'writeBackFields' | 'writeBackUpdate'>,
): FieldOwnershipLine[] {
  const lines: FieldOwnershipLine[] = OWNABLE_HR_FIELDS.map((field) => {
    const owner = ownerOf(field, settings.fieldOwners);
    const writtenBack = settings.writeBackUpdate && settings.writeBackFields.includes(field);
    return {
      field,
      label: HR_FIELDS[field].label,
      owner,
      isDefault: owner === defaultOwnerOf(field) && !Object.hasOwn(settings.fieldOwners, field),
      configurable: true,
      readOnlyInHr: {
        withoutEmployeeProfile: followsEntra(field, false, settings.fieldOwners),
        withEmployeeProfile: followsEntra(field, true, settings.fieldOwners),
      },
      writtenBackToEntra: writtenBack,
      meaning: [meaningOf(field, owner), writeBackNote(field, settings, writtenBack)].filter(Boolean).join(' '),
    };
  });
  lines.push({
    field: ACTIVE_FIELD,
    label: HR_FIELDS[ACTIVE_FIELD].label,
    owner: HR_FIELDS[ACTIVE_FIELD].owner.default,
    isDefault: true,
    configurable: false,
    readOnlyInHr: { withoutEmployeeProfile: true, withEmployeeProfile: true },
    writtenBackToEntra: false,
    meaning:
      "Always follows Entra for synced users: they are deactivated when they leave every synced group or are disabled or deleted in Entra, and reactivated when they come back. An employee profile cannot keep an account active, but an archived employee's account stays deactivated.",
  });
  return lines;
}

function meaningOf(field: string, owner: FieldOwner): string {
  if (field !== PICTURE_FIELD) return OWNER_MEANING[owner];
  // Pictures never flow to employees, whatever the owner (rule 2.5).
  return owner === 'hr'
    ? 'Owned by HR: Entra never changes profile pictures.'
    : 'Taken from Entra for HR users not connected to an employee profile; employees keep the picture set in HR.';
}

function writeBackNote(
  field: string,
  settings: Pick<SettingsValues, 'writeBackFields' | 'writeBackUpdate'>,
  writtenBack: boolean,
): string {
  if (writtenBack) return 'Changes to an employee profile are written back to the Entra user.';
  if (settings.writeBackFields.includes(field))
    return 'It is permitted for write-back, but write-back of updates is off.';
  return '';
}
