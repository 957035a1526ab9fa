/*
 * Query parameters of a SCIM read (RFC 7644 sections 3.4.2 and 3.9,
 * https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2): paging by 1-based startIndex and count,
 * `attributes` and `excludedAttributes`, and the ListResponse. Parameter names compare
 * case-insensitively; unknown ones (Entra appends the tenant URL's own, such as
 * `aadOptscim062020`) are ignored, as is sortBy (the ServiceProviderConfig says sort is not supported).
 */
import { resolvePath, type AttributePath } from './attribute-path.js';
import { badScim } from './scim-error.js';
import { isObject, type Resource } from './scim-resource.js';
import { LIST_RESPONSE_SCHEMA, type ResourceType } from './scim-schemas.js';

export const DEFAULT_COUNT = 100;
/** The most resources one page holds (ServiceProviderConfig filter.maxResults). */
export const MAX_COUNT = 200;

export interface Projection {
  readonly attributes?: readonly AttributePath[];
  readonly excluded?: readonly AttributePath[];
}

export interface ListQuery {
  readonly filter?: string;
  readonly startIndex: number;
  readonly count: number;
  readonly projection: Projection;
}

type Query = Record<string, unknown>;

function parameter(query: Query, name: string): string | undefined {
  const key = Object.keys(query).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : query[key];
  if (Array.isArray(value)) throw badScim('invalidValue', `The query parameter ${name} is given more than once`);
  return typeof value === 'string' ? value : undefined;
}

export function readListQuery(query: Query, type: ResourceType): ListQuery {
  const filter = parameter(query, 'filter');
  return {
    ...(filter !== undefined ? { filter } : {}),
    // RFC 7644 section 3.4.2.4: a startIndex below 1 is 1, a negative count 0.
    startIndex: Math.max(1, integer(query, 'startIndex') ?? 1),
    count: Math.min(MAX_COUNT, Math.max(0, integer(query, 'count') ?? DEFAULT_COUNT)),
    projection: readProjection(query, type),
  };
}

function integer(query: Query, name: string): number | undefined {
  const text = parameter(query, name);
  if (text === undefined || text === '') return undefined;
  if (!/^-?\d{1,9}$/.test(text.trim())) throw badScim('invalidValue', `${name} must be an integer, not "${text}"`);
  return Number(text);
}

export function readProjection(query: Query, type: ResourceType): Projection {
  const list = (name: string) =>
    parameter(query, name)
      ?.split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part) => resolvePath(part, type, 'invalidValue'));
  const attributes = list('attributes');
  const excluded = list('excludedAttributes');
  return { ...(attributes?.length ? { attributes } : {}), ...(excluded?.length ? { excluded } : {}) };
}

/** The resource as asked for: `id` and `schemas` always stay (RFC 7643 section 7, returned "always"). */
export function project(resource: Resource, projection: Projection): Resource {
  if (projection.attributes) {
    const out: Resource = { schemas: resource.schemas, id: resource.id };
    for (const path of projection.attributes) copyPath(resource, out, path);
    return out;
  }
  if (!projection.excluded) return resource;
  const out = structuredClone(resource);
  for (const path of projection.excluded) removePath(out, path);
  return out;
}

function copyPath(from: Resource, to: Resource, path: AttributePath): void {
  const source = path.inExtension ? from[path.schema] : from;
  if (!isObject(source)) return;
  const target = path.inExtension ? ((to[path.schema] ??= {}) as Resource) : to;
  if (!path.attribute) {
    to[path.schema] = source;
    return;
  }
  const value = source[path.attribute.name];
  if (value === undefined) return;
  if (path.sub && isObject(value) && value[path.sub.name] !== undefined) {
    const partial = (target[path.attribute.name] ??= {}) as Resource;
    partial[path.sub.name] = value[path.sub.name];
  } else if (!path.sub || !isObject(value)) target[path.attribute.name] = value;
}

function removePath(resource: Resource, path: AttributePath): void {
  const name = path.attribute?.name;
  if (name === 'id') return;
  const holder = path.inExtension ? resource[path.schema] : resource;
  if (!isObject(holder)) return;
  if (!path.attribute) delete resource[path.schema];
  else if (path.sub && isObject(holder[path.attribute.name]))
    delete (holder[path.attribute.name] as Resource)[path.sub.name];
  else delete holder[path.attribute.name];
}

export function listResponse(resources: Resource[], total: number, startIndex: number): Resource {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
