import '../request-context.js';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../../application/app-error.js';
import { isGraphGatewayError } from '../../gateways/graph/index.js';
import { problemBody, statusOf } from '../problem.js';
import { upstreamProblem } from '../upstream-problem.js';

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No route for ${req.method} ${req.baseUrl}${req.path}`));
};

/** The edge where errors become statuses. An unknown error is a 500 with the request id, never details. */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const appError = toAppError(error);
  if (appError.code === 'internal_error') req.log?.error({ err: error }, 'unhandled error');
  if (isGraphGatewayError(error))
    req.log?.warn({ graph: error.toLogObject() }, 'Microsoft Graph failed during the request');
  res
    .status(statusOf(appError))
    .type('application/problem+json')
    .json(problemBody(appError, String(req.id ?? '')));
};

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // Before the generic `status` check below: a Graph error carries Graph's status (401, 404...), not ours.
  if (isGraphGatewayError(error)) return upstreamProblem(error);
  const status = (error as { status?: number; statusCode?: number; type?: string })?.status;
  const type = (error as { type?: string })?.type;
  // body-parser errors carry a status and a type; map them to our codes.
  if (type === 'entity.too.large' || status === 413)
    return new AppError('payload_too_large', 'The request body is larger than allowed');
  if (type === 'entity.parse.failed') return new AppError('bad_request', 'The request body is not valid JSON');
  // body-parser refuses a charset other than UTF-8 (RFC 8259 section 8.1) and unknown content codings with 415.
  if (status === 415)
    return new AppError(
      'unsupported_media_type',
      'The body must be application/json in UTF-8, with no content coding other than gzip or deflate',
    );
  if (status && status >= 400 && status < 500) return new AppError('bad_request', 'The request could not be read');
  return new AppError('internal_error', 'An unexpected error occurred; quote the request id when reporting it');
}
