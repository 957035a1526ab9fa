import type { Principal } from './api-token.port.js';

/** How a person signed in to the web app. */
export type SignInMethod = 'entra' | 'local';

/** Who a live web session belongs to, with what the app needs to protect its writes. */
export interface SessionPrincipal extends Principal {
  sessionId: string;
  /** The synchronizer token every state-changing request of the session must carry (X-CSRF-Token). */
  csrfToken: string;
  displayName: string | null;
  method: SignInMethod;
  expiresAt: string;
}

/** The HR user an Entra sign-in belongs to, found by object id, then by e-mail. */
export interface SignInCandidate {
  id: string;
  email: string;
  active: boolean;
  entraId: string | null;
}

/**
 * Web sessions, stored server-side: the browser holds a random token in an HttpOnly cookie, the
 * table only its SHA-256. A session of a deactivated HR user opens nothing.
 */
export interface WebSessionRepository {
  create(session: {
    hrUserId: string;
    tokenHash: string;
    csrfToken: string;
    method: SignInMethod;
    expiresAt: Date;
  }): Promise<void>;
  /** The active HR user behind an unexpired session, with its roles; records the use. Null otherwise. */
  findPrincipal(tokenHash: string): Promise<SessionPrincipal | null>;
  /** Ends the session (sign-out); nothing when there is none. */
  delete(tokenHash: string): Promise<void>;
  /** Forgets expired sessions; how many. */
  deleteExpired(): Promise<number>;
  /**
   * The HR user linked to this Entra object id; else the one with this e-mail (case-insensitive)
   * that is linked to no Entra user yet; null when neither exists.
   */
  findSignInUser(entraId: string, email: string | null): Promise<SignInCandidate | null>;
}
