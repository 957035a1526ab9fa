import { X509Certificate, createHash } from 'node:crypto';
import type { EmulatorContext } from '../emulator-context.js';
import { aadError } from './aad-error.js';
import type { AadErrorResponse } from './aad-error.js';
import { thumbprintBytes } from './app-registry.js';
import type { EmulatorClient } from './app-registry.js';
import { decodeJwt, verifyJwtSignature } from './jwt.js';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface CredentialInput {
  clientId: string;
  secret?: string;
  assertionType?: string;
  assertion?: string;
  tokenEndpoint: string;
  correlationId?: string;
}

/**
 * Checks a client secret or a certificate assertion
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow,
 * https://learn.microsoft.com/entra/identity-platform/certificate-credentials).
 */
export function checkClientCredential(
  ctx: EmulatorContext,
  client: EmulatorClient,
  input: CredentialInput,
): { ok: true; method: 'secret' | 'certificate' } | { ok: false; error: AadErrorResponse } {
  const fail = (code: number, text: string): { ok: false; error: AadErrorResponse } => ({
    ok: false,
    error: aadError(401, 'invalid_client', code, text, ctx.now(), input.correlationId),
  });
  if (input.secret !== undefined) {
    if (client.clientSecret !== undefined && input.secret === client.clientSecret)
      return { ok: true, method: 'secret' };
    return fail(
      7000215,
      'Invalid client secret provided. Ensure the secret being sent in the request is the client secret ' +
        `value, not the client secret ID, for a secret added to app '${client.clientId}'.`,
    );
  }
  if (input.assertion !== undefined && input.assertionType === ASSERTION_TYPE) {
    const problem = assertionProblem(ctx, client, input);
    return problem === undefined ? { ok: true, method: 'certificate' } : fail(problem.code, problem.text);
  }
  return fail(7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
}

function assertionProblem(
  ctx: EmulatorContext,
  client: EmulatorClient,
  input: CredentialInput,
): { code: number; text: string } | undefined {
  const jwt = decodeJwt(input.assertion as string);
  if (!jwt) return { code: 50027, text: 'JWT token is invalid or malformed.' };
  const { header, payload } = jwt;
  const x5t = header['x5t#S256'];
  const registered = client.certificateThumbprintSha256;
  if (
    typeof x5t !== 'string' ||
    registered === undefined ||
    !thumbprintBytes(registered).equals(Buffer.from(x5t, 'base64url'))
  ) {
    return {
      code: 700027,
      text: `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${String(x5t)}']`,
    };
  }
  const pem = client.certificatePem ?? certificateFromX5c(header['x5c'], registered);
  if (pem !== undefined && !verifyJwtSignature(jwt, new X509Certificate(pem).publicKey)) {
    return { code: 700027, text: 'Client assertion failed signature validation.' };
  }
  if (payload['iss'] !== client.clientId || payload['sub'] !== client.clientId) {
    return { code: 700023, text: 'Client assertion audience claim does not match Realm issuer.' };
  }
  const aud = String(payload['aud'] ?? '');
  if (aud.split('?')[0] !== input.tokenEndpoint) {
    return {
      code: 700021,
      text: `Client assertion audience claim does not match Realm issuer. Review the documentation at https://aka.ms/certCredentials. Expected: ${input.tokenEndpoint}. Received: ${aud}`,
    };
  }
  const nowSeconds = Math.floor(ctx.now() / 1000);
  if (typeof payload['exp'] !== 'number' || payload['exp'] < nowSeconds - 300) {
    return { code: 700024, text: 'Client assertion is not within its valid time range.' };
  }
  return undefined;
}

/** MSAL may send the certificate in `x5c`; use it only when it is the registered one. */
function certificateFromX5c(x5c: unknown, registered: string): Buffer | undefined {
  const first = Array.isArray(x5c) ? x5c[0] : x5c;
  if (typeof first !== 'string') return undefined;
  const der = Buffer.from(first.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  if (!createHash('sha256').update(der).digest().equals(thumbprintBytes(registered))) return undefined;
  return der;
}
