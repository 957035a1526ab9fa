import { describe, expect, it } from '@jest/globals';
import { mailNicknameOf, newEntraUser, type NewUserInput } from '../../../src/domain/write-back-create.js';

describe('mailNicknameOf (rule 4.2)', () => {
  it.each([
    ['the e-mail local part as it is', 'jean.dupont@contoso.com', 'jean.dupont'],
    ['the part before the last @', 'a@b@contoso.com', 'ab'],
    ['accents taken off the letters', 'José.Núñez@contoso.com', 'Jose.Nunez'],
    ['what an alias may not hold left out', 'ann (hr) lee+x@contoso.com', 'annhrleex'],
    ["what an alias may hold kept: ' . - _ ! # ^ ~", "o'neil-_!#^~x@contoso.com", "o'neil-_!#^~x"],
    ['runs of dots made one', 'ann...lee@contoso.com', 'ann.lee'],
    ['no dot at either end', '.ann.lee.@contoso.com', 'ann.lee'],
    ['a dot left at an end once the refused characters go', '(.ann.)@contoso.com', 'ann'],
    ['the whole text when there is no @', 'ann.lee', 'ann.lee'],
  ])('%s', (_case, email, nickname) => {
    expect(mailNicknameOf(email, 'First', 'Last')).toBe(nickname);
  });

  it('is at most 64 characters, with no dot at the end once cut', () => {
    expect(mailNicknameOf(`${'a'.repeat(70)}@contoso.com`, null, null)).toBe('a'.repeat(64));
    expect(mailNicknameOf(`${'a'.repeat(63)}.bcd@contoso.com`, null, null)).toBe('a'.repeat(63));
    expect(mailNicknameOf(`${'a'.repeat(62)}.bcd@contoso.com`, null, null)).toBe(`${'a'.repeat(62)}.b`);
  });

  it('is the names joined by a dot when the local part leaves nothing', () => {
    expect(mailNicknameOf('@contoso.com', 'Ann', 'Lee')).toBe('Ann.Lee');
    expect(mailNicknameOf('(+)@contoso.com', 'Ann Marie', 'Lée')).toBe('AnnMarie.Lee');
    expect(mailNicknameOf('@contoso.com', null, 'Lee')).toBe('Lee');
    expect(mailNicknameOf('@contoso.com', 'Ann', null)).toBe('Ann');
  });

  it("is 'user' when neither the e-mail nor the names leave anything", () => {
    expect(mailNicknameOf('@contoso.com', null, null)).toBe('user');
    expect(mailNicknameOf('()@contoso.com', '(', ' ')).toBe('user');
  });
});

describe('newEntraUser (rule 4.2)', () => {
  const input = (extra: Partial<NewUserInput> = {}): NewUserInput => ({
    email: 'ann.lee@hr.example',
    firstName: 'Ann',
    lastName: 'Lee',
    displayName: 'Ann Lee (HR)',
    domain: 'contoso.com',
    password: 'pw-1',
    ...extra,
  });

  it('is the body Graph requires, enabled, with a password to change at first sign-in', () => {
    expect(newEntraUser(input())).toEqual({
      accountEnabled: true,
      displayName: 'Ann Lee (HR)',
      givenName: 'Ann',
      surname: 'Lee',
      mailNickname: 'ann.lee',
      userPrincipalName: 'ann.lee@contoso.com',
      passwordProfile: { forceChangePasswordNextSignIn: true, password: 'pw-1' },
    });
  });

  it('sends the permitted fields along, and never lets them replace what Graph requires', () => {
    const body = newEntraUser(
      input({ properties: { jobTitle: 'Nurse', accountEnabled: false, userPrincipalName: 'x@evil.example' } }),
    );
    expect(body).toMatchObject({ jobTitle: 'Nurse', accountEnabled: true, userPrincipalName: 'ann.lee@contoso.com' });
  });

  it('trims the names and leaves out a blank one', () => {
    const body = newEntraUser(input({ firstName: '  Ann ', lastName: '   ', displayName: null }));
    expect(body).toMatchObject({ displayName: 'Ann', givenName: 'Ann' });
    expect(body).not.toHaveProperty('surname');
    const noFirst = newEntraUser(input({ firstName: '  ', lastName: ' Lee ', displayName: null }));
    expect(noFirst).toMatchObject({ displayName: 'Lee', surname: 'Lee' });
    expect(noFirst).not.toHaveProperty('givenName');
  });

  it('shows the display name trimmed, else the names, else the mail nickname', () => {
    expect(newEntraUser(input({ displayName: '  Dr Ann Lee ' })).displayName).toBe('Dr Ann Lee');
    expect(newEntraUser(input({ displayName: '   ', firstName: ' Ann ', lastName: 'Lee' })).displayName).toBe(
      'Ann Lee',
    );
    expect(newEntraUser(input({ displayName: null, firstName: null, lastName: ' ' })).displayName).toBe('ann.lee');
  });
});
