/**
 * E-mail invitations to sign in to the web app (docs/rules.md §8.4). Pure: who may be invited and
 * what the message says.
 */

export const INVITATION_STATUSES = ['pending', 'sent', 'failed'] as const;
/** 'pending': due, not sent yet; 'sent': the mail server took it; 'failed': it refused (sent again when asked). */
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/** Why an HR user the admin picked cannot be invited. */
export type InvitationRefusal = 'not-found' | 'inactive';

export interface InvitationCandidate {
  active: boolean;
}

/** Null when the user can be invited; a deactivated user cannot sign in, so is not invited. */
export function invitationRefusal(user: InvitationCandidate | undefined): InvitationRefusal | null {
  if (!user) return 'not-found';
  return user.active ? null : 'inactive';
}

export interface InvitationMessage {
  subject: string;
  text: string;
}

/** The invitation e-mail: plain text, the sign-in link on a line of its own so every mail client links it. */
export function invitationMessage(to: { name: string | null }, signInUrl: string): InvitationMessage {
  const greeting = to.name ? `Hello ${to.name},` : 'Hello,';
  return {
    subject: 'You are invited to sign in to HR',
    text: [
      greeting,
      '',
      'Your organisation now keeps your HR profile, calendars and requests in one place.',
      'Sign in with your work account (Microsoft) here:',
      '',
      signInUrl,
      '',
      'If you did not expect this e-mail, you can ignore it.',
    ].join('\n'),
  };
}
