/**
 * SCIM's error response (RFC 7644 section 3.12,
 * https://datatracker.ietf.org/doc/html/rfc7644#section-3.12): the Error message schema, the HTTP
 * status repeated as a string, a human-readable detail, and for some 400s (and a 409 for a
 * uniqueness clash, section 3.3) a `scimType` keyword from the RFC's closed list.
 */
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** RFC 7644 section 3.12, table 9: the only values `scimType` may take. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export interface ScimErrorBody {
  schemas: [typeof SCIM_ERROR_SCHEMA];
  /** The HTTP status code, as a string ("404"). */
  status: string;
  scimType?: ScimType;
  detail: string;
}

/** SCIM's media type (RFC 7644 section 8.1); responses carry it, requests may also be application/json. */
export const SCIM_MEDIA_TYPE = 'application/scim+json';

export function scimErrorBody(status: number, detail: string, scimType?: ScimType): ScimErrorBody {
  return { schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

/**
 * A SCIM protocol error raised by the core or the SCIM services: the HTTP status and scimType are
 * SCIM's own (RFC 7644 section 3.12), so the SCIM surface answers them as they are.
 */
export class ScimError extends Error {
  override name = 'ScimError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 412 | 413 | 429 | 500 | 501,
    readonly detail: string,
    readonly scimType?: ScimType,
  ) {
    super(detail);
  }
}

/** 400 with a scimType: the request cannot be applied as sent. */
export const badScim = (scimType: ScimType, detail: string) => new ScimError(400, detail, scimType);
