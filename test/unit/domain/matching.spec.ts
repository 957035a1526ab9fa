import { describe, expect, it } from '@jest/globals';
import {
  looksLikeEmail,
  matchEntraUser,
  matchEntraUsers,
  normaliseEmail,
  type HrUserIdentity,
} from '../../../src/domain/matching.js';
import { rows } from '../../support/each-rows.js';

describe('normaliseEmail (the key of the unique index on lower(email))', () => {
  it.each([
    ['Megan.Bowen@Contoso.com', 'megan.bowen@contoso.com'],
    ['  ray@contoso.com \t', 'ray@contoso.com'],
    ['ALREADY@LOWER.COM', 'already@lower.com'],
    ['', null],
    ['   ', null],
    [null, null],
    [undefined, null],
  ])('%j -> %j', (input, expected) => {
    expect(normaliseEmail(input)).toBe(expected);
  });
});

describe('looksLikeEmail', () => {
  it.each([
    ['megan@contoso.com', true],
    ['megan@contoso.onmicrosoft.com', true],
    ['megan', false],
    ['megan@contoso', false],
    ['me gan@contoso.com', false],
    ['a@b@c.com', false],
    ['megan@contoso.com@evil', false],
    ['@contoso.com', false],
    ['megan@.com', false],
    ['megan@contoso.', false],
    ['  megan@contoso.com ', true],
  ])('%s -> %s', (value, expected) => {
    expect(looksLikeEmail(value)).toBe(expected);
  });
});

const hr = (hrUserId: string, email: string, entraId: string | null = null): HrUserIdentity => ({
  hrUserId,
  email,
  entraId,
});

describe('matchEntraUser (rule 2.2)', () => {
  it.each(
    rows([
      [
        'linked by Entra object id',
        { entraId: 'e1', email: 'megan@contoso.com' },
        [hr('h1', 'megan@contoso.com', 'e1')],
        { kind: 'linked', hrUserId: 'h1' },
      ],
      [
        'linked by id although the e-mail changed in Entra',
        { entraId: 'e1', email: 'megan.b@fabrikam.com' },
        [hr('h1', 'megan@contoso.com', 'e1')],
        { kind: 'linked', hrUserId: 'h1' },
      ],
      [
        'the id link wins over another HR user with the e-mail',
        { entraId: 'e1', email: 'x@contoso.com' },
        [hr('h2', 'x@contoso.com'), hr('h1', 'megan@contoso.com', 'e1')],
        { kind: 'linked', hrUserId: 'h1' },
      ],
      [
        'matched by e-mail, case-insensitively',
        { entraId: 'e1', email: 'Megan@Contoso.COM' },
        [hr('h1', 'megan@contoso.com')],
        { kind: 'matched-by-email', hrUserId: 'h1' },
      ],
      [
        'matched by e-mail across verified domains only when identical',
        { entraId: 'e1', email: 'megan@fabrikam.com' },
        [hr('h1', 'megan@contoso.com')],
        { kind: 'new' },
      ],
      ['no HR user: new', { entraId: 'e1', email: 'new@contoso.com' }, [], { kind: 'new' }],
      [
        'no e-mail: new (creation reports it)',
        { entraId: 'e1', email: null },
        [hr('h1', 'megan@contoso.com')],
        { kind: 'new' },
      ],
    ]),
  )('%s', (_name, incoming, hrUsers, expected) => {
    expect(matchEntraUser(incoming, hrUsers)).toEqual(expected);
  });

  it.each(
    rows([
      [
        'the HR user with the e-mail is linked to another Entra user',
        [hr('h1', 'megan@contoso.com', 'e9')],
        'email-linked-to-other-entra-user',
      ],
      [
        'several HR users share the e-mail (legacy data)',
        [hr('h1', 'megan@contoso.com'), hr('h2', 'MEGAN@contoso.com')],
        'several-hr-users-with-email',
      ],
    ]),
  )('conflict: %s', (_name, hrUsers, reason) => {
    expect(matchEntraUser({ entraId: 'e1', email: 'megan@contoso.com' }, hrUsers)).toMatchObject({
      kind: 'conflict',
      reason,
    });
  });
});

