import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_TOKEN, startTestService, type TestService } from '../support/service.js';

const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

interface IssuedToken {
  id: string;
  token: string;
  scope: string;
}

/**
 * The SCIM surface at /scim/v2: its own tokens, its own parser and RFC 7644 section 3.12 errors
 * (https://datatracker.ietf.org/doc/html/rfc7644#section-3.12). The resources are scim-users.spec.ts's.
 */
describe('SCIM surface', () => {
  let service: TestService;
  let adminId: string;
  let scim: IssuedToken;

  /** Calls SCIM and checks the answer is a SCIM error of this status. */
  const scimError = async (
    path: string,
    init: { method?: string; token?: string | null; body?: string; type?: string },
    status: number,
  ): Promise<{ detail: string; scimType?: string; headers: Headers }> => {
    const res = await service.api(path, {
      method: init.method ?? 'GET',
      token: init.token === undefined ? scim.token : init.token,
      ...(init.body === undefined ? {} : { body: init.body }),
      ...(init.type ? { headers: { 'Content-Type': init.type } } : {}),
    });
    const where = `${init.method ?? 'GET'} ${path}`;
    expect([where, res.status, res.headers.get('content-type')]).toEqual([
      where,
      status,
      expect.stringMatching(/^application\/scim\+json/),
    ]);
    const body = (await res.json()) as { schemas: string[]; status: string; detail: string; scimType?: string };
    expect([where, body.schemas, body.status, typeof body.detail]).toEqual([
      where,
      [SCIM_ERROR],
      String(status),
      'string',
    ]);
    return { detail: body.detail, ...(body.scimType ? { scimType: body.scimType } : {}), headers: res.headers };
  };

  beforeAll(async () => {
    service = await startTestService();
    adminId = ((await (await service.api('/api/me')).json()) as { userId: string }).userId;
    const issued = await service.api(`/api/admin/users/${adminId}/tokens`, {
      method: 'POST',
      json: { name: 'Entra provisioning', scope: 'scim' },
    });
    expect(issued.status).toBe(201);
    scim = (await issued.json()) as IssuedToken;
  });
  afterAll(async () => service?.close());

  it('issues a SCIM token to an administrator, shown with its scope in the token list', async () => {
    expect(scim.scope).toBe('scim');
    const listed = (await (await service.api('/api/admin/tokens?scope=scim')).json()) as {
      items: Array<{ id: string; scope: string }>;
    };
    expect(listed.items.map((t) => [t.id, t.scope])).toEqual([[scim.id, 'scim']]);
    const apiTokens = (await (await service.api('/api/admin/tokens?scope=api')).json()) as {
      items: Array<{ scope: string }>;
    };
    expect(apiTokens.items.length).toBeGreaterThan(0);
    expect(apiTokens.items.every((t) => t.scope === 'api')).toBe(true);
    const audit = (await (await service.api('/api/admin/audit-log?action=api-token.issue')).json()) as {
      items: Array<{ target: string; newValue: { scope?: string } }>;
    };
    expect(audit.items.find((item) => item.target === `api-token:${scim.id}`)?.newValue.scope).toBe('scim');
  });

  /** A new HR user (the admin API's), with no role. */
  const newUser = async (email: string, firstName: string, lastName: string) =>
    (await (
      await service.api('/api/admin/users', { method: 'POST', json: { email, firstName, lastName } })
    ).json()) as {
      id: string;
    };

  it('refuses a SCIM token for an HR user who is no administrator', async () => {
    const user = await newUser('employee.scim@contoso.com', 'Emil', 'Ployee');
    const res = await service.api(`/api/admin/users/${user.id}/tokens`, {
      method: 'POST',
      json: { name: 'provisioning', scope: 'scim' },
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'conflict' });
  });

  it('keeps the two kinds of token apart: an API token is a SCIM 401, a SCIM token a problem+json 401', async () => {
    for (const token of [null, 'not-a-real-token-at-all-123456', ADMIN_TOKEN]) {
      const { headers } = await scimError('/scim/v2/Users', { token }, 401);
      expect(headers.get('www-authenticate')).toMatch(/^Bearer realm="scim"/);
    }
    for (const path of ['/api/me', '/api/admin/users']) {
      const res = await service.api(path, { token: scim.token });
      expect([path, res.status, res.headers.get('content-type')]).toEqual([
        path,
        401,
        expect.stringMatching(/^application\/problem\+json/),
      ]);
      expect(await res.json()).toMatchObject({ status: 401, code: 'unauthorized' });
    }
  });

  it('answers a path or id of no SCIM resource with a SCIM 404 naming it', async () => {
    for (const [path, named] of [
      ['/scim/v2', '/scim/v2'],
      ['/scim/v2/Widgets', '/scim/v2/Widgets'],
      ['/scim/v2/Users/2819c223', 'No User with id 2819c223'],
      ['/scim/v2/Groups/2819c223', 'No Group with id 2819c223'],
    ]) {
      const { detail, scimType } = await scimError(path!, {}, 404);
      expect(detail).toContain(named);
      expect(scimType).toBeUndefined();
    }
  });

  it('reads application/scim+json and application/json, and refuses other bodies with a SCIM 415', async () => {
    const user = JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'a@contoso.com' });
    // Read, then refused: this service takes its users from the Graph sync until userSource says otherwise.
    for (const type of ['application/scim+json', 'application/json', 'application/scim+json; charset=utf-8'])
      await scimError('/scim/v2/Users', { method: 'POST', body: user, type }, 403);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])
      await scimError('/scim/v2/Users', { method: 'POST', body: user, type }, 415);
    await scimError(
      '/scim/v2/Users',
      { method: 'POST', body: user, type: 'application/scim+json; charset=latin1' },
      415,
    );
  });

  it('answers a body that is not JSON with 400 invalidSyntax, and one too large with 413', async () => {
    const { scimType } = await scimError(
      '/scim/v2/Users',
      { method: 'POST', body: '{"userName":', type: 'application/scim+json' },
      400,
    );
    expect(scimType).toBe('invalidSyntax');
    await scimError(
      '/scim/v2/Users',
      { method: 'POST', body: JSON.stringify({ userName: 'x'.repeat(2_000_000) }), type: 'application/scim+json' },
      413,
    );
  });

  it('answers a method SCIM does not use with a SCIM 405 naming those it does', async () => {
    const { headers } = await scimError('/scim/v2/Users', { method: 'OPTIONS' }, 405);
    expect(headers.get('allow')).toBe('GET, HEAD, POST, PUT, PATCH, DELETE');
  });

  it('stops taking a revoked SCIM token', async () => {
    const other = (await (
      await service.api(`/api/admin/users/${adminId}/tokens`, {
        method: 'POST',
        json: { name: 'spare', scope: 'scim' },
      })
    ).json()) as IssuedToken;
    await scimError('/scim/v2/Nothing', { token: other.token }, 404);
    expect((await service.api(`/api/admin/tokens/${other.id}`, { method: 'DELETE' })).status).toBe(200);
    await scimError('/scim/v2/Nothing', { token: other.token }, 401);
  });

  it("follows a change of its holder's roles at the next request, though the holder is remembered", async () => {
    const grace = await newUser('grace.scim@contoso.com', 'Grace', 'Hopper');
    const setRoles = async (roles: string[]) =>
      expect((await service.api(`/api/admin/users/${grace.id}/roles`, { method: 'PUT', json: { roles } })).status).toBe(
        200,
      );
    await setRoles(['Administrator']);
    const token = (await (
      await service.api(`/api/admin/users/${grace.id}/tokens`, {
        method: 'POST',
        json: { name: 'grace', scope: 'scim' },
      })
    ).json()) as IssuedToken;
    // Twice: the second answer comes from what the first remembered.
    await scimError('/scim/v2/Nothing', { token: token.token }, 404);
    await scimError('/scim/v2/Nothing', { token: token.token }, 404);
    await setRoles([]);
    expect((await scimError('/scim/v2/Nothing', { token: token.token }, 403)).detail).toMatch(
      /no longer an administrator/,
    );
    await setRoles(['Administrator']);
    await scimError('/scim/v2/Nothing', { token: token.token }, 404);
  });
});
