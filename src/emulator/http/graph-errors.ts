import type { GraphResponse } from './graph-types.js';

/**
 * Graph's error body (https://learn.microsoft.com/graph/errors). The server fills in
 * `innerError` (date, request-id, client-request-id) when it writes the response.
 */
export interface GraphErrorDetail {
  code: string;
  target?: string;
  message?: string;
}

export function graphError(
  status: number,
  code: string,
  message: string,
  details?: GraphErrorDetail[],
  headers?: Record<string, string>,
): GraphResponse {
  const error: Record<string, unknown> = { code, message };
  if (details) error['details'] = details;
  return headers ? { status, body: { error }, headers } : { status, body: { error } };
}

export const notFound = (idOrName: string): GraphResponse =>
  graphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${idOrName}' does not exist or one of its queried reference-property objects are not present.`,
  );

export const badRequest = (message: string, details?: GraphErrorDetail[]): GraphResponse =>
  graphError(400, 'Request_BadRequest', message, details);

export const unsupportedQuery = (message: string): GraphResponse =>
  graphError(400, 'Request_UnsupportedQuery', message);

export const forbidden = (): GraphResponse =>
  graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

export const unauthorized = (message: string): GraphResponse => graphError(401, 'InvalidAuthenticationToken', message);

/**
 * The challenge Graph sends with its 401s ("Extract authentication parameters",
 * https://learn.microsoft.com/entra/msal/dotnet/advanced/extract-authentication-parameters):
 * Graph's own app id as client_id and the public authorize endpoint.
 */
export const GRAPH_WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

export const skipNotSupported = (): GraphResponse => badRequest("'$skip' is not supported by the service.");

export const methodNotAllowed = (): GraphResponse =>
  graphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');

export const notImplemented = (): GraphResponse =>
  graphError(501, 'NotImplemented', 'This operation target is not yet supported.');

export const invalidJson = (): GraphResponse =>
  graphError(
    400,
    'BadRequest',
    'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
  );

export const invalidObjectId = (value: string): GraphResponse => badRequest(`Invalid object identifier '${value}'.`);

export const invalidValue = (property: string, resource = 'User'): GraphResponse =>
  badRequest(`Invalid value specified for property '${property}' of resource '${resource}'.`, [
    {
      code: 'InvalidValue',
      target: property,
      message: `Invalid value specified for property '${property}' of resource '${resource}'.`,
    },
  ]);

/**
 * The 400 for an advanced-only query form sent without ConsistencyLevel + $count
 * (https://learn.microsoft.com/graph/aad-advanced-queries).
 */
export const advancedQueryRequired = (operator: string): GraphResponse =>
  unsupportedQuery(
    `Operator '${operator}' is not supported because the required parameters might be missing. ` +
      'Try adding $count=true query parameter and ConsistencyLevel:eventual header. ' +
      'Refer to https://aka.ms/graph-docs/advanced-queries for more information',
  );

export const unsupportedFilterClause = (property: string, resource = 'User'): GraphResponse =>
  unsupportedQuery(
    `Unsupported or invalid query filter clause specified for property '${property}' of resource '${resource}'.`,
  );

export function parseJsonBody(
  body: Buffer,
): { ok: true; value: Record<string, unknown> } | { ok: false; response: GraphResponse } {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return { ok: false, response: invalidJson() };
    return { ok: true, value: value as Record<string, unknown> };
  } catch {
    return { ok: false, response: invalidJson() };
  }
}
