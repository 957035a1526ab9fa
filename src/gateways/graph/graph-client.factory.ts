import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { ConcurrencyLimiter } from './concurrency.limiter.js';
import type { ResolvedGraphConnectionOptions } from './graph-connection.options.js';
import { toSdkPassthrough } from './graph-error.mapper.js';
import { GraphGatewayError } from './graph-gateway.error.js';
import { GraphRetryMiddleware } from './graph-retry.middleware.js';
import type { GraphTokenProvider } from './graph-token.provider.js';

/**
 * The Graph SDK client with its default chain (Authentication → Retry → Redirect → Telemetry →
 * HTTP, src/middleware/MiddlewareFactory.ts), except that our GraphRetryMiddleware stands where
 * the SDK's RetryHandler would (see there why).
 *
 * `baseUrl` carries no version segment and `customHosts` holds the bare hostname of a non-Microsoft
 * Graph host: otherwise paths double up as /v1.0/v1.0, or requests silently go out without a
 * bearer token (`customHosts`,
 * https://github.com/microsoftgraph/msgraph-sdk-javascript/blob/dev/changelogs/v3-upgrade-guide.md;
 * test/integration/emulator/graph-sdk.spec.ts).
 */
export function createGraphClient(options: ResolvedGraphConnectionOptions, tokens: GraphTokenProvider): Client {
  const retry = new GraphRetryMiddleware({
    maxRetries: options.maxRetries,
    maxTotalRetryWaitMs: options.maxTotalRetryWaitMs,
    sleep: options.sleep,
    now: options.now,
    logger: options.logger,
    limiter: new ConcurrencyLimiter(options.concurrency),
    refreshToken: async () => {
      try {
        return (await tokens.getToken({ skipCache: true })).token;
      } catch (error) {
        throw error instanceof GraphGatewayError ? toSdkPassthrough(error) : error;
      }
    },
  });
  return Client.initWithMiddleware({
    middleware: [
      new AuthenticationHandler(tokens.asAuthenticationProvider()),
      retry,
      new RedirectHandler(new RedirectHandlerOptions()),
      new TelemetryHandler(),
      new HTTPMessageHandler(),
    ],
    baseUrl: options.graphBaseUrl,
    defaultVersion: 'v1.0',
    ...(options.customHosts ? { customHosts: options.customHosts } : {}),
  });
}
