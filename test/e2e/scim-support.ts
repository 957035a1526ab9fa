import { expect } from '@jest/globals';
import { startTestService, type TestService } from '../support/service.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface ScimAnswer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** The service with a SCIM token of its administrator, as Entra's provisioning service would call it. */
export class ScimWorld {
  private constructor(
    readonly service: TestService,
    readonly token: string,
    readonly adminId: string,
  ) {}

  static async start(options: { userSource?: 'pull' | 'push' | 'both'; env?: Record<string, string> } = {}) {
    const service = await startTestService(options.env ? { env: options.env } : {});
    const adminId = ((await (await service.api('/api/me')).json()) as { userId: string }).userId;
    const issued = await service.api(`/api/admin/users/${adminId}/tokens`, {
      method: 'POST',
      json: { name: 'Entra provisioning', scope: 'scim' },
    });
    expect(issued.status).toBe(201);
    const world = new ScimWorld(service, ((await issued.json()) as { token: string }).token, adminId);
    if (options.userSource) await world.admin('/api/admin/settings', 'PATCH', { userSource: options.userSource });
    return world;
  }

  async close(): Promise<void> {
    await this.service.close();
  }

  /** A SCIM request as Entra sends it: bearer token, application/scim+json. */
  async scim<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ScimAnswer<T>> {
    const res = await this.service.api(`/scim/v2${path}`, {
      method,
      token: headers.token ?? this.token,
      headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/scim+json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    if (text) expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
  }

  /** The admin API as the bootstrap administrator; fails unless it answers 2xx. */
  async admin<T = unknown>(path: string, method = 'GET', json?: unknown): Promise<T> {
    const res = await this.service.api(path, { method, ...(json === undefined ? {} : { json }) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** Expects a SCIM error of this status (and scimType), answers its detail. */
  static expectError(answer: ScimAnswer, status: number, scimType?: string): string {
    const body = answer.body as { schemas: string[]; status: string; scimType?: string; detail: string };
    expect([answer.status, body.schemas, body.status, body.scimType]).toEqual([
      status,
      [ERROR],
      String(status),
      scimType,
    ]);
    return body.detail;
  }
}

export const patchOp = (...operations: unknown[]) => ({ schemas: [PATCH_OP], Operations: operations });

/** Microsoft's "Create User" body (Microsoft Learn, "Tutorial: Develop and plan provisioning for a SCIM endpoint"). */
export function entraUser(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const [given = 'Test', family = 'User'] = userName.split('@')[0]!.split('.');
  return {
    schemas: [USER_SCHEMA, ENTERPRISE],
    externalId: `ext-${userName}`,
    userName,
    active: true,
    displayName: `${given} ${family}`,
    title: 'Engineer',
    emails: [{ primary: true, type: 'work', value: userName }],
    name: { formatted: `${given} ${family}`, familyName: family, givenName: given },
    phoneNumbers: [
      { type: 'work', value: '+49 30 1234' },
      { type: 'mobile', value: '+49 170 1' },
    ],
    addresses: [{ type: 'work', streetAddress: 'Main St 1', locality: 'Berlin', postalCode: '10115', country: 'DE' }],
    [ENTERPRISE]: { employeeNumber: 'E-1001', department: 'R&D' },
    meta: { resourceType: 'User' },
    roles: [],
    ...extra,
  };
}
