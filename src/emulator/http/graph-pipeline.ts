import { randomUUID } from 'node:crypto';
import { authenticate, hasAnyRole } from '../auth/graph-authorizer.js';
import type { EmulatorContext } from '../emulator-context.js';
import { resourceUnits } from '../throttle/resource-units.js';
import { forbidden, GRAPH_WWW_AUTHENTICATE, graphError, methodNotAllowed, skipNotSupported } from './graph-errors.js';
import type { Caller, GraphRequest, GraphResponse } from './graph-types.js';
import type { RouteTable } from './route-table.js';
import { finishResponse } from './response-finish.js';
import type { FinishedResponse } from './response-finish.js';

/** One Graph call before parsing: from the socket or from a $batch item. */
export interface GraphCall {
  method: string;
  version: string;
  /** Path and query after the version segment, e.g. `/users?$top=5`. */
  target: string;
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** An item of a `$batch`: Graph counts it against throttling limits, but it is no HTTP request of its own. */
  batchItem?: boolean;
}

export interface GraphOutcome {
  response: FinishedResponse;
  route: string;
  path: string;
}

/**
 * Runs one Graph call through the same steps as Graph's front door: injected faults, token, route, permission
 * (https://learn.microsoft.com/graph/permissions-reference), resource-unit quota
 * (https://learn.microsoft.com/graph/throttling-limits), handler, common headers.
 */
export class GraphPipeline {
  routes: RouteTable | undefined;

  constructor(private readonly ctx: EmulatorContext) {}

  async run(call: GraphCall, preAuthenticated?: Caller): Promise<GraphOutcome> {
    const { ctx } = this;
    const started = performance.now();
    const queryAt = call.target.indexOf('?');
    const path = queryAt < 0 ? call.target : call.target.slice(0, queryAt);
    const rawQuery =
      queryAt < 0
        ? []
        : call.target
            .slice(queryAt + 1)
            .split('&')
            .filter((p) => p !== '');
    let route = `${call.method} (unmatched)`;
    let ru = 1;
    const respond = (response: GraphResponse): GraphOutcome => {
      const meta = {
        requestId: randomUUID(),
        clientRequestId: call.headers['client-request-id'] ?? randomUUID(),
        now: ctx.now(),
        resourceUnits: ru,
      };
      const finished = finishResponse(response, meta);
      ctx.stats.record(route, response.status, performance.now() - started, call.batchItem ?? false);
      return { response: finished, route, path };
    };
    const fault = ctx.faults.take(call.method, path, ['throttle', 'unavailable']);
    if (fault) return respond(faultResponse(fault.kind, fault.retryAfterSeconds));
    const parsed = parseTarget(path, rawQuery);
    if (!parsed) return respond(graphError(400, 'BadRequest', 'The request URI is not valid.'));
    let caller = preAuthenticated;
    if (!caller) {
      const auth = authenticate(ctx, call.headers['authorization']);
      if (!auth.ok)
        return respond({
          ...auth.response,
          headers: { ...auth.response.headers, 'WWW-Authenticate': GRAPH_WWW_AUTHENTICATE },
        });
      caller = auth.caller;
    }
    const match = (this.routes as RouteTable).match(call.method, parsed.segments);
    if (match.kind === 'wrongMethod') return respond(methodNotAllowed());
    if (match.kind === 'none') {
      return respond(
        graphError(400, 'BadRequest', `Resource not found for the segment '${parsed.segments[0] ?? ''}'.`),
      );
    }
    route = match.route.name;
    if (!hasAnyRole(caller, match.route.roles)) return respond(forbidden());
    // Graph answers $skip on directory collections with this 400 (obs: microsoftgraph/msgraph-metadata#135).
    if (match.route.refusesSkip && parsed.query.has('$skip')) return respond(skipNotSupported());
    ru = match.route.cost.ru === 0 ? 0 : resourceUnits(match.route.cost, parsed.query);
    let limitPercentage: number | undefined;
    if (ru > 0) {
      const quota = ctx.quota.charge(caller.appId, caller.tenantId, ru, match.route.cost.write, ctx.store.users.size);
      if (!quota.ok) {
        return respond(
          graphError(429, 'TooManyRequests', 'Please retry again later.', undefined, {
            'Retry-After': String(quota.retryAfterSeconds),
            'x-ms-throttle-scope': quota.scope,
            'x-ms-throttle-information': quota.information,
          }),
        );
      }
      limitPercentage = quota.limitPercentage;
    }
    const req: GraphRequest = {
      method: call.method,
      path,
      segments: parsed.segments,
      query: parsed.query,
      rawQuery,
      headers: call.headers,
      body: call.body,
      origin: ctx.origin,
      version: call.version,
      caller,
      params: match.params,
    };
    const response = await match.route.handler(req);
    // Sent only once more than 80 % of the limit is used
    // (https://learn.microsoft.com/graph/throttling-limits).
    if (limitPercentage !== undefined)
      response.headers = { ...response.headers, 'x-ms-throttle-limit-percentage': String(limitPercentage) };
    if (response.headers?.['x-ms-resource-unit'] !== undefined) ru = Number(response.headers['x-ms-resource-unit']);
    return respond(response);
  }
}

/**
 * 429 body per https://learn.microsoft.com/graph/throttling, 503 per
 * https://learn.microsoft.com/graph/errors. Retry-After may be fractional.
 */
function faultResponse(kind: string, retryAfter: number | undefined): GraphResponse {
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) };
  if (kind === 'throttle') {
    return graphError(429, 'TooManyRequests', 'Please retry again later.', undefined, {
      'Retry-After': String(retryAfter ?? 1),
      ...headers,
    });
  }
  return graphError(
    503,
    'serviceNotAvailable',
    'The service is temporarily unavailable. Please retry later.',
    undefined,
    headers,
  );
}

function parseTarget(path: string, rawQuery: string[]): { segments: string[]; query: Map<string, string> } | undefined {
  try {
    const segments = path
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
    const query = new Map<string, string>();
    for (const part of rawQuery) {
      const eq = part.indexOf('=');
      const key = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' ')).toLowerCase();
      const value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
      query.set(key, value);
    }
    return { segments, query };
  } catch {
    return undefined;
  }
}
