import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { assertStrictSchema } from './validation.js';

extendZodWithOpenApi(z);

/**
 * The API's OpenAPI document, generated from the same zod schemas that validate requests, so the
 * two cannot drift. Routers register each route next to its handler; the request guard
 * (middleware/request-guard.ts) looks routes up here, so a route's documented input is also the
 * only input it accepts.
 */
export const openApiRegistry = new OpenAPIRegistry();

openApiRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

export const problemSchema = openApiRegistry.register(
  'Problem',
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  }),
);

/** Errors a route answers only where it says so; the others follow from its kind (see errorsOf). */
export type DeclaredError = 404 | 409 | 502 | 503;
type ErrorStatus = 400 | 401 | 403 | 413 | 415 | 429 | 500 | DeclaredError;

const errorDescriptions: Record<ErrorStatus, string> = {
  400: 'Invalid input (a wrong or unknown field, NUL or a lone surrogate in text); nothing was changed',
  401: 'No valid API token',
  403: 'Not an administrator',
  404: 'No such resource',
  409: 'Conflicts with the current state; nothing was changed',
  413: 'The body is larger than REQUEST_BODY_LIMIT',
  415: 'The body is not application/json',
  429: 'Too many requests from this address; retry later',
  500: 'Unexpected error; quote the request id',
  502: 'Microsoft Graph refused or failed the call',
  503: 'A dependency is unreachable',
};

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec {
  /** Unique, camelCase: what client generators name the call. */
  operationId: string;
  method: HttpMethod;
  path: string;
  summary: string;
  tags: string[];
  body?: z.ZodType;
  query?: z.ZodObject;
  params?: z.ZodObject;
  /** The success body: a JSON schema, schemas by media type (a download, a picture), or null for 204 No Content. */
  response: z.ZodType | { content: Record<string, z.ZodType> } | null;
  status?: 200 | 201 | 202 | 204;
  admin?: boolean;
  /** Errors beyond those every route of its kind answers (400, 401, 429, 500; 403 admin; 404 with path parameters; 413, 415 with a body). */
  errors?: DeclaredError[];
}

export interface DescribedRoute extends RouteSpec {
  pattern: RegExp;
}

const routes: DescribedRoute[] = [];

/** Methods whose requests may carry a body, so they can answer 413 and 415. */
export const takesBody = (method: string) => !['get', 'head'].includes(method.toLowerCase());

/** The error statuses a route can answer, derived from its kind so none is forgotten. */
export function errorsOf(spec: RouteSpec): ErrorStatus[] {
  const statuses = new Set<ErrorStatus>([400, 401, 429, 500, ...(spec.errors ?? [])]);
  if (spec.admin) statuses.add(403);
  if (/:\w+/.test(spec.path)) statuses.add(404);
  if (takesBody(spec.method)) {
    statuses.add(413);
    statuses.add(415);
  }
  return [...statuses].sort();
}

/** Registers one route of the public API in the OpenAPI document. */
export function describeRoute(spec: RouteSpec): void {
  if (routes.some((r) => r.operationId === spec.operationId))
    throw new Error(`operationId ${spec.operationId} is used twice`);
  if (routes.some((r) => r.method === spec.method && r.path === spec.path))
    throw new Error(`${spec.method} ${spec.path} is described twice`);
  if (spec.body) assertStrictSchema(spec.body, `${spec.operationId} body`);
  if (spec.query) assertStrictSchema(spec.query, `${spec.operationId} query`);
  if (spec.params) assertStrictSchema(spec.params, `${spec.operationId} params`);
  const status = spec.status ?? 200;
  if ((status === 204) !== (spec.response === null))
    throw new Error(`${spec.operationId}: a 204 has no body, and only a 204`);
  routes.push({ ...spec, pattern: new RegExp(`^${spec.path.replace(/:\w+/g, '[^/]+')}/?$`) });
  openApiRegistry.registerPath({
    operationId: spec.operationId,
    method: spec.method,
    path: spec.path.replace(/:(\w+)/g, '{$1}'),
    summary: spec.summary,
    tags: spec.tags,
    security: [{ bearer: [] }],
    request: {
      ...(spec.body ? { body: { required: true, content: { 'application/json': { schema: spec.body } } } } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.params ? { params: spec.params } : {}),
    },
    responses: {
      [status]: successResponse(spec.response),
      ...Object.fromEntries(
        errorsOf(spec).map((code) => [
          code,
          { description: errorDescriptions[code], content: { 'application/problem+json': { schema: problemSchema } } },
        ]),
      ),
    },
  });
}

function successResponse(response: RouteSpec['response']) {
  if (response === null) return { description: 'Done; no body' };
  if ('content' in response)
    return {
      description: 'OK',
      content: Object.fromEntries(Object.entries(response.content).map(([type, schema]) => [type, { schema }])),
    };
  return { description: 'OK', content: { 'application/json': { schema: response } } };
}

/** The described route a request is for; a literal segment wins over a parameter (`/runs/current` over `/runs/:id`). */
export function findRoute(method: string, path: string): DescribedRoute | undefined {
  const candidates = routes.filter((r) => r.method === method.toLowerCase() && r.pattern.test(path));
  return candidates.sort((a, b) => paramCount(a.path) - paramCount(b.path))[0];
}

const paramCount = (path: string) => (path.match(/:\w+/g) ?? []).length;

/** Every described route (for tests that hold routes and documentation together). */
export function describedRoutes(): readonly DescribedRoute[] {
  return routes;
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});
const status = (value: string) => z.object({ status: z.literal(value) });

// The public routes outside /api (app.ts): probes, metrics and this document. No token, no input.
openApiRegistry.registerPath({
  operationId: 'getHealth',
  method: 'get',
  path: '/healthz',
  summary: 'Liveness: the process answers',
  tags: ['operations'],
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: status('ok') } } } },
});
openApiRegistry.registerPath({
  operationId: 'getReadiness',
  method: 'get',
  path: '/readyz',
  summary: 'Readiness: the database and the job store answer',
  tags: ['operations'],
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: status('ready') } } },
    503: problem('A dependency is unreachable'),
  },
});
openApiRegistry.registerPath({
  operationId: 'getMetrics',
  method: 'get',
  path: '/metrics',
  summary: 'Prometheus metrics; needs `Bearer <METRICS_TOKEN>` when that is configured',
  tags: ['operations'],
  responses: {
    200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } },
    401: problem('METRICS_TOKEN is configured and was not given'),
  },
});
openApiRegistry.registerPath({
  operationId: 'getOpenApiDocument',
  method: 'get',
  path: '/openapi.json',
  summary: 'This document',
  tags: ['operations'],
  responses: {
    200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
  },
});

export function openApiDocument(): object {
  return new OpenApiGeneratorV31(openApiRegistry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Entra HR Connector API', version: '1' },
    servers: [{ url: '/' }],
  });
}
