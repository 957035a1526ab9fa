import type { GraphGatewayError } from './graph-gateway.error.js';
import { mapGraphHttpFailure } from './graph-error.mapper.js';
import { routeOf } from './graph-permissions.js';
import { parseRetryAfterMs, RETRYABLE_STATUSES } from './graph-retry.policy.js';

/** Graph accepts at most 20 requests in one `$batch` (https://learn.microsoft.com/graph/json-batching). */
export const BATCH_LIMIT = 20;

export interface GraphBatchRequest {
  /** The caller's key for this request, unique within one `batch()` call; any string. */
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Relative to the version root, e.g. `/users/{id}`. */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** The target user is synced from on-premises AD (to name on-premises-mastered refusals). */
  onPremisesSynced?: boolean;
}

export interface GraphBatchItemResult {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Set when status is not 2xx. */
  error?: GraphGatewayError;
}

export interface WireRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Splits into chunks of at most `size`, in order. */
export function chunk<T>(items: readonly T[], size: number = BATCH_LIMIT): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/**
 * The JSON body of one `$batch` call. Wire ids are "1".."n" within the call (Graph compares ids
 * case-insensitively and our callers' keys can be anything); a body gets a JSON Content-Type.
 */
export function toWireRequests(requests: readonly GraphBatchRequest[]): WireRequest[] {
  return requests.map((request, index) => {
    const headers = { ...request.headers };
    const hasContentType = Object.keys(headers).some((key) => key.toLowerCase() === 'content-type');
    if (request.body !== undefined && !hasContentType) headers['Content-Type'] = 'application/json';
    return {
      id: String(index + 1),
      method: request.method,
      url: request.url.startsWith('/') ? request.url : `/${request.url}`,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
    };
  });
}

/**
 * Pairs each sent request with its response by wire id: Graph does not keep the order
 * (https://learn.microsoft.com/graph/json-batching). A request Graph left unanswered gets a synthetic 504, so
 * it is retried.
 */
export function correlateResponses(
  sent: readonly GraphBatchRequest[],
  responseBody: unknown,
  nowMs: number,
): GraphBatchItemResult[] {
  const byWireId = new Map<string, Record<string, unknown>>();
  const responses = isRecord(responseBody) && Array.isArray(responseBody.responses) ? responseBody.responses : [];
  for (const response of responses) {
    if (isRecord(response) && response.id !== undefined) byWireId.set(String(response.id), response);
  }
  return sent.map((request, index) => {
    const response = byWireId.get(String(index + 1));
    const status = typeof response?.status === 'number' ? response.status : 504;
    const headers = isRecord(response?.headers) ? stringRecord(response.headers) : {};
    const body =
      response === undefined
        ? { error: { code: 'MissingBatchResponse', message: 'No response for this request in the $batch answer' } }
        : response.body;
    const result: GraphBatchItemResult = { id: request.id, status, headers, body };
    if (status >= 400) {
      result.error = mapGraphHttpFailure(
        { status, body, headers },
        { route: routeOf(request.method, request.url), onPremisesSynced: request.onPremisesSynced, nowMs },
      );
    }
    return result;
  });
}

export function isThrottled(result: GraphBatchItemResult): boolean {
  return RETRYABLE_STATUSES.has(result.status);
}

/** The largest Retry-After among throttled items, or undefined when none gave one. */
export function largestRetryAfterMs(results: readonly GraphBatchItemResult[], nowMs: number): number | undefined {
  let largest: number | undefined;
  for (const result of results) {
    const retryAfter = parseRetryAfterMs(headerValue(result.headers, 'retry-after'), nowMs);
    if (retryAfter !== undefined && (largest === undefined || retryAfter > largest)) largest = retryAfter;
  }
  return largest;
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function stringRecord(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, String(item)]));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
