import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_USER_SOURCE,
  PULL_REFUSED,
  PUSH_REFUSED,
  USER_SOURCES,
  decidePushedStatus,
  pullRuns,
  pushAccess,
  type PushAccess,
  type UserSource,
} from '../../../src/domain/user-source.js';

describe('the userSource setting (rule 7.5)', () => {
  it('is pull, push or both, pull unless an administrator says otherwise', () => {
    expect(USER_SOURCES).toEqual(['pull', 'push', 'both']);
    expect(DEFAULT_USER_SOURCE).toBe('pull');
  });

  it.each<[UserSource, boolean | null, PushAccess]>([
    ['pull', null, 'refused'],
    ['pull', false, 'refused'],
    ['pull', true, 'refused'],
    ['push', null, 'full'],
    ['push', false, 'full'],
    // With push alone the Graph sync does not run, so a link it made once gives it nothing.
    ['push', true, 'full'],
    ['both', null, 'full'],
    ['both', false, 'full'],
    // The Graph sync wins for the users it linked: a push keeps only what SCIM itself needs.
    ['both', true, 'identity-only'],
  ])('with %s, a push to a user linked by the pull (%s; null: a new user) has %s access', (source, linked, access) => {
    expect(pushAccess(source, linked === null ? null : { linkedByPull: linked })).toBe(access);
  });

  it.each<[UserSource, boolean]>([
    ['pull', true],
    ['both', true],
    ['push', false],
  ])('with %s the Graph sync runs: %s', (source, runs) => {
    expect(pullRuns(source)).toBe(runs);
  });

  it('tells an administrator which setting refuses the request and how to change it', () => {
    expect(PUSH_REFUSED).toContain('userSource = pull');
    expect(PUSH_REFUSED).toContain('push or both');
    expect(PULL_REFUSED).toContain('userSource = push');
    expect(PULL_REFUSED).toContain('pull or both');
  });
});

describe('decidePushedStatus (rules 7.3, 3.5)', () => {
  it.each<[string, boolean, boolean | 'deleted', boolean, ReturnType<typeof decidePushedStatus>]>([
    [
      'a DELETE deactivates an active user',
      true,
      'deleted',
      false,
      { action: 'deactivate', reason: 'deleted-in-provisioning' },
    ],
    ['a DELETE of an inactive user changes nothing', false, 'deleted', false, { action: 'none' }],
    [
      'a DELETE of an archived employee is a deletion',
      true,
      'deleted',
      true,
      { action: 'deactivate', reason: 'deleted-in-provisioning' },
    ],
    ['active false deactivates', true, false, false, { action: 'deactivate', reason: 'inactive-in-provisioning' }],
    [
      'active false of an archived employee is the push',
      true,
      false,
      true,
      { action: 'deactivate', reason: 'inactive-in-provisioning' },
    ],
    ['active false of an inactive user changes nothing', false, false, false, { action: 'none' }],
    ['active true reactivates', false, true, false, { action: 'reactivate' }],
    ['active true of an active user changes nothing', true, true, false, { action: 'none' }],
    ['active true leaves an archived employee inactive', false, true, true, { action: 'none' }],
    [
      'an archived employee still active is deactivated',
      true,
      true,
      true,
      { action: 'deactivate', reason: 'employee-archived' },
    ],
  ])('%s', (_name, active, pushed, employeeArchived, decision) => {
    expect(decidePushedStatus({ active, pushed, employeeArchived })).toEqual(decision);
  });
});
