import { ResponseType, type Client, type GraphRequest } from '@microsoft/microsoft-graph-client';
import { mapGraphHttpFailure, mapGraphSdkError } from './graph-error.mapper.js';
import { routeOf } from './graph-permissions.js';

export interface GraphCallOptions {
  headers?: Record<string, string>;
  /** The URL is a nextLink/deltaLink: an unknown 400 there means the token is no good. */
  onTokenUrl?: boolean;
  /** The target user is synced from on-premises AD (lets the mapper name on-premises-mastered). */
  onPremisesSynced?: boolean;
}

export interface GraphPage<T> {
  value: T[];
  nextLink: string | undefined;
  deltaLink: string | undefined;
}

export interface RawGraphResponse {
  status: number;
  headers: Headers;
  body: ArrayBuffer;
}

type WriteMethod = 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * Every Graph call of the gateway goes through here, so every failure leaves as a
 * GraphGatewayError tagged with its route.
 */
export class GraphRequestExecutor {
  constructor(
    private readonly client: Client,
    private readonly now: () => number,
  ) {}

  async get<T>(url: string, options: GraphCallOptions = {}): Promise<T> {
    return this.call('GET', url, options, (request) => request.get() as Promise<T>);
  }

  async send<T = void>(method: WriteMethod, url: string, body?: unknown, options: GraphCallOptions = {}): Promise<T> {
    return this.call(method, url, options, (request) => {
      switch (method) {
        case 'POST':
          return request.post(body) as Promise<T>;
        case 'PATCH':
          return request.patch(body) as Promise<T>;
        case 'PUT':
          return request.put(body) as Promise<T>;
        case 'DELETE':
          return request.delete() as Promise<T>;
      }
    });
  }

  /** A GET whose body is not JSON (photos). Non-2xx answers are mapped and thrown. */
  async getRaw(url: string, options: GraphCallOptions = {}): Promise<RawGraphResponse> {
    const response = await this.call(
      'GET',
      url,
      options,
      (request) => request.responseType(ResponseType.RAW).get() as Promise<Response>,
    );
    const body = await response.arrayBuffer();
    if (response.ok) return { status: response.status, headers: response.headers, body };
    throw mapGraphHttpFailure(
      { status: response.status, body: new TextDecoder().decode(body), headers: response.headers },
      { route: routeOf('GET', url), onTokenUrl: options.onTokenUrl, nowMs: this.now() },
    );
  }

  /**
   * Pages of a collection, following `@odata.nextLink` until there is none. Headers such as
   * ConsistencyLevel are not carried by nextLinks, so they are sent again with each page
   * (https://learn.microsoft.com/graph/paging).
   * The SDK's PageIterator is item-by-item with a synchronous callback and does not expose the
   * nextLink of a page, which a resumable cursor needs; hence this small loop.
   */
  async *pages<T>(firstUrl: string, options: GraphCallOptions = {}): AsyncGenerator<GraphPage<T>> {
    let url: string | undefined = firstUrl;
    let onTokenUrl = options.onTokenUrl ?? false;
    while (url !== undefined) {
      const body: Record<string, unknown> = await this.get(url, { ...options, onTokenUrl });
      const page: GraphPage<T> = {
        value: Array.isArray(body.value) ? (body.value as T[]) : [],
        nextLink: typeof body['@odata.nextLink'] === 'string' ? body['@odata.nextLink'] : undefined,
        deltaLink: typeof body['@odata.deltaLink'] === 'string' ? body['@odata.deltaLink'] : undefined,
      };
      yield page;
      url = page.nextLink;
      onTokenUrl = true;
    }
  }

  private async call<T>(
    method: string,
    url: string,
    options: GraphCallOptions,
    run: (request: GraphRequest) => Promise<T>,
  ): Promise<T> {
    let request = this.client.api(url);
    if (options.headers) request = request.headers(options.headers);
    try {
      return await run(request);
    } catch (error) {
      throw mapGraphSdkError(error, {
        route: routeOf(method, url),
        onTokenUrl: options.onTokenUrl,
        onPremisesSynced: options.onPremisesSynced,
        nowMs: this.now(),
      });
    }
  }
}

/**
 * A path with OData query options. Values are percent-encoded except the characters OData
 * expressions use (`,$'():`), which the Graph SDK passes through as they are.
 */
export function withQuery(path: string, query: Record<string, string | number | boolean | undefined>): string {
  const parts = Object.entries(query)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${encodeODataValue(String(value))}`);
  return parts.length === 0 ? path : `${path}?${parts.join('&')}`;
}

/** `id` plus the requested properties, each once, for `$select`. */
export function selectList(properties: readonly string[]): string {
  return [...new Set(['id', ...properties])].join(',');
}

function encodeODataValue(value: string): string {
  return encodeURIComponent(value).replace(/%2C|%24|%27|%28|%29|%3A/gi, (escaped) => decodeURIComponent(escaped));
}
