import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ClientAuthError, ServerError } from '@azure/msal-node';
import { GraphClientError, GraphError } from '@microsoft/microsoft-graph-client';
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
  expect: {
    kind: string;
    code: string;
    graphMessage?: string;
    missingPermission?: string;
    requestId?: string;
    retryAfterMs?: number;
  };
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
    // Absent from a case means absent from the error.
    expect(error.missingPermission).toBe(c.expect.missingPermission);
    expect(error.requestId).toBe(c.expect.requestId);
    expect(error.retryAfterMs).toBe(c.expect.retryAfterMs);
    if (c.expect.graphMessage !== undefined) expect(error.graphMessage).toBe(c.expect.graphMessage);
  });

  const route = { method: 'GET', path: '/users' };

  it('calls a success whose answer was cut retryable: what was asked may be done (a 201 of POST /users)', () => {
    const error = mapGraphSdkError(new GraphError(201, 'terminated'), { route: { method: 'POST', path: '/users' } });
    expect(error).toMatchObject({ kind: 'retryable', status: 201, code: 'HTTP201' });
    expect(mapGraphHttpFailure({ status: 304, body: '' }, { route, nowMs: 0 }).kind).toBe('fatal');
    // Every 2xx is a success, from 200 to 299; 300 is not.
    for (const status of [200, 299]) {
      expect(mapGraphHttpFailure({ status, body: '' }, { route, nowMs: 0 }).kind).toBe('retryable');
    }
    expect(mapGraphHttpFailure({ status: 300, body: '' }, { route, nowMs: 0 }).kind).toBe('fatal');
  });

  it('reads the status and headers of a fetch Response (Headers, not a plain record)', () => {
    const headers = new Headers({ 'Retry-After': '3', 'request-id': 'rid-h' });
    expect(mapGraphHttpFailure({ status: 429, body: '', headers }, { route, nowMs: 0 })).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 3000,
      requestId: 'rid-h',
    });
    const none = mapGraphHttpFailure({ status: 429, body: '', headers: new Headers() }, { route, nowMs: 0 });
    expect(none.retryAfterMs).toBeUndefined();
    expect(none.requestId).toBeUndefined();
  });

  it('counts an HTTP-date Retry-After from the clock when the caller gives no time', () => {
    const at = new Date(Date.now() + 60_000).toUTCString();
    const error = mapGraphHttpFailure({ status: 503, body: '', headers: { 'retry-after': at } }, { route });
    expect(error.retryAfterMs).toBeGreaterThan(55_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('keeps at most 500 characters of a text body', () => {
    const error = mapGraphHttpFailure({ status: 502, body: 'x'.repeat(600) }, { route });
    expect(error.graphMessage).toBe('x'.repeat(500));
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

  it('keeps the request id of the response body over the one the SDK read from the headers', () => {
    const sdkError = new GraphError(404, 'Not found');
    sdkError.requestId = 'rid-header';
    sdkError.body = JSON.stringify({ code: 'Request_ResourceNotFound', innerError: { 'request-id': 'rid-body' } });
    expect(mapGraphSdkError(sdkError, { route })).toMatchObject({ kind: 'not-found', requestId: 'rid-body' });
  });

  it('carries everything else over when it adds the request id the SDK read', () => {
    const sdkError = new GraphError(429, 'Throttled');
    sdkError.requestId = 'rid-1';
    sdkError.headers = new Headers({ 'retry-after': '4' });
    sdkError.body = JSON.stringify({ code: 'TooManyRequests', message: 'Slow down' });
    const error = mapGraphSdkError(sdkError, { route: { method: 'GET', path: '/groups' }, nowMs: 0 });
    expect(error).toMatchObject({
      kind: 'retryable',
      status: 429,
      code: 'TooManyRequests',
      graphMessage: 'Slow down',
      requestId: 'rid-1',
      route: { method: 'GET', path: '/groups' },
      retryAfterMs: 4000,
    });
    const denied = new GraphError(403, 'Denied');
    denied.requestId = 'rid-2';
    expect(mapGraphSdkError(denied, { route })).toMatchObject({
      kind: 'permission-missing',
      missingPermission: 'User.Read.All',
      requestId: 'rid-2',
    });
  });

  it('leaves the request id out when neither the body nor the SDK has one', () => {
    const error = mapGraphSdkError(new GraphError(404, 'Not found'), { route });
    expect(error).toMatchObject({ kind: 'not-found', code: 'HTTP404' });
    expect(error.requestId).toBeUndefined();
  });

  it('maps an SDK client error that carries nothing of ours like any other error', () => {
    expect(mapGraphSdkError(new GraphClientError('Invalid URL'), { route })).toMatchObject({
      kind: 'fatal',
      graphMessage: 'Invalid URL',
    });
  });

  it('returns an error it already classified as it is', () => {
    const inner = new GraphGatewayError({ kind: 'not-found', code: 'x', graphMessage: 'x' });
    expect(mapGraphSdkError(inner, { route })).toBe(inner);
  });

  it.each([
    ['a fetch failure thrown straight up', new TypeError('fetch failed')],
    ['a socket error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    [
      'a GraphError with status -1 whose body is a connection error of another realm',
      Object.assign(new GraphError(-1, 'x'), { code: 'Error', body: { code: 'ECONNREFUSED' } }),
    ],
  ])('treats %s as a lost connection', (_name, error) => {
    expect(mapGraphSdkError(error, { route })).toMatchObject({
      kind: 'retryable',
      code: 'ConnectionFailed',
      route,
      status: undefined,
    });
  });

  it.each([
    ['another error', new RangeError('boom'), 'boom'],
    ['a thrown string', 'boom', 'boom'],
    [
      'a GraphError with status -1 of another cause',
      Object.assign(new GraphError(-1, 'odd'), { code: 'Error' }),
      'odd',
    ],
    [
      'a GraphError with status 0 and a TypeError code',
      Object.assign(new GraphError(0, 'zero'), { code: 'TypeError' }),
      'zero',
    ],
  ])('calls %s fatal, keeping its message and cause', (_name, thrown, message) => {
    const error = mapGraphSdkError(thrown, { route });
    expect(error).toMatchObject({ kind: 'fatal', code: 'UnexpectedError', graphMessage: message, route });
    expect(error.cause).toBe(thrown);
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

  it.each(
    rows([
      ['invalid_request', '900023', 400, 'tenant-not-found'],
      ['invalid_client', '700024', 401, 'certificate-invalid'],
    ]),
  )('%s %s (HTTP %s) → %s', (code, number, status, failure) => {
    expect(mapTokenError(server(code, number, status))).toMatchObject({ kind: 'auth-failed', authFailure: failure });
  });

  it.each(
    rows([
      ['unauthorized_client', 'client-not-found'],
      ['invalid_tenant', 'tenant-not-found'],
      ['invalid_grant', 'unknown'],
    ]),
  )('without an AADSTS number reads the OAuth error %s → %s', (code, failure) => {
    const error = mapTokenError(new ServerError(code, 'corr', 'Something failed.', undefined, undefined, 400));
    expect(error).toMatchObject({ kind: 'auth-failed', authFailure: failure, code, status: 400 });
    expect(error.graphMessage).toBe('Something failed.');
  });

  it('calls an AADSTS number it does not know by the OAuth error, else unknown', () => {
    expect(mapTokenError(server('invalid_client', '123456', 401)).authFailure).toBe('secret-invalid');
    expect(mapTokenError(server('invalid_request', '123456', 400)).authFailure).toBe('unknown');
  });

  it('calls a token error without any code token_error', () => {
    const error = mapTokenError(new ServerError('', 'corr', 'no code', undefined, undefined, 400));
    expect(error).toMatchObject({ kind: 'auth-failed', code: 'token_error', authFailure: 'unknown' });
  });

  it.each(rows([[503], [500], [429]]))(
    'calls an HTTP %s from the token endpoint retryable, with no auth failure',
    (status) => {
      const error = mapTokenError(server('server_error', '50000', status));
      expect(error).toMatchObject({ kind: 'retryable', status, code: 'AADSTS50000' });
      expect(error.authFailure).toBeUndefined();
    },
  );

  it('calls a token endpoint answer without a status an auth failure', () => {
    const error = mapTokenError(new ServerError('invalid_client', 'corr', 'x', undefined, '7000215'));
    expect(error).toMatchObject({ kind: 'auth-failed', authFailure: 'secret-invalid', status: undefined });
  });

  it('keeps the first line of a message without a Description, at most 500 characters', () => {
    const error = mapTokenError(new ServerError('invalid_client', 'corr', `${'y'.repeat(600)}\r\nTrace ID: t`));
    expect(error.graphMessage).toBe('y'.repeat(500));
    const described = mapTokenError(
      new ServerError('invalid_client', 'corr', 'Error - Description: Bad secret.\nmore'),
    );
    expect(described.graphMessage).toBe('Bad secret.');
    const oneLine = 'Error(s): 7000215 - Description: AADSTS7000215: Invalid secret. - Correlation ID: c - Trace ID: t';
    expect(mapTokenError(new ServerError('invalid_client', 'corr', oneLine)).graphMessage).toBe(
      'AADSTS7000215: Invalid secret.',
    );
    const lastLine = mapTokenError(new ServerError('invalid_client', 'corr', 'Error - Description: Bad secret.'));
    expect(lastLine.graphMessage).toBe('Bad secret.');
    const unixLines = mapTokenError(new ServerError('invalid_client', 'corr', 'first line\nsecond line'));
    expect(unixLines.graphMessage).toBe('first line');
  });

  it('returns an error it already classified as it is', () => {
    const inner = new GraphGatewayError({ kind: 'auth-failed', code: 'x', graphMessage: 'x' });
    expect(mapTokenError(inner)).toBe(inner);
  });

  it.each(rows([['network_error'], ['Network_Error'], ['token_refresh_timeout']]))(
    'calls the MSAL client error %s retryable',
    (code) => {
      const error = mapTokenError(new ClientAuthError(code, 'x'));
      expect(error).toMatchObject({ kind: 'retryable', code });
      expect(error.authFailure).toBeUndefined();
    },
  );

  it('calls another MSAL client error an unknown auth failure', () => {
    expect(mapTokenError(new ClientAuthError('no_account_found', 'x'))).toMatchObject({
      kind: 'auth-failed',
      code: 'no_account_found',
      authFailure: 'unknown',
    });
    expect(mapTokenError(new ClientAuthError('', 'x'))).toMatchObject({ code: 'token_error' });
  });

  it('maps anything else thrown while getting a token as an error on the token route', () => {
    const lost = mapTokenError(new TypeError('fetch failed'));
    expect(lost).toMatchObject({ kind: 'retryable', route: { method: 'POST', path: '/oauth2/v2.0/token' } });
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
