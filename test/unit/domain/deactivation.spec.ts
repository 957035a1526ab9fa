import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  decideAccountStatus,
  decideMassDeactivation,
  recheckHeldDeactivation,
  type AccountStatusInput,
} from '../../../src/domain/deactivation.js';

const synced: AccountStatusInput = {
  inSyncedGroup: true,
  deletedInEntra: false,
  disabledInEntra: false,
  active: true,
  everSynced: true,
};

describe('recheckHeldDeactivation (3.6 confirm, with 3.2)', () => {
  const gone = { ...synced, inSyncedGroup: false, protectedRole: false };
  it.each<[string, Partial<typeof gone>, boolean, string]>([
    ['still out of every synced group: due', {}, true, 'left-synced-groups'],
    ['back in a synced group since the run was held: not due', { inSyncedGroup: true }, false, 'still-in-synced-group'],
    ['deleted in Entra meanwhile: due with the new reason', { deletedInEntra: true }, true, 'deleted-in-entra'],
    [
      'back in a group but disabled in Entra: due',
      { inSyncedGroup: true, disabledInEntra: true },
      true,
      'disabled-in-entra',
    ],
    ['already deactivated (by hand or another run): not due', { active: false }, false, 'already-inactive'],
    ['never synced, policy switched back to leave-alone: not due', { everSynced: false }, false, 'never-synced'],
    [
      'never synced, policy deactivate: due',
      { everSynced: false, neverSyncedPolicy: 'deactivate' },
      true,
      'not-in-synced-group',
    ],
    [
      'never synced, policy deactivate, but an administrator now: not due',
      { everSynced: false, neverSyncedPolicy: 'deactivate', protectedRole: true },
      false,
      'protected-role',
    ],
  ])('%s', (_name, change, due, reason) => {
    const check = recheckHeldDeactivation({ ...gone, ...change });
    expect(check).toMatchObject({ due, reason });
    if (!check.due) expect(check.text).toMatch(/^Not deactivated at confirm: /);
  });

  it.each<[string, Partial<typeof gone>, string]>([
    [
      'back in a group',
      { inSyncedGroup: true },
      'Not deactivated at confirm: the Entra user is in a synced group again (rule 3.2).',
    ],
    [
      'back in a group after a deactivation by hand',
      { inSyncedGroup: true, active: false },
      'Not deactivated at confirm: the Entra user is in a synced group again (rule 3.2).',
    ],
    ['already inactive', { active: false }, 'Not deactivated at confirm: the HR user is already inactive.'],
    [
      'never synced',
      { everSynced: false },
      'Not deactivated at confirm: the HR user is not managed by the sync under the current settings (rule 3.3).',
    ],
    [
      'an administrator never synced',
      { everSynced: false, neverSyncedPolicy: 'deactivate', protectedRole: true },
      'Not deactivated at confirm: the HR user holds a protected role, which the never-synced policy never deactivates.',
    ],
  ])('says why it is not due: %s', (_name, change, text) => {
    expect(recheckHeldDeactivation({ ...gone, ...change })).toMatchObject({ due: false, text });
  });

  it.each<[string, Partial<typeof gone>, string]>([
    ['a synced administrator who left', { protectedRole: true }, 'left-synced-groups'],
    [
      'an archived employee with a protected role, never synced',
      { protectedRole: true, everSynced: false, employeeArchived: true },
      'employee-archived',
    ],
  ])('a protected role does not save %s', (_name, change, reason) => {
    expect(recheckHeldDeactivation({ ...gone, ...change })).toEqual({ due: true, reason });
  });

  it('is due exactly when the account-status rules would deactivate now', () => {
    const input = fc.record({
      inSyncedGroup: fc.boolean(),
      deletedInEntra: fc.boolean(),
      disabledInEntra: fc.boolean(),
      active: fc.boolean(),
      everSynced: fc.boolean(),
      neverSyncedPolicy: fc.constantFrom('leave-alone', 'deactivate' as const),
      employeeArchived: fc.boolean(),
      protectedRole: fc.constant(false),
    });
    fc.assert(
      fc.property(input, (i) => {
        expect(recheckHeldDeactivation(i).due).toBe(decideAccountStatus(i).action === 'deactivate');
      }),
    );
  });
});

