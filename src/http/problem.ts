/**
 * One error shape for every HTTP error: an RFC 9457 problem-details body with a stable `code`.
 * Application code throws AppError (src/application/app-error.ts); the error middleware turns anything else into a 500 that
 * carries the request id and no internals.
 */
import type { AppError } from '../application/app-error.js';
import { type ErrorCode, type FieldIssue } from '../application/app-error.js';

const titles: Record<ErrorCode, [number, string]> = {
  bad_request: [400, 'Bad request'],
  validation_failed: [400, 'The request is not valid'],
  unauthorized: [401, 'Authentication required'],
  forbidden: [403, 'Not allowed'],
  not_found: [404, 'Not found'],
  method_not_allowed: [405, 'Method not allowed'],
  conflict: [409, 'Conflict'],
  payload_too_large: [413, 'Payload too large'],
  unsupported_media_type: [415, 'Unsupported media type'],
  rate_limited: [429, 'Too many requests'],
  not_ready: [503, 'Not ready'],
  upstream_failed: [502, 'Microsoft Graph refused the request'],
  internal_error: [500, 'Internal error'],
};

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  errors?: FieldIssue[];
  requestId?: string;
  [extension: string]: unknown;
}

export function problemBody(error: AppError, requestId?: string): ProblemBody {
  const [status, title] = titles[error.code];
  return {
    type: `urn:entra-hr-connector:problem:${error.code}`,
    title,
    status,
    code: error.code,
    detail: error.detail,
    ...(error.errors ? { errors: error.errors } : {}),
    ...error.extensions,
    ...(requestId ? { requestId } : {}),
  };
}

/** The HTTP status of an application error: decided here, at the edge, and nowhere else. */
export function statusOf(error: AppError): number {
  return titles[error.code][0];
}
