import type { GraphRequest, GraphResponse } from './graph-types.js';

export type RouteHandler = (req: GraphRequest) => GraphResponse | Promise<GraphResponse>;

/**
 * Base throttling cost of a route (https://learn.microsoft.com/graph/throttling-limits); modifiers are
 * applied per request.
 */
export interface RouteCost {
  ru: number;
  write: boolean;
}

export interface RouteDef {
  method: string;
  /** `/users/:id/manager/$ref`: literal segments match case-insensitively, `:name` captures one segment. */
  pattern: string;
  /**
   * Any one of these application permissions is enough
   * (https://learn.microsoft.com/graph/permissions-reference); empty = no check.
   */
  roles: readonly string[];
  cost: RouteCost;
  /**
   * A directory-object collection: `$skip` is a 400, not ignored ("List users": "`$skip` isn't
   * supported", https://learn.microsoft.com/graph/api/user-list?view=graph-rest-1.0; same on groups).
   */
  refusesSkip?: boolean;
  handler: RouteHandler;
}

export interface CompiledRoute extends RouteDef {
  /** Stats key, e.g. `GET /users/{id}/manager`. */
  name: string;
  parts: string[];
}

export type RouteMatch =
  { kind: 'found'; route: CompiledRoute; params: Record<string, string> } | { kind: 'wrongMethod' } | { kind: 'none' };

/** A small first-match router: Graph's paths are few and fixed, so a list beats a trie here. */
export class RouteTable {
  private routes: CompiledRoute[] = [];

  add(def: RouteDef): this {
    const parts = def.pattern.split('/').filter((p) => p !== '');
    const name = `${def.method} /${parts.map((p) => (p.startsWith(':') ? `{${p.slice(1)}}` : p)).join('/')}`;
    this.routes.push({ ...def, name, parts: parts.map((p) => (p.startsWith(':') ? p : p.toLowerCase())) });
    return this;
  }

  match(method: string, segments: readonly string[]): RouteMatch {
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchParts(route.parts, segments);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', route, params };
      pathMatched = true;
    }
    return pathMatched ? { kind: 'wrongMethod' } : { kind: 'none' };
  }
}

function matchParts(parts: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const segment = segments[i] as string;
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment.toLowerCase()) return undefined;
  }
  return params;
}