describe('decideAccountStatus', () => {
  it.each<[string, Partial<AccountStatusInput>, string, string]>([
    ['still in a synced group', {}, 'none', 'still-in-synced-group'],
    ['3.1 left every synced group', { inSyncedGroup: false }, 'deactivate', 'left-synced-groups'],
    ['3.1 deleted in Entra', { inSyncedGroup: false, deletedInEntra: true }, 'deactivate', 'deleted-in-entra'],
    ['3.1 disabled in Entra, still in a group', { disabledInEntra: true }, 'deactivate', 'disabled-in-entra'],
    [
      '3.1 already inactive and gone: nothing to do',
      { inSyncedGroup: false, active: false },
      'none',
      'already-inactive',
    ],
    ['3.2 back in a synced group', { active: false }, 'reactivate', 'back-in-synced-group'],
    ['3.2 deactivated by hand in HR while still in a group', { active: false }, 'reactivate', 'back-in-synced-group'],
    [
      '3.2 not reactivated while disabled in Entra',
      { active: false, disabledInEntra: true },
      'none',
      'already-inactive',
    ],
    [
      '3.3 never synced, default policy: left alone',
      { everSynced: false, inSyncedGroup: false },
      'none',
      'never-synced',
    ],
    [
      '3.3 never synced, explicit leave-alone',
      { everSynced: false, inSyncedGroup: false, neverSyncedPolicy: 'leave-alone' },
      'none',
      'never-synced',
    ],
    [
      '3.3 never synced, Entra the only source of truth',
      { everSynced: false, inSyncedGroup: false, neverSyncedPolicy: 'deactivate' },
      'deactivate',
      'not-in-synced-group',
    ],
    [
      '3.3 never synced but in a synced group now (being matched)',
      { everSynced: false },
      'none',
      'still-in-synced-group',
    ],
    [
      '3.4 its group removed from the settings, no other synced group',
      { inSyncedGroup: false },
      'deactivate',
      'left-synced-groups',
    ],
    ['3.5 archived employee, still in a synced group', { employeeArchived: true }, 'deactivate', 'employee-archived'],
    ['3.5 archived employee is not reactivated', { employeeArchived: true, active: false }, 'none', 'already-inactive'],
    [
      '3.5 archived employee never synced',
      { employeeArchived: true, everSynced: false, inSyncedGroup: false },
      'deactivate',
      'employee-archived',
    ],
  ])('%s', (_name, change, action, reason) => {
    expect(decideAccountStatus({ ...synced, ...change })).toEqual({ action, reason });
  });

  it('never deactivates an inactive user nor reactivates an active one', () => {
    const input = fc.record({
      inSyncedGroup: fc.boolean(),
      deletedInEntra: fc.boolean(),
      disabledInEntra: fc.boolean(),
      active: fc.boolean(),
      everSynced: fc.boolean(),
      neverSyncedPolicy: fc.constantFrom('leave-alone', 'deactivate' as const),
      employeeArchived: fc.boolean(),
    });
    fc.assert(
      fc.property(input, (i) => {
        const { action } = decideAccountStatus(i);
        if (i.active) expect(action).not.toBe('reactivate');
        else expect(action).not.toBe('deactivate');
      }),
    );
  });
});

