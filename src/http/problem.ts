/**
 * One error shape for every HTTP error: an RFC 9457 problem-details body with a stable `code`.
 * Application code throws AppError; the error middleware turns anything else into a 500 that
 * carries the request id and no internals.
 */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'not_ready'
  | 'upstream_failed'
  | 'internal_error';

const titles: Record<ErrorCode, [number, string]> = {
  bad_request: [400, 'Bad request'],
  validation_failed: [400, 'The request is not valid'],
  unauthorized: [401, 'Authentication required'],
  forbidden: [403, 'Not allowed'],
  not_found: [404, 'Not found'],
  conflict: [409, 'Conflict'],
  payload_too_large: [413, 'Payload too large'],
  rate_limited: [429, 'Too many requests'],
  not_ready: [503, 'Not ready'],
  upstream_failed: [502, 'Microsoft Graph refused the request'],
  internal_error: [500, 'Internal error'],
};

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
  ) {
    super(detail);
  }
  get status(): number {
    return titles[this.code][0];
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  errors?: FieldIssue[];
  requestId?: string;
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
    ...(requestId ? { requestId } : {}),
  };
}

export const notFound = (what: string) => new AppError('not_found', `${what} does not exist`);
export const badRequest = (detail: string, errors?: FieldIssue[]) => new AppError('bad_request', detail, errors);
