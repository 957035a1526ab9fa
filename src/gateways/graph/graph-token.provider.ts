import { ConfidentialClientApplication, LogLevel, type Configuration } from '@azure/msal-node';
import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import type { ResolvedGraphConnectionOptions } from './graph-connection.options.js';
import { mapTokenError, toSdkPassthrough } from './graph-error.mapper.js';
import { GraphGatewayError } from './graph-gateway.error.js';

export interface AccessToken {
  token: string;
  expiresOn: Date | null;
}

export interface GetTokenOptions {
  /**
   * Ask Entra for a new token instead of MSAL's cached one. Test connection needs it: roles an
   * admin has just granted only appear in a newly issued token (the `roles` claim,
   * https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference), and MSAL
   * hands out its cached token until shortly before it expires.
   */
  skipCache?: boolean;
}

/**
 * App-only tokens for Graph through MSAL's ConfidentialClientApplication (client credentials flow,
 * secret or certificate). MSAL keeps tokens in memory and hands out the cached one until 300 s
 * before expiry. Failures come out as GraphGatewayError (kind auth-failed or retryable).
 */
export class GraphTokenProvider {
  private readonly app: ConfidentialClientApplication;
  private readonly scope: string;

  constructor(private readonly options: ResolvedGraphConnectionOptions) {
    this.app = new ConfidentialClientApplication(buildMsalConfiguration(options));
    this.scope = options.scope;
  }

  async getToken(request: GetTokenOptions = {}): Promise<AccessToken> {
    try {
      const result = await this.app.acquireTokenByClientCredential({
        scopes: [this.scope],
        skipCache: request.skipCache ?? false,
      });
      if (!result?.accessToken) throw new Error('MSAL returned no access token');
      return { token: result.accessToken, expiresOn: result.expiresOn ?? null };
    } catch (error) {
      const mapped = mapTokenError(error);
      this.options.logger.warn({ err: mapped.toLogObject() }, 'Graph token request failed');
      throw mapped;
    }
  }

  /** The adapter the Graph SDK's AuthenticationHandler calls before each request. */
  asAuthenticationProvider(): AuthenticationProvider {
    return {
      getAccessToken: async () => {
        try {
          return (await this.getToken()).token;
        } catch (error) {
          throw error instanceof GraphGatewayError ? toSdkPassthrough(error) : error;
        }
      },
    };
  }
}

export function buildMsalConfiguration(options: ResolvedGraphConnectionOptions): Configuration {
  const credential =
    options.credential.kind === 'secret'
      ? { clientSecret: options.credential.clientSecret }
      : {
          clientCertificate: {
            thumbprintSha256: options.credential.thumbprintSha256,
            privateKey: options.credential.privateKeyPem,
          },
        };
  const logger = options.logger;
  return {
    auth: {
      clientId: options.clientId,
      authority: options.authority,
      // A host MSAL has no cloud metadata for must be listed (as host:port) or MSAL asks
      // login.microsoftonline.com to discover it (`knownAuthorities`,
      // https://github.com/AzureAD/microsoft-authentication-library-for-js/blob/dev/lib/msal-node/docs/configuration.md;
      // test/integration/emulator/token-endpoint.spec.ts runs MSAL against a local host).
      knownAuthorities: options.knownAuthorities,
      authorityMetadata: JSON.stringify(entraEndpointMetadata(options.authority)),
      ...credential,
    },
    system: {
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (level, message, containsPii) => {
          if (containsPii) return;
          if (level === LogLevel.Error) logger.error({ msal: message }, 'MSAL');
          else logger.debug({ msal: message }, 'MSAL');
        },
      },
    },
  };
}

/**
 * The tenant's OpenID endpoints, from the fixed Entra pattern `{authority}/oauth2/v2.0/...`
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow). Handing them to
 * MSAL (`authorityMetadata`,
 * https://github.com/AzureAD/microsoft-authentication-library-for-js/blob/dev/lib/msal-common/docs/performance.md)
 * saves the discovery round trip and, more usefully, lets an unknown tenant reach the token endpoint and come
 * back as AADSTS90002 (named plainly) instead of MSAL's catch-all endpoints_resolution_error
 * (test/integration/graph/graph-gateway.connection.spec.ts).
 */
export function entraEndpointMetadata(authority: string): Record<string, string> {
  return {
    issuer: `${authority}/v2.0`,
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    jwks_uri: `${authority}/discovery/v2.0/keys`,
  };
}
