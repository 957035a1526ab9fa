import { describe, expect, it } from '@jest/globals';
import type { HrCandidate, MirrorUser, RunSettings } from '../../../src/sync/inbound/apply.ports.js';
import { planUserPage } from '../../../src/sync/inbound/user-page.planner.js';

const settings: RunSettings = {
  syncedGroupIds: ['staff'],
  followNestedGroups: true,
  neverSyncedPolicy: 'leave-alone',
  guardThreshold: 0.1,
  roleSync: false,
  attributeMapping: [],
  fieldOwners: {},
  roleMapping: {},
  protectedRoleIds: [],
  roleNames: {},
};

const entra = (properties: Record<string, unknown> = {}): MirrorUser => ({
  entraId: 'e-casey',
  removed: null,
  manager: null,
  groups: ['staff'],
  properties: {
    givenName: 'Casey',
    surname: 'Jones',
    displayName: 'Casey Jones',
    mail: 'Kasey@Contoso.com',
    accountEnabled: true,
    jobTitle: 'Analyst',
    ...properties,
  },
});

const hrValues = { firstName: 'Kasey', lastName: 'Jones', displayName: 'Kasey Jones', jobTitle: null };
const existing = (change: Partial<HrCandidate> = {}): HrCandidate => ({
  id: 'hr-kasey',
  email: 'kasey@contoso.com',
  entraId: null,
  active: true,
  origin: 'hr',
  hasEmployeeProfile: false,
  employeeArchived: false,
  roleIds: [],
  roleSyncState: null,
  values: hrValues,
  kept: {},
  ...change,
});

/** Rule 2.8 through the page planner, run after run, as the apply stage feeds it. */
describe('planUserPage, rule 2.8 across runs', () => {
  it('links on the e-mail match, writes no field, and remembers the Entra values HR kept its own over', () => {
    const plan = planUserPage([entra()], [existing()], settings);
    expect(plan.updates).toEqual([
      expect.objectContaining({
        id: 'hr-kasey',
        values: {},
        linkEntraId: 'e-casey',
        reactivate: false,
        kept: { firstName: 'Casey', displayName: 'Casey Jones', jobTitle: 'Analyst' },
      }),
    ]);
    expect(plan.outcomes).toEqual([
      expect.objectContaining({ outcome: 'updated', changes: [{ field: 'entraId', old: null, new: 'e-casey' }] }),
    ]);
  });

  const linked = existing({
    entraId: 'e-casey',
    kept: { firstName: 'Casey', displayName: 'Casey Jones', jobTitle: 'Analyst' },
  });

  it('changes nothing in a later run that looks at the user again while Entra has not changed the kept fields', () => {
    expect(planUserPage([entra()], [linked], settings)).toMatchObject({ updates: [], outcomes: [], deactivations: [] });
  });

  it('takes a kept field once Entra changes it, and keeps the other kept fields', () => {
    const plan = planUserPage([entra({ givenName: 'Kacey' })], [linked], settings);
    expect(plan.updates).toEqual([
      expect.objectContaining({
        values: { firstName: 'Kacey' },
        kept: { displayName: 'Casey Jones', jobTitle: 'Analyst' },
      }),
    ]);
    expect(plan.outcomes).toEqual([
      expect.objectContaining({ outcome: 'updated', changes: [{ field: 'firstName', old: 'Kasey', new: 'Kacey' }] }),
    ]);
  });

  it('reactivates without touching the kept fields', () => {
    const plan = planUserPage([entra()], [{ ...linked, active: false }], settings);
    expect(plan.updates).toEqual([expect.objectContaining({ values: {}, reactivate: true, kept: undefined })]);
  });

  it('keeps the memory when the user is gone from Entra, and changes nothing but the account status', () => {
    const plan = planUserPage([{ ...entra(), removed: 'deleted' }], [linked], settings);
    expect(plan.updates).toEqual([]);
    expect(plan.deactivations).toEqual([expect.objectContaining({ hrUserId: 'hr-kasey', reason: 'deleted-in-entra' })]);
  });
});
