import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LIST, ScimWorld, USER_SCHEMA, entraUser, patchOp } from './scim-support.js';

type List = { totalResults: number; Resources: Array<Record<string, unknown>> };

/**
 * What the SCIM endpoint answers besides the happy path: discovery (RFC 7644 section 4), and bad
 * input (malformed JSON, unknown attributes, an invalid filter, a wrong schema URN, an oversized
 * body), each a SCIM error with a clear detail that changes nothing (RFC 7644 section 3.12).
 */
describe('SCIM protocol', () => {
  let world: ScimWorld;
  let userCount: () => Promise<number>;
  beforeAll(async () => {
    world = await ScimWorld.start({ userSource: 'push' });
    userCount = async () => (await world.admin<unknown[]>('/api/admin/export/hr-users?format=json')).length;
  });
  afterAll(async () => world?.close());

  it('describes itself: ServiceProviderConfig (also at /serviceConfiguration), ResourceTypes, Schemas', async () => {
    for (const path of ['/ServiceProviderConfig', '/serviceConfiguration', '/serviceproviderconfig']) {
      const res = await world.scim('GET', path);
      expect([path, res.status, res.body.patch, res.body.etag]).toEqual([
        path,
        200,
        { supported: true },
        { supported: true },
      ]);
    }
    const types = await world.scim<{ schemas: string[]; Resources: Array<{ endpoint: string }> }>(
      'GET',
      '/ResourceTypes',
    );
    expect([types.body.schemas, types.body.Resources.map((r) => r.endpoint)]).toEqual([[LIST], ['/Users', '/Groups']]);
    expect((await world.scim('GET', '/ResourceTypes/user')).body.endpoint).toBe('/Users');
    const schemas = await world.scim<List>('GET', '/Schemas');
    expect(schemas.body.totalResults).toBe(3);
    expect(JSON.stringify(schemas.body)).toContain('User Account');
    const enterprise = await world.scim('GET', '/Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User');
    expect([enterprise.status, enterprise.body.name]).toEqual([200, 'EnterpriseUser']);
    ScimWorld.expectError(await world.scim('GET', '/Schemas/urn:nothing'), 404);
  });

  it('takes attribute names, operators and paths in any case, and ignores query parameters it does not know', async () => {
    await world.scim('POST', '/Users', entraUser('ivy.case@contoso.com'));
    const res = await world.scim<List>(
      'GET',
      `/users/?FILTER=${encodeURIComponent('UserName EQ "IVY.CASE@contoso.com"')}&aadOptscim062020`,
    );
    expect([res.status, res.body.totalResults]).toEqual([200, 1]);
  });

  it.each([
    ['malformed JSON', 'POST', '/Users', '{"userName":', 400, 'invalidSyntax'],
    ['a body that is no object', 'POST', '/Users', '[1,2]', 400, 'invalidSyntax'],
    [
      'an unknown attribute',
      'POST',
      '/Users',
      JSON.stringify(entraUser('x1@contoso.com', { adreses: [] })),
      400,
      'invalidSyntax',
    ],
    [
      'an unknown enterprise attribute',
      'POST',
      '/Users',
      JSON.stringify(
        entraUser('x2@contoso.com', {
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { shoeSize: '42' },
        }),
      ),
      400,
      'invalidSyntax',
    ],
    [
      'a Group schema on /Users',
      'POST',
      '/Users',
      JSON.stringify({ ...entraUser('x3@contoso.com'), schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'] }),
      400,
      'invalidValue',
    ],
    [
      'no userName',
      'POST',
      '/Users',
      JSON.stringify({ schemas: [USER_SCHEMA], name: { givenName: 'A', familyName: 'B' } }),
      400,
      'invalidValue',
    ],
    [
      'no given name and surname (rule 2.3)',
      'POST',
      '/Users',
      JSON.stringify({ schemas: [USER_SCHEMA], userName: 'x4@contoso.com' }),
      400,
      'invalidValue',
    ],
    [
      'no e-mail address at all',
      'POST',
      '/Users',
      JSON.stringify({ ...entraUser('x5@contoso.com'), userName: 'OMalley', emails: [] }),
      400,
      'invalidValue',
    ],
    [
      'a title longer than HR keeps',
      'POST',
      '/Users',
      JSON.stringify(entraUser('x6@contoso.com', { title: 'x'.repeat(129) })),
      400,
      'invalidValue',
    ],
    [
      'a PatchOp without its schema URN',
      'PATCH',
      '/Users/{id}',
      JSON.stringify({ schemas: [USER_SCHEMA], Operations: [{ op: 'replace', path: 'title', value: 'x' }] }),
      400,
      'invalidValue',
    ],
    [
      'a PATCH path to nothing',
      'PATCH',
      '/Users/{id}',
      JSON.stringify(
        patchOp({ op: 'replace', path: 'title', value: 'Changed' }, { op: 'replace', path: 'shoeSize', value: '42' }),
      ),
      400,
      'invalidPath',
    ],
    [
      'a read-only attribute',
      'PATCH',
      '/Users/{id}',
      JSON.stringify(patchOp({ op: 'replace', path: 'id', value: 'x' })),
      400,
      'mutability',
    ],
    ['an invalid filter', 'GET', `/Users?filter=${encodeURIComponent('userName eq')}`, undefined, 400, 'invalidFilter'],
    [
      'a filter on an attribute HR does not keep',
      'GET',
      `/Users?filter=${encodeURIComponent('nickName eq "x"')}`,
      undefined,
      400,
      'invalidFilter',
    ],
    ['a startIndex that is no number', 'GET', '/Users?startIndex=two', undefined, 400, 'invalidValue'],
  ])('answers %s with a SCIM 400 and changes nothing', async (_name, method, path, body, status, scimType) => {
    const target = (
      await world.scim<{ id: string; title: string }>(
        'POST',
        '/Users',
        entraUser(`t${Math.random().toString(36).slice(2)}@contoso.com`),
      )
    ).body;
    const before = await userCount();
    const res = await world.scim(method, path.replace('{id}', target.id), body);
    expect(ScimWorld.expectError(res, status, scimType).length).toBeGreaterThan(10);
    expect(await userCount()).toBe(before);
    expect((await world.scim<{ title: string }>('GET', `/Users/${target.id}`)).body.title).toBe(target.title);
  });

  it('answers an oversized body with 413 and a missing resource with 404', async () => {
    const big = JSON.stringify(entraUser('big@contoso.com', { nickName: 'x'.repeat(2_000_000) }));
    ScimWorld.expectError(await world.scim('POST', '/Users', big), 413);
    ScimWorld.expectError(await world.scim('GET', '/Users/not-an-id'), 404);
    ScimWorld.expectError(
      await world.scim(
        'PATCH',
        '/Users/7d0c1f3e-0000-4000-8000-000000000001',
        patchOp({ op: 'replace', path: 'title', value: 'x' }),
      ),
      404,
    );
    ScimWorld.expectError(await world.scim('GET', '/Widgets'), 404);
  });
});

describe('SCIM while the Graph sync owns users (userSource pull, the default)', () => {
  let world: ScimWorld;
  beforeAll(async () => {
    world = await ScimWorld.start();
  });
  afterAll(async () => world?.close());

  it('answers reads, so the test connection works, and refuses every write with 403 saying which setting to change', async () => {
    const list = await world.scim<List>(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "nobody@contoso.com"')}`,
    );
    expect([list.status, list.body.totalResults]).toEqual([200, 0]);
    const admin = (await world.scim<List>('GET', '/Users')).body.Resources[0]!;
    for (const [method, path, body] of [
      ['POST', '/Users', entraUser('jo.pull@contoso.com')],
      ['PATCH', `/Users/${String(admin.id)}`, patchOp({ op: 'replace', path: 'title', value: 'x' })],
      ['DELETE', `/Users/${String(admin.id)}`, undefined],
      ['POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Sales' }],
    ] as const) {
      expect(ScimWorld.expectError(await world.scim(method, path, body), 403)).toContain('userSource');
    }
    expect((await world.scim<List>('GET', '/Users')).body.totalResults).toBe(1);
  });
});
