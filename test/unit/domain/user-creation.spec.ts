import { describe, expect, it } from '@jest/globals';
import { applyAttributeMapping } from '../../../src/domain/attribute-mapping.js';
import { decideUserCreation, type CreationSkipReason } from '../../../src/domain/user-creation.js';

const megan = {
  id: 'e1',
  givenName: 'Megan',
  surname: 'Bowen',
  displayName: 'Megan Bowen',
  mail: 'Megan@contoso.com',
  userPrincipalName: 'megan@contoso.onmicrosoft.com',
  accountEnabled: true,
};
const decide = (entra: Record<string, unknown>) => decideUserCreation(applyAttributeMapping(entra));

describe('decideUserCreation (rule 2.3)', () => {
  it('creates an active HR user from a complete Entra user', () => {
    const decision = decide(megan);
    expect(decision).toMatchObject({
      create: true,
      user: {
        fields: { entraId: 'e1', firstName: 'Megan', lastName: 'Bowen', email: 'Megan@contoso.com', active: true },
      },
    });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['uses the user principal name when there is no mail', { mail: null }, { email: 'megan@contoso.onmicrosoft.com' }],
    ['builds a display name from the names when Entra has none', { displayName: '  ' }, { displayName: 'Megan Bowen' }],
    ['treats a missing account flag as enabled', { accountEnabled: undefined }, { active: true }],
  ])('%s', (_name, change, expected) => {
    expect(decide({ ...megan, ...change })).toMatchObject({ create: true, user: { fields: expected } });
  });

  it.each<[string, Record<string, unknown>, CreationSkipReason, RegExp]>([
    ['no given name', { givenName: null }, 'missing-name', /has no given name; given name and surname are required/],
    [
      'no surname',
      { surname: ' ' },
      'missing-name',
      /has no surname; given name and surname are required \(rule 2\.3\)/,
    ],
    ['neither name', { givenName: '', surname: null }, 'missing-name', /has no given name and no surname/],
    [
      'no mail, and a principal name that is not an address',
      { mail: null, userPrincipalName: 'megan' },
      'missing-email',
      /neither a mail address nor a user principal name/,
    ],
    [
      'no mail, and a guest principal name',
      { mail: null, userPrincipalName: 'megan_fabrikam.com#EXT#@contoso.onmicrosoft.com' },
      'missing-email',
      /neither/,
    ],
    ['a mail that is not an address', { mail: 'megan at contoso' }, 'invalid-email', /not an e-mail address/],
    ['disabled in Entra', { accountEnabled: false }, 'disabled-in-entra', /disabled in Entra/],
    ['no object id', { id: undefined }, 'missing-entra-id', /no Entra object id/],
  ])('skips a user with %s, saying why', (_name, change, reason, text) => {
    const decision = decide({ ...megan, ...change });
    expect(decision).toMatchObject({ create: false, reason });
    if (!decision.create) expect(decision.text).toMatch(text);
  });

  it('names the user in the reason', () => {
    const decision = decide({ ...megan, surname: null });
    expect(decision.create ? '' : decision.text).toContain('Entra user "Megan Bowen" (e1)');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['by display name and id', {}, 'Entra user "Megan Bowen" (e1) was not created'],
    [
      'by e-mail when it has no display name',
      { displayName: null },
      'Entra user "Megan@contoso.com" (e1) was not created',
    ],
    [
      'by id alone when it has neither',
      { displayName: null, mail: null, userPrincipalName: null },
      'Entra user "e1" was not created',
    ],
    ['without an id when it has none', { id: undefined }, 'Entra user "Megan Bowen" has no Entra object id'],
    [
      'as unknown when it has nothing',
      { id: undefined, displayName: null, mail: null, userPrincipalName: null },
      'Entra user "unknown" has no Entra object id',
    ],
  ])('names the user %s', (_name, change, text) => {
    const decision = decide({ ...megan, surname: null, ...change });
    expect(decision.create ? '' : decision.text).toContain(text);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'no surname',
      { surname: null },
      'Entra user "Megan Bowen" (e1) was not created: it has no surname; given name and surname are required (rule 2.3).',
    ],
    [
      'no e-mail',
      { mail: null, userPrincipalName: null },
      'Entra user "Megan Bowen" (e1) was not created: it has neither a mail address nor a user principal name that is an e-mail address.',
    ],
    [
      'an invalid e-mail',
      { mail: 'megan at contoso' },
      'Entra user "Megan Bowen" (e1) was not created: "megan at contoso" is not an e-mail address.',
    ],
    [
      'a disabled account',
      { accountEnabled: false },
      'Entra user "Megan Bowen" (e1) was not created: the account is disabled in Entra (rule 3.1).',
    ],
    [
      'no object id',
      { id: null },
      'Entra user "Megan Bowen" has no Entra object id, so it cannot be linked (rule 2.2).',
    ],
  ])('says in full why it skips a user with %s', (_name, change, text) => {
    expect(decide({ ...megan, ...change })).toMatchObject({ create: false, text });
  });

  it('creates the user with every mapped field, the e-mail trimmed', () => {
    const mapped = applyAttributeMapping({ ...megan, jobTitle: 'Lead' });
    const decision = decideUserCreation({ ...mapped, fields: { ...mapped.fields, email: ' megan@contoso.com ' } });
    expect(decision).toEqual({
      create: true,
      user: {
        fields: { ...mapped.fields, jobTitle: 'Lead', email: 'megan@contoso.com', active: true },
        custom: {},
      },
    });
  });

  it('keeps the custom fields', () => {
    const mapped = applyAttributeMapping({ ...megan, costCenter: 'CC-7' }, [
      { source: 'costCenter', target: 'costCenter' },
    ]);
    expect(decideUserCreation(mapped)).toMatchObject({ create: true, user: { custom: { costCenter: 'CC-7' } } });
  });
});