describe('matchEntraUsers: one run', () => {
  it('two incoming users whose e-mails differ only in case: the second is reported, not created', () => {
    const results = matchEntraUsers(
      [
        { entraId: 'e1', email: 'megan@contoso.com' },
        { entraId: 'e2', email: 'Megan@Contoso.com' },
      ],
      [],
    );
    expect(results[0]).toEqual({ kind: 'new' });
    expect(results[1]).toMatchObject({
      kind: 'conflict',
      reason: 'duplicate-email-in-run',
      text: expect.stringContaining('megan@contoso.com'),
    });
  });

  it('the second of two case-twins is reported also when the first matches an HR user', () => {
    const results = matchEntraUsers(
      [
        { entraId: 'e1', email: 'MEGAN@contoso.com' },
        { entraId: 'e2', email: 'megan@contoso.com' },
      ],
      [hr('h1', 'megan@contoso.com')],
    );
    expect(results.map((r) => r.kind)).toEqual(['matched-by-email', 'conflict']);
  });

  it('a linked user keeps its e-mail even when an unlinked one comes first in the run', () => {
    const results = matchEntraUsers(
      [
        { entraId: 'e2', email: 'megan@contoso.com' },
        { entraId: 'e1', email: 'megan@contoso.com' },
      ],
      [hr('h1', 'megan@contoso.com', 'e1')],
    );
    expect(results[0]).toMatchObject({ kind: 'conflict', reason: 'duplicate-email-in-run' });
    expect(results[1]).toEqual({ kind: 'linked', hrUserId: 'h1' });
  });

  it('the same Entra user twice in a run: only its first occurrence counts', () => {
    const results = matchEntraUsers(
      [
        { entraId: 'e1', email: 'a@contoso.com' },
        { entraId: 'e1', email: 'a@contoso.com' },
      ],
      [],
    );
    expect(results[0]).toEqual({ kind: 'new' });
    expect(results[1]).toMatchObject({ kind: 'conflict', reason: 'duplicate-entra-user-in-run' });
  });

  it('the same linked Entra user twice in a run', () => {
    const results = matchEntraUsers(
      [
        { entraId: 'e1', email: 'a@contoso.com' },
        { entraId: 'e1', email: 'a@contoso.com' },
      ],
      [hr('h1', 'a@contoso.com', 'e1')],
    );
    expect(results.map((r) => r.kind)).toEqual(['linked', 'conflict']);
  });

  it('users without e-mail never collide with each other', () => {
    const results = matchEntraUsers(
      [
        { entraId: 'e1', email: null },
        { entraId: 'e2', email: '  ' },
      ],
      [],
    );
    expect(results).toEqual([{ kind: 'new' }, { kind: 'new' }]);
  });

  it('keeps the order of the incoming users', () => {
    const results = matchEntraUsers(
      [
        { entraId: 'e3', email: 'c@contoso.com' },
        { entraId: 'e1', email: 'a@contoso.com' },
        { entraId: 'e2', email: 'B@contoso.com' },
      ],
      [hr('h1', 'a@contoso.com', 'e1'), hr('h2', 'b@contoso.com')],
    );
    expect(results).toEqual([
      { kind: 'new' },
      { kind: 'linked', hrUserId: 'h1' },
      { kind: 'matched-by-email', hrUserId: 'h2' },
    ]);
  });
});

describe('matchEntraUsers: what a conflict says', () => {
  const conflictOf = (incoming: { entraId: string; email: string | null }[], hrUsers: HrUserIdentity[]) =>
    matchEntraUsers(incoming, hrUsers).at(-1);

  it.each(
    rows([
      [
        'the same Entra user twice',
        [
          { entraId: 'e1', email: 'a@contoso.com' },
          { entraId: 'e1', email: 'other@contoso.com' },
        ],
        [],
        'duplicate-entra-user-in-run',
        'Entra user e1 appears more than once in this run; only its first occurrence was synced.',
      ],
      [
        'the same Entra user twice without an e-mail',
        [
          { entraId: 'e1', email: null },
          { entraId: 'e1', email: null },
        ],
        [],
        'duplicate-entra-user-in-run',
        'Entra user e1 appears more than once in this run; only its first occurrence was synced.',
      ],
      [
        'an e-mail taken by another Entra user of the run',
        [
          { entraId: 'e1', email: 'a@contoso.com' },
          { entraId: 'e2', email: ' A@Contoso.com' },
        ],
        [],
        'duplicate-email-in-run',
        'Another Entra user in this run has the e-mail a@contoso.com (compared case-insensitively, rule 2.2); Entra user e2 was not synced.',
      ],
      [
        'an HR user with the e-mail linked to another Entra user',
        [{ entraId: 'e1', email: 'a@contoso.com' }],
        [hr('h1', 'a@contoso.com', 'e9')],
        'email-linked-to-other-entra-user',
        'The HR user with the e-mail a@contoso.com is already linked to another Entra user (e9); Entra user e1 was not synced.',
      ],
      [
        'several HR users with the e-mail',
        [{ entraId: 'e1', email: 'a@contoso.com' }],
        [hr('h1', 'a@contoso.com'), hr('h2', 'a@contoso.com', 'e9')],
        'several-hr-users-with-email',
        'Several HR users have the e-mail a@contoso.com; Entra user e1 cannot be matched to one of them (rule 2.2).',
      ],
    ]),
  )('%s', (_name, incoming, hrUsers, reason, text) => {
    expect(conflictOf(incoming, hrUsers)).toEqual({ kind: 'conflict', reason, text });
  });

  it('a linked user whose e-mail another unlinked user of the run has: the unlinked one is reported', () => {
    const results = matchEntraUsers(
      [
        { entraId: 'e1', email: 'new@contoso.com' },
        { entraId: 'e2', email: 'new@contoso.com' },
      ],
      [hr('h1', 'old@contoso.com', 'e1'), hr('h2', 'new@contoso.com')],
    );
    expect(results[0]).toEqual({ kind: 'linked', hrUserId: 'h1' });
    expect(results[1]).toMatchObject({ kind: 'conflict', reason: 'duplicate-email-in-run' });
  });

  it('an HR user without a usable e-mail is matched by its link only', () => {
    expect(matchEntraUsers([{ entraId: 'e1', email: 'a@contoso.com' }], [hr('h1', '  ')])).toEqual([{ kind: 'new' }]);
  });
});
