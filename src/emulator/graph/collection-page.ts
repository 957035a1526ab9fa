import type { GraphRequest } from '../http/graph-types.js';
import { versionRoot } from '../http/graph-types.js';
import { decodePageToken, encodePageToken } from '../odata/page-token.js';
import { keptQuery } from '../odata/query-options.js';
import type { EmulatorContext } from '../emulator-context.js';

/** Position in a collection: after an id (id order) or an offset (sorted order). */
export interface SkipState {
  a?: string;
  o?: number;
}

/**
 * Absolute https nextLink with the caller's query options and a fresh $skiptoken
 * (https://learn.microsoft.com/graph/paging): the Graph SDK only follows links that contain `https://`
 * (https://github.com/microsoftgraph/msgraph-sdk-javascript/blob/dev/src/GraphRequestUtil.ts).
 */
export function nextLink(ctx: EmulatorContext, req: GraphRequest, state: object): string {
  const token = encodePageToken(state, ctx.tokenSecret);
  const parts = [...keptQuery(req, ['$skiptoken']), `$skiptoken=${token}`];
  return `${versionRoot(req)}${encodedPath(req)}?${parts.join('&')}`;
}

export function readSkipToken(ctx: EmulatorContext, req: GraphRequest): SkipState | undefined | 'invalid' {
  const raw = req.query.get('$skiptoken');
  if (raw === undefined) return undefined;
  return decodePageToken<SkipState>(raw, ctx.tokenSecret) ?? 'invalid';
}

export function encodedPath(req: GraphRequest): string {
  return `/${req.segments.map((s) => encodeURIComponent(s).replace(/%24/g, '$').replace(/%40/g, '@')).join('/')}`;
}

/** Builds `{"@odata.context", "@odata.count"?, "@odata.nextLink"?, "value"}` in Graph's key order. */
export function collectionBody(
  context: string,
  value: unknown[],
  extra: { count?: number; nextLink?: string },
): Record<string, unknown> {
  const body: Record<string, unknown> = { '@odata.context': context };
  if (extra.count !== undefined) body['@odata.count'] = extra.count;
  if (extra.nextLink !== undefined) body['@odata.nextLink'] = extra.nextLink;
  body['value'] = value;
  return body;
}
