/**
 * The closed set of errors the application reports to its callers. Each code becomes an HTTP
 * status only at the edge (src/http/problem.ts); services never speak HTTP.
 */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'not_ready'
  | 'upstream_failed'
  | 'internal_error';

export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors?: FieldIssue[],
    /** Further members of the problem body (RFC 9457 section 3.2), such as what Graph answered. */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail);
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} does not exist`);
export const badRequest = (detail: string, errors?: FieldIssue[]) => new AppError('bad_request', detail, errors);
