import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../application/app-error.js';
import type { CredentialSealer } from '../../application/connection-credential.js';
import type { EntraSignIn } from '../../application/entra-connection.ports.js';
import type { SessionPrincipal } from '../../application/ports/web-session.port.js';
import {
  PENDING_SIGN_IN_MS,
  WebSignInService,
  type NewSession,
  type PendingSignIn,
} from '../../application/web-sign-in.service.js';
import { cookie, readCookie } from '../cookies.js';
import { errorHandler } from '../middleware/error-handler.js';
import { parse, parseForeign } from '../validation.js';
import { csrfTokenMatches, sessionCookieName, sessionToken, type WebSessionSettings } from '../web-session.js';
import { noStore, type Surface, type SurfaceKit } from './surface.js';

export const WEB_SESSION_PATH = '/auth';
const CALLBACK = `${WEB_SESSION_PATH}/callback`;

const localBody = z.strictObject({ token: z.string().min(16).max(512) });
// Entra's answer: other parameters (session_state, client_info...) come along and are ignored.
const callbackQuery = z.looseObject({
  code: z.string().max(4096).optional(),
  state: z.string().max(512).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(2048).optional(),
});

/**
 * Signing in to the web app, at /auth: "Sign in with Microsoft" (GET /auth/sign-in, then Entra's
 * answer at GET /auth/callback), the bootstrap administrator's token (POST /auth/local), the
 * current session with its CSRF token (GET /auth/session) and sign-out (POST /auth/sign-out).
 * Sessions are server-side (web_session); the cookie is HttpOnly, SameSite=Lax, Secure over HTTPS.
 * While the person is at Entra, the PKCE verifier, state and nonce wait in a sealed (AES-256-GCM)
 * cookie of ten minutes, bound to this browser.
 */
export function webSessionSurface(options: {
  kit: SurfaceKit;
  settings: WebSessionSettings;
  signIn: () => EntraSignIn | null;
  sealer: CredentialSealer;
}): Surface {
  const { settings, sealer } = options;
  const pendingCookie = settings.secure ? '__Secure-ehc_sign_in' : 'ehc_sign_in';
  const service = (req: Request) =>
    new WebSignInService({
      repos: req.context.repos,
      signIn: options.signIn(),
      sessionLifetimeMs: settings.lifetimeMs,
    });
  const setSession = (res: Response, session: NewSession) =>
    res.append(
      'Set-Cookie',
      cookie(sessionCookieName(settings), session.token, {
        path: '/',
        maxAgeSeconds: settings.lifetimeMs / 1000,
        secure: settings.secure,
        sameSite: 'Lax',
      }),
    );
  const clearPending = (res: Response) =>
    res.append(
      'Set-Cookie',
      cookie(pendingCookie, '', { path: WEB_SESSION_PATH, maxAgeSeconds: 0, secure: settings.secure, sameSite: 'Lax' }),
    );

  const router = Router();
  router.use(options.kit.rateLimit, options.kit.withEntityManager, noStore);

  router.get('/sign-in', async (req, res) => {
    const returnTo = appPath(req.query.returnTo);
    try {
      const { url, pending } = await service(req).start(`${settings.publicUrl()}${CALLBACK}`, returnTo);
      res.append(
        'Set-Cookie',
        cookie(pendingCookie, sealer.seal(JSON.stringify(pending)), {
          path: WEB_SESSION_PATH,
          maxAgeSeconds: PENDING_SIGN_IN_MS / 1000,
          secure: settings.secure,
          sameSite: 'Lax',
        }),
      );
      res.redirect(302, url);
    } catch (error) {
      backToApp(req, res, error);
    }
  });

  router.get('/callback', async (req, res) => {
    clearPending(res);
    try {
      const answer = parseForeign(callbackQuery, req.query, 'query');
      const pending = openPending(readCookie(req.headers.cookie, pendingCookie), sealer);
      const session = await service(req).complete(pending, {
        code: answer.code,
        state: answer.state,
        error: answer.error,
        errorDescription: answer.error_description,
      });
      setSession(res, session);
      req.log.info({ userId: session.hrUserId }, 'signed in with Microsoft');
      res.redirect(302, pending?.returnTo ?? '/');
    } catch (error) {
      backToApp(req, res, error);
    }
  });

  router.post('/local', express.json({ limit: '4kb' }), async (req, res) => {
    if (!settings.localSignIn)
      throw new AppError(
        'forbidden',
        'Signing in with the administrator token is switched off (LOCAL_SIGN_IN)',
        undefined,
        {
          signInError: 'local-off',
        },
      );
    if (!req.is('application/json'))
      throw new AppError('unsupported_media_type', 'Send the token as JSON: {"token": "..."}');
    const { token } = parse(localBody, req.body ?? {}, 'body');
    const session = await service(req).localSignIn(token.trim());
    setSession(res, session);
    req.log.info({ userId: session.hrUserId }, 'the bootstrap administrator signed in');
    res.json(sessionView(await service(req).current(session.token), settings, options.signIn() !== null));
  });

  router.get('/session', async (req, res) => {
    const token = sessionToken(req, settings);
    const principal = token ? await service(req).current(token) : null;
    res.json(sessionView(principal, settings, options.signIn() !== null));
  });

  router.post('/sign-out', async (req, res) => {
    const token = sessionToken(req, settings);
    const principal = token ? await service(req).current(token) : null;
    if (token && principal) {
      if (!csrfTokenMatches(req, principal.csrfToken))
        throw new AppError('forbidden', "This page's security token is missing or out of date: reload the page");
      await service(req).signOut(token, principal.userId);
    }
    res.append(
      'Set-Cookie',
      cookie(sessionCookieName(settings), '', {
        path: '/',
        maxAgeSeconds: 0,
        secure: settings.secure,
        sameSite: 'Lax',
      }),
    );
    res.status(204).end();
  });

  router.use((req, _res, next) =>
    next(new AppError('not_found', `No route for ${req.method} ${req.baseUrl}${req.path}`)),
  );
  router.use(errorHandler);
  return { name: 'web sessions', path: WEB_SESSION_PATH, router };
}

/** Who is signed in (null for nobody), the session's CSRF token, and the ways to sign in. */
function sessionView(principal: SessionPrincipal | null, settings: WebSessionSettings, microsoft: boolean) {
  return {
    user: principal
      ? {
          id: principal.userId,
          email: principal.email,
          displayName: principal.displayName,
          roles: principal.roles,
          isAdmin: principal.isAdmin,
          signedInWith: principal.method,
        }
      : null,
    csrfToken: principal?.csrfToken ?? null,
    expiresAt: principal?.expiresAt ?? null,
    signInOptions: { microsoft, local: settings.localSignIn },
  };
}

/** Only a path of this app (one leading slash): an open redirect to another site is never followed. */
function appPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(value) && value.length <= 512 ? value : '/';
}

function openPending(sealed: string | null, sealer: CredentialSealer): PendingSignIn | null {
  if (!sealed) return null;
  try {
    return JSON.parse(sealer.open(sealed)) as PendingSignIn;
  } catch {
    return null;
  }
}

/** A failed browser sign-in goes back to the app, which names the problem in words (`?signInError=`). */
function backToApp(req: Request, res: Response, error: unknown): void {
  const code = error instanceof AppError ? (error.extensions?.signInError as string | undefined) : undefined;
  req.log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'sign-in failed');
  res.redirect(302, `/?signInError=${encodeURIComponent(code ?? 'unreachable')}`);
}
