import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

/**
 * The API's OpenAPI document, generated from the same zod schemas that validate requests, so the
 * two cannot drift. Routers register each route next to its handler.
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

const errorResponses = {
  400: { description: 'Invalid input; nothing was changed', content: { 'application/problem+json': { schema: problemSchema } } },
  401: { description: 'No valid API token', content: { 'application/problem+json': { schema: problemSchema } } },
  403: { description: 'Not an administrator', content: { 'application/problem+json': { schema: problemSchema } } },
};

type RouteSpec = {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tags: string[];
  body?: z.ZodType;
  query?: z.ZodObject;
  params?: z.ZodObject;
  response?: z.ZodType;
  status?: number;
  admin?: boolean;
};

/** Registers one route of the public API in the OpenAPI document. */
export function describeRoute(spec: RouteSpec): void {
  openApiRegistry.registerPath({
    method: spec.method,
    path: spec.path.replace(/:(\w+)/g, '{$1}'),
    summary: spec.summary,
    tags: spec.tags,
    security: [{ bearer: [] }],
    request: {
      ...(spec.body ? { body: { content: { 'application/json': { schema: spec.body } } } } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.params ? { params: spec.params } : {}),
    },
    responses: {
      [spec.status ?? 200]: spec.response
        ? { description: 'OK', content: { 'application/json': { schema: spec.response } } }
        : { description: 'OK' },
      ...errorResponses,
    },
  });
}

export function openApiDocument(): object {
  return new OpenApiGeneratorV31(openApiRegistry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Entra HR Connector API', version: '1' },
    servers: [{ url: '/' }],
  });
}
