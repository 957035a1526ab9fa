import type { InvitationRefusal, InvitationStatus } from '../../domain/invitation.js';

/** An invitation as the admin sees it. */
export interface InvitationView {
  hrUserId: string;
  email: string;
  displayName: string | null;
  status: InvitationStatus;
  requestedAt: string;
  /** The admin who asked for it; null when it was sent because the user was created while invitations were on. */
  requestedBy: string | null;
  sentAt: string | null;
  sendCount: number;
  lastError: string | null;
  signedInAt: string | null;
}

export interface InvitationFilter {
  status?: InvitationStatus[];
  /** Part of the e-mail address or name, case-insensitive. */
  search?: string;
  /** The page after this one (newest requestedAt first, then HR user id): its last row's cursor. */
  after?: { requestedAt: string; hrUserId: string };
  /** Rows to read: the service asks for one more than it shows. */
  limit: number;
}

/** An invitation to send now, with whom it greets. */
export interface DueInvitation {
  hrUserId: string;
  email: string;
  name: string | null;
}

export interface InvitationOutcome {
  hrUserId: string;
  /** null when the mail server took it. */
  error: string | null;
}

/** Invitations in the database (gateways/db): one row per HR user ever invited. */
export interface InvitationRepository {
  /**
   * Makes an invitation due for every active HR user created since invitations were last switched
   * on who has none yet; how many. Nothing while invitations are off.
   */
  requestForNewUsers(): Promise<number>;
  /**
   * Makes the invitations of these HR users due (again, when one was sent before); the others are
   * returned with why they cannot be invited.
   */
  request(
    hrUserIds: string[],
    actorId: string,
  ): Promise<{ requested: string[]; refused: Array<{ hrUserId: string; reason: InvitationRefusal }> }>;
  /** Up to `limit` due invitations, oldest first, of users still active. */
  due(limit: number): Promise<DueInvitation[]>;
  /** Records what the mail server said, in one statement. */
  settle(outcomes: InvitationOutcome[]): Promise<void>;
  /** The first sign-in after an invitation (nothing when the user was never invited). */
  recordSignIn(hrUserId: string): Promise<void>;
  list(filter: InvitationFilter): Promise<InvitationView[]>;
}
