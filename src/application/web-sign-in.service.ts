import { randomBytes } from 'node:crypto';
import { hashToken } from '../domain/bearer-token.js';
import { AppError } from './app-error.js';
import { SignInError, type EntraSignIn, type SignInFailure } from './entra-connection.ports.js';
import type { Repositories } from './ports/repositories.port.js';
import type { SessionPrincipal, SignInMethod } from './ports/web-session.port.js';

/** What the browser keeps (sealed) between "Sign in with Microsoft" and Entra's answer. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  /** The app path to show after signing in. */
  returnTo: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** A new session: the token goes into the cookie, only its hash into the database. */
export interface NewSession {
  token: string;
  expiresAt: Date;
  hrUserId: string;
}

/**
 * Why a sign-in failed, as the web app names it to the person (src/web/src/sign-in-errors.ts):
 * carried as the problem's `signInError` and as `/?signInError=` after a redirect.
 */
export type SignInProblem =
  | 'not-connected'
  | 'expired'
  | 'denied'
  | 'refused'
  | 'no-hr-user'
  | 'inactive'
  | 'unreachable'
  | 'local-refused'
  | 'local-off';

export const PENDING_SIGN_IN_MS = 10 * 60_000;

const problem = (code: SignInProblem, detail: string) =>
  new AppError('unauthorized', detail, undefined, { signInError: code });

const FAILURES: Record<SignInFailure, SignInProblem> = {
  'state-mismatch': 'expired',
  'nonce-mismatch': 'refused',
  'code-refused': 'refused',
  'token-invalid': 'refused',
  unreachable: 'unreachable',
};

/**
 * Signing people in to the web app: "Sign in with Microsoft" for people of the connected tenant,
 * mapped to their HR user by Entra object id, then e-mail (docs/graph.md §12.4); and the bootstrap
 * administrator's token for the first set-up. Sessions live in the database (web_session).
 */
export class WebSignInService {
  constructor(
    private readonly deps: {
      repos: Repositories;
      signIn: EntraSignIn | null;
      sessionLifetimeMs: number;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  async start(redirectUri: string, returnTo: string): Promise<{ url: string; pending: PendingSignIn }> {
    const signIn = this.deps.signIn;
    if (!signIn)
      throw problem('not-connected', 'No Entra tenant is connected yet, so nobody can sign in with Microsoft');
    const started = await signIn.start(redirectUri).catch((error: unknown) => {
      throw problem('unreachable', error instanceof Error ? error.message : 'Entra could not be reached');
    });
    const { url, ...expected } = started;
    return { url, pending: { ...expected, redirectUri, returnTo, expiresAt: this.now() + PENDING_SIGN_IN_MS } };
  }

  /** Entra's answer at the redirect URI: a code (or an error), checked against the pending sign-in. */
  async complete(
    pending: PendingSignIn | null,
    answer: { code?: string; state?: string; error?: string; errorDescription?: string },
  ): Promise<NewSession> {
    if (answer.error)
      throw problem('denied', `Microsoft did not sign you in: ${answer.error} ${answer.errorDescription ?? ''}`.trim());
    if (!pending || pending.expiresAt <= this.now() || !answer.code || !answer.state)
      throw problem('expired', 'The sign-in was not started in this browser, or took longer than 10 minutes');
    const signIn = this.deps.signIn;
    if (!signIn) throw problem('not-connected', 'The Entra connection was removed during the sign-in');
    const person = await signIn
      .complete({ code: answer.code, returnedState: answer.state, redirectUri: pending.redirectUri, expected: pending })
      .catch((error: unknown) => {
        if (error instanceof SignInError) throw problem(FAILURES[error.failure], error.message);
        throw error;
      });
    const user = await this.deps.repos.webSessions.findSignInUser(person.oid, person.email);
    if (!user) throw problem('no-hr-user', `No HR user belongs to ${person.email ?? person.oid}`);
    if (!user.active) throw problem('inactive', `The HR user ${user.email} is deactivated`);
    return this.open(user.id, 'entra', { oid: person.oid });
  }

  /** The bootstrap administrator signs in with the configured administrator token (ADMIN_TOKEN). */
  async localSignIn(token: string): Promise<NewSession> {
    const tokens = this.deps.repos.apiTokens;
    const known = await tokens.findByHash(hashToken(token));
    const principal = known?.bootstrap && known.status === 'active' ? await tokens.findPrincipal(token, 'api') : null;
    if (!principal?.isAdmin)
      throw problem('local-refused', 'That is not the configured administrator token, or it was revoked');
    return this.open(principal.userId, 'local', {});
  }

  async current(token: string): Promise<SessionPrincipal | null> {
    return this.deps.repos.webSessions.findPrincipal(hashToken(token));
  }

  async signOut(token: string, actorId: string): Promise<void> {
    await this.deps.repos.transaction(async (tx) => {
      await tx.webSessions.delete(hashToken(token));
      await tx.audit.record([
        { actorId, action: 'web.sign-out', target: `hr-user:${actorId}`, oldValue: null, newValue: null },
      ]);
    });
  }

  private async open(hrUserId: string, method: SignInMethod, detail: Record<string, unknown>): Promise<NewSession> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.now() + this.deps.sessionLifetimeMs);
    await this.deps.repos.transaction(async (tx) => {
      await tx.webSessions.deleteExpired();
      await tx.webSessions.create({
        hrUserId,
        tokenHash: hashToken(token),
        csrfToken: randomBytes(32).toString('base64url'),
        method,
        expiresAt,
      });
      // The admin sees who signed in after their invitation (docs/rules.md §8.4).
      await tx.invitations.recordSignIn(hrUserId);
      await tx.audit.record([
        {
          actorId: hrUserId,
          action: 'web.sign-in',
          target: `hr-user:${hrUserId}`,
          oldValue: null,
          newValue: { method, ...detail },
        },
      ]);
    });
    return { token, expiresAt, hrUserId };
  }
}
