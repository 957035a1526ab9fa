import { randomUUID } from 'node:crypto';

export interface AadErrorResponse {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Entra's token error body (https://learn.microsoft.com/entra/identity-platform/reference-error-codes):
 * error_description starts with `AADSTSnnnn: ` and ends with trace id, correlation id and timestamp lines;
 * error_codes is an array of numbers.
 */
export function aadError(
  status: number,
  error: string,
  code: number,
  text: string,
  now: number,
  correlationId?: string,
): AadErrorResponse {
  const traceId = randomUUID();
  const correlation = correlationId ?? randomUUID();
  const timestamp = new Date(now)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}
