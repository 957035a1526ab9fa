import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ClientAuthError, ServerError } from '@azure/msal-node';
import { GraphError } from '@microsoft/microsoft-graph-client';
import {
  mapGraphHttpFailure,
  mapGraphSdkError,
  mapTokenError,
  toSdkPassthrough,
} from '../../../src/gateways/graph/graph-error.mapper.js';
import { GraphGatewayError, type GraphRoute } from '../../../src/gateways/graph/graph-gateway.error.js';
import { rows } from '../../support/each-rows.js';

interface ErrorCase {
  name: string;
  status: number;
  route: GraphRoute;
  body: unknown;
  headers?: Record<string, string>;
  onTokenUrl?: boolean;
  onPremisesSynced?: boolean;
  expect: { kind: string; code: string; missingPermission?: string; requestId?: string; retryAfterMs?: number };
}

const cases = JSON.parse(readFileSync(new URL('./fixtures/graph-errors.json', import.meta.url), 'utf8')) as ErrorCase[];

describe('mapGraphHttpFailure (status first, then Graph error code; never message text)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const error = mapGraphHttpFailure(
      { status: c.status, body: c.body, headers: c.headers },
      { route: c.route, onTokenUrl: c.onTokenUrl, onPremisesSynced: c.onPremisesSynced, nowMs: 0 },
    );
    expect(error).toBeInstanceOf(GraphGatewayError);
    expect(error.kind).toBe(c.expect.kind);
    expect(error.code).toBe(c.expect.code);
    expect(error.status).toBe(c.status);
    expect(error.route).toEqual(c.route);
    if (c.expect.missingPermission) expect(error.missingPermission).toBe(c.expect.missingPermission);
    if (c.expect.requestId) expect(error.requestId).toBe(c.expect.requestId);
    if (c.expect.retryAfterMs !== undefined) expect(error.retryAfterMs).toBe(c.expect.retryAfterMs);
  });
});

describe('mapGraphSdkError', () => {
  const route = { method: 'GET', path: '/users' };

  it('reads a GraphError built by the SDK from a response', () => {
    const sdkError = new GraphError(403, 'Insufficient privileges to complete the operation.');
    sdkError.code = 'Authorization_RequestDenied';
    sdkError.requestId = 'rid-1';
    sdkError.body = JSON.stringify({ code: 'Authorization_RequestDenied', message: 'Insufficient privileges' });
    const error = mapGraphSdkError(sdkError, { route });
    expect(error.kind).toBe('permission-missing');
    expect(error.missingPermission).toBe('User.Read.All');
    expect(error.requestId).toBe('rid-1');
  });

  it('treats a fetch failure wrapped by the SDK (status -1, TypeError) as retryable', () => {
    const sdkError = new GraphError(-1, 'fetch failed');
    sdkError.code = 'TypeError';
    expect(mapGraphSdkError(sdkError, { route })).toMatchObject({ kind: 'retryable', code: 'ConnectionFailed' });
  });

  it('unwraps an already classified error carried through the SDK', () => {
    const inner = new GraphGatewayError({
      kind: 'auth-failed',
      code: 'AADSTS7000215',
      graphMessage: 'x',
      authFailure: 'secret-invalid',
    });
    expect(mapGraphSdkError(toSdkPassthrough(inner), { route })).toBe(inner);
  });

  it('calls anything else fatal', () => {
    expect(mapGraphSdkError(new RangeError('boom'), { route }).kind).toBe('fatal');
  });
});

describe('mapTokenError (MSAL ServerError codes and AADSTS numbers)', () => {
  const server = (code: string, number: string | undefined, status: number) =>
    new ServerError(
      code,
      'corr',
      `Error(s): ${number} - Timestamp: t - Description: AADSTS${number}: text.\r\nTrace ID: x - Correlation ID: corr`,
      undefined,
      number,
      status,
    );

  it.each(
    rows([
      ['invalid_client', '7000215', 401, 'secret-invalid'],
      ['invalid_client', '7000222', 401, 'secret-expired'],
      ['invalid_client', '7000218', 401, 'credential-missing'],
      ['unauthorized_client', '700016', 400, 'client-not-found'],
      ['invalid_request', '90002', 400, 'tenant-not-found'],
      ['invalid_client', '700027', 401, 'certificate-invalid'],
      ['invalid_client', undefined, 401, 'secret-invalid'],
    ]),
  )('%s %s (HTTP %s) → %s', (code, number, status, failure) => {
    const error = mapTokenError(server(code, number, status));
    expect(error.kind).toBe('auth-failed');
    expect(error.authFailure).toBe(failure);
    expect(error.code).toBe(number ? `AADSTS${number}` : code);
    expect(error.graphMessage).toBe(`AADSTS${number}: text.`);
  });

  it('calls a 5xx from the token endpoint retryable', () => {
    expect(mapTokenError(server('server_error', '50000', 503)).kind).toBe('retryable');
  });

  it('names an endpoints resolution failure as an unreachable authority or unknown tenant', () => {
    const error = mapTokenError(new ClientAuthError('endpoints_resolution_error', 'corr'));
    expect(error).toMatchObject({
      kind: 'auth-failed',
      authFailure: 'authority-unreachable',
      code: 'endpoints_resolution_error',
    });
  });
});
