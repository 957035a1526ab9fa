import { describe, expect, it } from '@jest/globals';
import { invitationMessage, invitationRefusal } from '../../../src/domain/invitation.js';

describe('invitations (rule 8.4)', () => {
  it.each<[{ active: boolean } | undefined, string | null]>([
    [undefined, 'not-found'],
    [{ active: false }, 'inactive'],
    [{ active: true }, null],
  ])('refuses %j with %s', (user, reason) => {
    expect(invitationRefusal(user)).toBe(reason);
  });

  it('greets by name and puts the sign-in link on a line of its own', () => {
    const message = invitationMessage({ name: 'Nina Newcomer' }, 'https://hr.contoso.com/');
    expect(message.subject).toBe('You are invited to sign in to HR');
    const lines = message.text.split('\n');
    expect(lines).toEqual([
      'Hello Nina Newcomer,',
      '',
      'Your organisation now keeps your HR profile, calendars and requests in one place.',
      'Sign in with your work account (Microsoft) here:',
      '',
      'https://hr.contoso.com/',
      '',
      'If you did not expect this e-mail, you can ignore it.',
    ]);
  });

  it('greets without a name when HR has none', () => {
    expect(invitationMessage({ name: null }, 'https://hr.contoso.com/').text.split('\n')[0]).toBe('Hello,');
  });
});