describe('decideMassDeactivation (3.6)', () => {
  it.each<[string, number, number, 'proceed' | 'hold']>([
    ['nothing to deactivate', 100, 0, 'proceed'],
    ['ordinary churn: 5 of 100', 100, 5, 'proceed'],
    ['exactly at the threshold: 10 of 100', 100, 10, 'proceed'],
    ['just above: 11 of 100', 100, 11, 'hold'],
    ['a synced group emptied: 100 of 100', 100, 100, 'hold'],
    ['half of the users', 40, 20, 'hold'],
    ['half of four users', 4, 2, 'hold'],
    ['small tenant: 1 of 5 leaves (a single deactivation never holds)', 5, 1, 'proceed'],
    ['small tenant: 1 of 2 leaves', 2, 1, 'proceed'],
    ['small tenant: 2 of 5 leave', 5, 2, 'hold'],
    ['more than the base counts as all', 3, 5, 'hold'],
    ['no active users, but some to deactivate', 0, 2, 'hold'],
    ['no active users, nothing to deactivate', 0, 0, 'proceed'],
    ['no active users, one to deactivate', 0, 1, 'proceed'],
  ])('%s', (_name, activeUsers, toDeactivate, decision) => {
    expect(decideMassDeactivation({ activeUsers, toDeactivate }).decision).toBe(decision);
  });

  it.each<[string, Parameters<typeof decideMassDeactivation>[0], 'proceed' | 'hold']>([
    ['a higher threshold', { activeUsers: 100, toDeactivate: 20, threshold: 0.25 }, 'proceed'],
    [
      'a decimal threshold compares exactly: 29 of 100 at 0.29',
      { activeUsers: 100, toDeactivate: 29, threshold: 0.29 },
      'proceed',
    ],
    ['a larger minimum count', { activeUsers: 20, toDeactivate: 5, minimumCount: 5 }, 'proceed'],
    [
      'a zero minimum count holds a single deactivation above the share',
      { activeUsers: 5, toDeactivate: 1, minimumCount: 0 },
      'hold',
    ],
    [
      'threshold 0: any run with more than the minimum holds',
      { activeUsers: 1000, toDeactivate: 2, threshold: 0 },
      'hold',
    ],
    ['threshold 1: never holds', { activeUsers: 10, toDeactivate: 10, threshold: 1 }, 'proceed'],
    ['one above a larger minimum count', { activeUsers: 20, toDeactivate: 6, minimumCount: 5 }, 'hold'],
    ['not confirmed', { activeUsers: 10, toDeactivate: 10, confirmed: false }, 'hold'],
    [
      'threshold 0, minimum 0, nothing to deactivate',
      { activeUsers: 0, toDeactivate: 0, threshold: 0, minimumCount: 0 },
      'proceed',
    ],
  ])('settings: %s', (_name, input, decision) => {
    expect(decideMassDeactivation(input).decision).toBe(decision);
  });

  it.each<[string, Parameters<typeof decideMassDeactivation>[0]]>([
    ['nothing to deactivate', { activeUsers: 10, toDeactivate: 0 }],
    ['a share within the threshold', { activeUsers: 100, toDeactivate: 5 }],
    ['no more than the minimum count', { activeUsers: 5, toDeactivate: 1 }],
  ])('proceeds within the threshold: %s', (_name, input) => {
    expect(decideMassDeactivation(input)).toEqual({ decision: 'proceed', reason: 'within-threshold' });
  });

  it('proceeds once an admin has confirmed, saying so', () => {
    expect(decideMassDeactivation({ activeUsers: 10, toDeactivate: 10, confirmed: true })).toEqual({
      decision: 'proceed',
      reason: 'confirmed-by-admin',
    });
  });

  it('explains a hold', () => {
    expect(decideMassDeactivation({ activeUsers: 40, toDeactivate: 20 })).toEqual({
      decision: 'hold',
      reason: 'above-threshold',
      text: 'The run would deactivate 20 of 40 active users (50%, above 10%); it waits for an admin to confirm (rule 3.6).',
    });
  });

  it('gives the shares to a tenth of a percent', () => {
    expect(decideMassDeactivation({ activeUsers: 3, toDeactivate: 2, threshold: 0.125 })).toMatchObject({
      text: 'The run would deactivate 2 of 3 active users (66.7%, above 12.5%); it waits for an admin to confirm (rule 3.6).',
    });
    expect(decideMassDeactivation({ activeUsers: 0, toDeactivate: 3 })).toMatchObject({
      text: expect.stringContaining('3 of 0 active users (100%, above 10%)'),
    });
  });

  it.each<[Parameters<typeof decideMassDeactivation>[0], string]>([
    [{ activeUsers: -1, toDeactivate: 0 }, 'activeUsers must be a non-negative integer, got -1'],
    [{ activeUsers: 10, toDeactivate: 0.5 }, 'toDeactivate must be a non-negative integer, got 0.5'],
    [{ activeUsers: 10, toDeactivate: 1, minimumCount: 1.5 }, 'minimumCount must be a non-negative integer, got 1.5'],
    [{ activeUsers: 10, toDeactivate: 1, threshold: -0.1 }, 'threshold must be between 0 and 1, got -0.1'],
    [{ activeUsers: 10, toDeactivate: 1, threshold: 1.01 }, 'threshold must be between 0 and 1, got 1.01'],
  ])('says what is wrong with %j', (input, message) => {
    expect(() => decideMassDeactivation(input)).toThrow(new RangeError(message));
  });

  it.each([
    [{ activeUsers: -1, toDeactivate: 0 }],
    [{ activeUsers: 1.5, toDeactivate: 0 }],
    [{ activeUsers: 10, toDeactivate: Number.NaN }],
    [{ activeUsers: 10, toDeactivate: 1, threshold: 1.5 }],
    [{ activeUsers: 10, toDeactivate: 1, threshold: Number.NaN }],
    [{ activeUsers: 10, toDeactivate: 1, minimumCount: -1 }],
  ])('refuses nonsense input %j', (input) => {
    expect(() => decideMassDeactivation(input)).toThrow(RangeError);
  });
});
