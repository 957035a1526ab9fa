import { AuthError, ConfidentialClientApplication, CryptoProvider, ServerError } from '@azure/msal-node';
import {
  SignInError,
  type EntraSignIn,
  type SignInStart,
  type VerifiedSignIn,
} from '../../application/entra-connection.ports.js';
import type { ResolvedGraphConnectionOptions } from './graph-connection.options.js';
import { buildMsalConfiguration } from './graph-token.provider.js';
import type { GraphSession } from './graph.session.js';
import { IdTokenError, IdTokenVerifier } from './id-token.verifier.js';

/** The scopes of the sign-in: MSAL adds openid, profile and offline_access; email asks for the e-mail claim. */
const SCOPES = ['email'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * "Sign in with Microsoft" through MSAL Node's ConfidentialClientApplication, with the connection's
 * own app registration and credential: getAuthCodeUrl with PKCE (S256), state and nonce, then
 * acquireTokenByCode, which checks the state and the nonce; the ID token's signature and claims are
 * checked here (docs/graph.md §12.4).
 */
export class EntraSignInGateway implements EntraSignIn {
  private readonly app: ConfidentialClientApplication;
  private readonly crypto = new CryptoProvider();
  private readonly verifier: IdTokenVerifier;

  constructor(session: GraphSession) {
    const options: ResolvedGraphConnectionOptions = session.options;
    this.app = new ConfidentialClientApplication(buildMsalConfiguration(options));
    this.verifier = new IdTokenVerifier({
      authority: options.authority,
      authorityHost: options.authorityHost,
      clientId: options.clientId,
      tenantId: GUID.test(options.tenantId) ? options.tenantId : null,
      now: options.now,
    });
  }

  async start(redirectUri: string): Promise<SignInStart> {
    const pkce = await this.crypto.generatePkceCodes();
    const state = this.crypto.createNewGuid();
    const nonce = this.crypto.createNewGuid();
    const url = await this.app
      .getAuthCodeUrl({
        scopes: SCOPES,
        redirectUri,
        state,
        nonce,
        codeChallenge: pkce.challenge,
        codeChallengeMethod: 'S256',
        prompt: 'select_account',
      })
      .catch((error: unknown) => {
        throw new SignInError('unreachable', `The sign-in address could not be made: ${messageOf(error)}`);
      });
    return { url, state, nonce, codeVerifier: pkce.verifier };
  }

  async complete(answer: {
    code: string;
    returnedState: string;
    redirectUri: string;
    expected: Omit<SignInStart, 'url'>;
  }): Promise<VerifiedSignIn> {
    const { code, expected } = answer;
    let idToken: string;
    try {
      const result = await this.app.acquireTokenByCode(
        {
          code,
          redirectUri: answer.redirectUri,
          scopes: SCOPES,
          codeVerifier: expected.codeVerifier,
          state: expected.state,
          nonce: expected.nonce,
        },
        { code, state: answer.returnedState },
      );
      idToken = result.idToken;
    } catch (error) {
      throw toSignInError(error);
    }
    try {
      const claims = await this.verifier.verify(idToken);
      return {
        oid: String(claims['oid']).toLowerCase(),
        tid: String(claims['tid']),
        email: emailOf(claims),
        name: typeof claims['name'] === 'string' ? claims['name'] : null,
      };
    } catch (error) {
      if (error instanceof IdTokenError) throw new SignInError('token-invalid', error.message);
      throw new SignInError('unreachable', messageOf(error));
    }
  }
}

function emailOf(claims: Record<string, unknown>): string | null {
  for (const name of ['email', 'preferred_username']) {
    const value = claims[name];
    if (typeof value === 'string' && /^[^@\s]+@[^@\s]+$/.test(value)) return value;
  }
  return null;
}

function toSignInError(error: unknown): SignInError {
  if (error instanceof ServerError)
    return new SignInError('code-refused', `Entra refused the sign-in: ${firstLine(error.errorMessage)}`);
  if (error instanceof AuthError) {
    if (error.errorCode === 'state_mismatch')
      return new SignInError('state-mismatch', 'The answer does not belong to the sign-in this browser started');
    if (error.errorCode === 'nonce_mismatch')
      return new SignInError('nonce-mismatch', "The ID token's nonce is not the one this sign-in sent");
    return new SignInError('unreachable', `${error.errorCode}: ${firstLine(error.errorMessage)}`);
  }
  return new SignInError('unreachable', messageOf(error));
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/)[0] ?? '').slice(0, 300);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? firstLine(error.message) : 'unknown error';
}
