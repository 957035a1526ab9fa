import { describe, expect, it } from '@jest/globals';
import { protectedLookAlike, roleNameSkeleton } from '../../../src/domain/role-name.js';

describe('role names that pass for a protected role', () => {
  it.each([
    ['a Cyrillic A', '\u0410dministrator'],
    ['a Cyrillic o and a Greek iota', 'Administrat\u043er'.replace('i', '\u03b9')],
    ['a soft hyphen', 'Admin\u00adistrator'],
    ['a zero-width space', 'Admini\u200bstrator'],
    ['a zero-width joiner and a variation selector', 'Adm\u200dinistrator\ufe0f'],
    ['another case', 'ADMINISTRATOR'],
    ['full-width letters', '\uff21\uff44\uff4d\uff49\uff4e\uff49\uff53\uff54\uff52\uff41\uff54\uff4f\uff52'],
    ['mathematical letters (NFKC)', '\ud835\udc00dministrator'],
    ['rn for m', 'Adrninistrator'],
    ['a digit zero for o', 'Administrat0r'],
    ['a capital I for l, in another protected name', 'Globa1 Admin'],
    ['spaces around and inside', '  Global   Admin '],
    ['vv for w', 'Ovvner'],
    ['cl for d', 'Aclministrator'],
    ['a digit one for i', 'Adm1n1strator'],
    ['a bar for l', 'Globa| Admin'],
    ['a tab between the words', 'Global\tAdmin'],
  ])('refuses %s', (_what, name) => {
    expect(protectedLookAlike(name, ['Administrator', 'Global Admin', 'Owner'])).not.toBeNull();
  });

  it.each([
    ['an ordinary role', 'Manager'],
    ['a longer name that contains it', 'Administrator assistant'],
    ['a name with a visible hyphen', 'Admin-istrator'],
    ['letters of other scripts that look like nothing Latin', '\u7ba1\u7406\u8005'],
    ['the plural', 'Administrators'],
    ['the words run together', 'GlobalAdmin'],
  ])('accepts %s', (_what, name) => {
    expect(protectedLookAlike(name, ['Administrator', 'Global Admin'])).toBeNull();
  });

  it('does not call a protected role a look-alike of itself', () => {
    expect(protectedLookAlike('Administrator', ['Administrator'])).toBeNull();
  });

  it('names the protected role the name passes for', () => {
    expect(protectedLookAlike('\u0410dministrator', ['Auditor', 'Administrator'])).toBe('Administrator');
  });

  it('gives equal skeletons for look-alikes and different ones otherwise', () => {
    expect(roleNameSkeleton('\u0410dmin\u00adistrator')).toBe(roleNameSkeleton('administrator'));
    expect(roleNameSkeleton('Employee')).not.toBe(roleNameSkeleton('Employer'));
  });
});
