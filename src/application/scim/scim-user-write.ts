/*
 * What one push changes of an existing HR user, decided by the rules pulled users follow
 * (docs/rules.md 7.4): the field ownership of rule 2.4 (an employee profile owns the data once
 * connected), rule 2.8 on the push that first claims an HR user it did not create (HR keeps its
 * values, the pushed ones are remembered), the account status of rules 7.3 and 3.5, and the
 * userSource setting (in 'both', a user the Graph sync linked keeps its HR data from the sync).
 */
import { HR_FIELDS } from '../../domain/hr-field.catalogue.js';
import { decideFieldUpdates, followsEntra, type FieldValue } from '../../domain/ownership.js';
import { decidePushedStatus, type PushAccess, type PushedStatusDecision } from '../../domain/user-source.js';
import { badScim } from '../../scim/scim-error.js';
import type { Resource } from '../../scim/scim-resource.js';
import { SCIM_USER_FIELDS, type ScimUserWrite } from '../../scim/scim-user.mapping.js';
import type { FieldChange } from '../../sync/inbound/apply.ports.js';
import type { ProvisionedChange, ScimIdentity, ScimUserState } from '../ports/scim.port.js';

export interface UserWritePlan {
  change: ProvisionedChange;
  status: PushedStatusDecision;
  /** What changed, for the run history (rule 8.1). */
  changes: FieldChange[];
}

/** The longest userName and externalId kept (the columns' sizes). */
export const MAX_USER_NAME = 320;
export const MAX_EXTERNAL_ID = 256;

export function planUserWrite(state: ScimUserState, write: ScimUserWrite, access: PushAccess): UserWritePlan {
  const changes: FieldChange[] = [];
  // The first push to an HR user it did not create claims it (rule 7.4: matched by e-mail).
  const claim = !state.provisioned;
  const identity: ScimIdentity = {
    userName: write.userName,
    externalId: write.externalId,
    attributes: orNull(write.attributes),
  };
  const identityChanged =
    claim ||
    identity.userName !== state.userName ||
    identity.externalId !== state.externalId ||
    JSON.stringify(identity.attributes) !== JSON.stringify(state.attributes);
  if (claim || identity.userName !== state.userName)
    changes.push({ field: 'userName', old: claim ? null : state.userName, new: identity.userName });
  if (identity.externalId !== state.externalId)
    changes.push({ field: 'externalId', old: state.externalId, new: identity.externalId });
  const change: ProvisionedChange = identityChanged ? { identity } : {};
  if (access !== 'full') return { change, status: { action: 'none' }, changes };

  const decided = decideFieldUpdates({
    hasEmployeeProfile: state.hasEmployeeProfile,
    firstMatch: claim,
    incoming: write.fields as Record<string, FieldValue>,
    current: state.fields as Record<string, FieldValue>,
    owners: state.owners,
    kept: state.kept,
  });
  if (decided.writes.length) {
    change.fields = Object.fromEntries(decided.writes.map((w) => [w.field, w.to as string | null]));
    changes.push(...decided.writes.map((w) => ({ field: w.field, old: w.from, new: w.to })));
  }
  if (JSON.stringify(decided.kept) !== JSON.stringify(state.kept)) change.kept = { ...decided.kept };
  // The manager follows the ownership of the HR field "Manager" (managerEntraId), and is kept on a claim (2.8).
  if (
    !claim &&
    write.managerId !== state.managerId &&
    followsEntra('managerEntraId', state.hasEmployeeProfile, state.owners)
  ) {
    change.managerId = write.managerId;
    changes.push({ field: 'manager', old: state.managerId, new: write.managerId });
  }
  const status =
    write.active === undefined
      ? ({ action: 'none' } as const)
      : decidePushedStatus({ active: state.active, pushed: write.active, employeeArchived: state.employeeArchived });
  return { change, status, changes };
}

/** Values HR could not keep are refused before anything is written ("bad input changes nothing"). */
export function assertStorable(write: ScimUserWrite): void {
  if (write.userName.length > MAX_USER_NAME)
    throw badScim('invalidValue', `userName is longer than ${MAX_USER_NAME} characters`);
  if (write.externalId !== null && write.externalId.length > MAX_EXTERNAL_ID)
    throw badScim('invalidValue', `externalId is longer than ${MAX_EXTERNAL_ID} characters`);
  for (const { field } of SCIM_USER_FIELDS) {
    const value = write.fields[field];
    const max = (HR_FIELDS[field] as { maxLength?: number }).maxLength;
    if (typeof value === 'string' && max !== undefined && value.length > max)
      throw badScim('invalidValue', `${HR_FIELDS[field].scim} is longer than ${max} characters, the most HR keeps`);
  }
}

function orNull(attributes: Resource): Resource | null {
  return Object.keys(attributes).length ? attributes : null;
}
