import type { GraphResponse } from './graph-types.js';

/** Graph's JSON content type on directory calls, as real responses carry it. */
export const GRAPH_JSON =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export interface ResponseMeta {
  requestId: string;
  clientRequestId: string;
  now: number;
  resourceUnits: number;
}

export interface FinishedResponse {
  status: number;
  headers: Record<string, string>;
  /** The body after innerError was filled in: an object, a string or a Buffer. */
  body: unknown;
  payload?: Buffer;
}

const DIAGNOSTIC = JSON.stringify({
  ServerInfo: { DataCenter: 'Local Emulator', Slice: 'E', Ring: '0', ScaleUnit: '000', RoleInstance: 'EMULATOR01' },
});

/** UTC, no offset, no fractions: the innerError.date format (https://learn.microsoft.com/graph/errors). */
export function errorDate(now: number): string {
  return new Date(now).toISOString().slice(0, 19);
}

/**
 * Adds the headers every Graph response carries (the request ids among them,
 * https://learn.microsoft.com/graph/errors) and the innerError of error bodies, then serialises the body.
 */
export function finishResponse(resp: GraphResponse, meta: ResponseMeta): FinishedResponse {
  const headers: Record<string, string> = {
    'Cache-Control': 'no-cache',
    'Strict-Transport-Security': 'max-age=31536000',
    'request-id': meta.requestId,
    'client-request-id': meta.clientRequestId,
    'x-ms-ags-diagnostic': DIAGNOSTIC,
    'x-ms-resource-unit': String(meta.resourceUnits),
    'OData-Version': '4.0',
    ...resp.headers,
  };
  let body = resp.body;
  if (isErrorBody(body)) body = withInnerError(body, resp.status, meta);
  let payload: Buffer | undefined;
  if (Buffer.isBuffer(body)) {
    payload = body;
    headers['Content-Type'] = resp.contentType ?? 'application/octet-stream';
  } else if (typeof body === 'string') {
    payload = Buffer.from(body, 'utf8');
    headers['Content-Type'] = resp.contentType ?? 'text/plain';
  } else if (body !== undefined) {
    payload = Buffer.from(JSON.stringify(body), 'utf8');
    headers['Content-Type'] = resp.contentType ?? GRAPH_JSON;
  }
  return { status: resp.status, headers, body, ...(payload ? { payload } : {}) };
}

function isErrorBody(body: unknown): body is { error: Record<string, unknown> } {
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body)) return false;
  const error = (body as Record<string, unknown>)['error'];
  return error !== null && typeof error === 'object';
}

function withInnerError(body: { error: Record<string, unknown> }, status: number, meta: ResponseMeta): unknown {
  if (body.error['innerError']) return body;
  const inner: Record<string, unknown> = {
    date: errorDate(meta.now),
    'request-id': meta.requestId,
    'client-request-id': meta.clientRequestId,
  };
  if (status === 429) Object.assign(inner, { code: '429', message: 'Please retry after', status: '429' });
  return { error: { ...body.error, innerError: inner } };
}
