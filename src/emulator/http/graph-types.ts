/** Claims of a verified access token, as the Graph routes need them. */
export interface Caller {
  appId: string;
  tenantId: string;
  roles: readonly string[];
}

/** One Graph request, from the socket or from a $batch item. */
export interface GraphRequest {
  method: string;
  /** Path after the version segment, e.g. `/users/abc/manager/$ref`. */
  path: string;
  /** Percent-decoded path segments of `path`. */
  segments: string[];
  /** System query options with lower-cased keys (`$select`, `$deltatoken`, ...), values decoded. */
  query: Map<string, string>;
  /**
   * The query string's `k=v` parts as received, so nextLinks keep the caller's options
   * (https://learn.microsoft.com/graph/paging).
   */
  rawQuery: string[];
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** `https://127.0.0.1:PORT`, the origin used in absolute links. */
  origin: string;
  version: string;
  caller: Caller;
  /** Values captured by the route pattern (`:id`). */
  params: Record<string, string>;
}

export interface GraphResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless it is a Buffer (binary) or a string (text/plain). */
  body?: unknown;
  contentType?: string;
}

export function jsonResponse(status: number, body: unknown, headers?: Record<string, string>): GraphResponse {
  return headers ? { status, body, headers } : { status, body };
}

export function noContent(): GraphResponse {
  return { status: 204 };
}

/** Absolute URL of the version root, e.g. `https://127.0.0.1:PORT/v1.0`. */
export function versionRoot(req: Pick<GraphRequest, 'origin' | 'version'>): string {
  return `${req.origin}/${req.version}`;
}

/**
 * `@odata.context` values as Graph's examples show them (e.g.
 * https://learn.microsoft.com/graph/api/user-list).
 */
export function contextUrl(req: Pick<GraphRequest, 'origin' | 'version'>, fragment: string): string {
  return `${versionRoot(req)}/$metadata#${fragment}`;
}
