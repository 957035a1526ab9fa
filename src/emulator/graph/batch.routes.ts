import type { EmulatorContext } from '../emulator-context.js';
import { graphError, parseJsonBody } from '../http/graph-errors.js';
import type { Caller, GraphRequest, GraphResponse } from '../http/graph-types.js';
import type { GraphCall, GraphOutcome } from '../http/graph-pipeline.js';

export type Dispatch = (call: GraphCall, caller: Caller) => Promise<GraphOutcome>;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  dependsOn: string[];
}

const MAX_REQUESTS = 20;
const JSON_TYPE = /json/i;

/**
 * POST /$batch (https://learn.microsoft.com/graph/json-batching): at most 20 requests with unique ids, each
 * run on its own through the full pipeline (own permission check, throttling and faults), 424 for requests
 * whose dependency failed, answers in reverse order because Graph does not guarantee order.
 */
export async function runBatch(_ctx: EmulatorContext, req: GraphRequest, dispatch: Dispatch): Promise<GraphResponse> {
  const parsed = parseJsonBody(req.body);
  if (!parsed.ok) return parsed.response;
  const items = readItems(parsed.value['requests']);
  if (!Array.isArray(items)) return items;
  const results = new Map<string, Record<string, unknown>>();
  const running = new Set<string>();
  let totalUnits = 0;
  const runItem = async (item: BatchItem): Promise<Record<string, unknown>> => {
    const done = results.get(item.id.toLowerCase());
    if (done) return done;
    if (running.has(item.id.toLowerCase())) return { id: item.id, status: 424 }; // dependency cycle
    running.add(item.id.toLowerCase());
    for (const dep of item.dependsOn) {
      const depItem = items.find((i) => i.id.toLowerCase() === dep.toLowerCase()) as BatchItem;
      const depResult = await runItem(depItem);
      if (Number(depResult['status']) >= 400) {
        const failed = {
          id: item.id,
          status: 424,
          headers: {},
          body: { error: { code: 'FailedDependency', message: `Dependency '${depItem.id}' failed.` } },
        };
        results.set(item.id.toLowerCase(), failed);
        return failed;
      }
    }
    const outcome = await dispatch(toCall(req, item), req.caller);
    totalUnits += Number(outcome.response.headers['x-ms-resource-unit'] ?? 0);
    const result = itemResponse(item.id, outcome);
    results.set(item.id.toLowerCase(), result);
    return result;
  };
  for (const item of items) await runItem(item);
  const responses = items.map((i) => results.get(i.id.toLowerCase())).reverse();
  return { status: 200, body: { responses }, headers: { 'x-ms-resource-unit': String(totalUnits) } };
}

function readItems(raw: unknown): BatchItem[] | GraphResponse {
  const bad = (message: string): GraphResponse => graphError(400, 'BadRequest', message);
  if (!Array.isArray(raw) || raw.length === 0) return bad('Invalid batch payload format.');
  if (raw.length > MAX_REQUESTS)
    return bad(`The number of requests in the batch exceeds the limit of ${MAX_REQUESTS}.`);
  const items: BatchItem[] = [];
  const seen = new Set<string>();
  for (const entry of raw as Record<string, unknown>[]) {
    const { id, method, url } = entry ?? {};
    if (typeof id !== 'string' || typeof method !== 'string' || typeof url !== 'string')
      return bad('Invalid batch payload format.');
    // Ids are unique, case-insensitively (https://learn.microsoft.com/graph/json-batching).
    if (seen.has(id.toLowerCase()))
      return bad(`Batch request ids must be unique. The id '${id}' is used more than once.`);
    seen.add(id.toLowerCase());
    const dependsOn = Array.isArray(entry['dependsOn']) ? entry['dependsOn'].map(String) : [];
    const headers = Object.fromEntries(
      Object.entries((entry['headers'] ?? {}) as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    if (entry['body'] !== undefined && headers['content-type'] === undefined)
      return bad(`Content-Type header is required for request '${id}' with a body.`);
    items.push({ id, method: method.toUpperCase(), url, headers, body: entry['body'], dependsOn });
  }
  for (const item of items) {
    if (item.dependsOn.some((d) => !seen.has(d.toLowerCase())))
      return bad(`Request '${item.id}' depends on an unknown request id.`);
  }
  return items;
}

function toCall(req: GraphRequest, item: BatchItem): GraphCall {
  let target = item.url.replace(/^https?:\/\/[^/]+/i, '').replace(/^\/?(v1\.0|beta)(?=\/|$)/i, '');
  if (!target.startsWith('/')) target = `/${target}`;
  let body = Buffer.alloc(0);
  if (item.body !== undefined) {
    const contentType = item.headers['content-type'] ?? '';
    // Binary bodies (photos) travel base64-encoded (https://learn.microsoft.com/graph/json-batching).
    body = JSON_TYPE.test(contentType)
      ? Buffer.from(JSON.stringify(item.body))
      : typeof item.body === 'string'
        ? Buffer.from(item.body, 'base64')
        : Buffer.from(JSON.stringify(item.body));
  }
  const headers = {
    ...item.headers,
    'client-request-id': item.headers['client-request-id'] ?? req.headers['client-request-id'],
  };
  return { method: item.method, version: req.version, target, headers, body, batchItem: true };
}

function itemResponse(id: string, outcome: GraphOutcome): Record<string, unknown> {
  const { status, headers, body } = outcome.response;
  const keep = [
    'Content-Type',
    'Retry-After',
    'Location',
    'Cache-Control',
    'x-ms-throttle-scope',
    'x-ms-throttle-information',
    'ETag',
    'Preference-Applied',
  ];
  const itemHeaders = Object.fromEntries(
    keep.filter((k) => headers[k] !== undefined).map((k) => [k, headers[k] as string]),
  );
  const result: Record<string, unknown> = { id, status, headers: itemHeaders };
  if (Buffer.isBuffer(body)) result['body'] = body.toString('base64');
  else if (body !== undefined) result['body'] = body;
  return result;
}
