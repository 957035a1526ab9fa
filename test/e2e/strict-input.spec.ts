import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestService, type TestService } from '../support/service.js';

type Problem = { status: number; code: string; detail: string; errors?: Array<{ path: string; message: string }> };

/** A bad request: what to send, and the status and field the answer must name. */
interface BadRequest {
  name: string;
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  status: 400 | 415;
  field?: string;
}

const json = (value: unknown) => ({ body: JSON.stringify(value), contentType: 'application/json' });

const badRequests: BadRequest[] = [
  {
    name: 'an unknown field in sync now (dryRun is no option)',
    method: 'POST',
    path: '/api/admin/sync/run',
    ...json({ dryRun: true }),
    status: 400,
    field: 'body.dryRun',
  },
  {
    name: 'an unknown field beside a valid one in sync now',
    method: 'POST',
    path: '/api/admin/sync/run',
    ...json({ mode: 'full', force: true }),
    status: 400,
    field: 'body.force',
  },
  {
    name: 'an unknown setting beside a valid change',
    method: 'PATCH',
    path: '/api/admin/settings',
    ...json({ autoSync: false, autosync: false }),
    status: 400,
    field: 'body.autosync',
  },
  {
    name: 'an unknown field when creating a role',
    method: 'POST',
    path: '/api/admin/roles',
    ...json({ name: 'Auditor', protected: true }),
    status: 400,
    field: 'body.protected',
  },
  {
    name: 'an unknown field when creating an HR user',
    method: 'POST',
    path: '/api/admin/users',
    ...json({ email: 'eve@contoso.com', firstName: 'Eve', lastName: 'X', isAdmin: true }),
    status: 400,
    field: 'body.isAdmin',
  },
  {
    name: 'a body on a route that takes none',
    method: 'POST',
    path: '/api/admin/connection/test',
    ...json({ tenantId: 'x' }),
    status: 400,
    field: 'body.tenantId',
  },
  {
    name: 'an unknown query parameter',
    method: 'GET',
    path: '/api/admin/users?serch=megan',
    status: 400,
    field: 'query.serch',
  },
  {
    name: 'a query parameter on a route that takes none',
    method: 'GET',
    path: '/api/admin/sync/status?verbose=1',
    status: 400,
    field: 'query.verbose',
  },
  {
    name: 'settings as text/plain',
    method: 'PATCH',
    path: '/api/admin/settings',
    body: '{"autoSync":false}',
    contentType: 'text/plain',
    status: 415,
  },
  {
    name: 'a new user as a form',
    method: 'POST',
    path: '/api/admin/users',
    body: 'email=eve%40contoso.com&firstName=Eve&lastName=X',
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
  },
  {
    name: 'sync now as text (what fetch sends for a string body)',
    method: 'POST',
    path: '/api/admin/sync/run',
    body: '{"mode":"full"}',
    status: 415,
  },
  {
    name: 'JSON in another charset than UTF-8',
    method: 'POST',
    path: '/api/admin/roles',
    body: '{"name":"Auditor"}',
    contentType: 'application/json; charset=latin1',
    status: 415,
  },
  {
    name: 'synced groups as XML',
    method: 'PUT',
    path: '/api/admin/synced-groups',
    body: '<groupIds/>',
    contentType: 'application/xml',
    status: 415,
  },
  {
    name: 'a NUL in a JSON string',
    method: 'POST',
    path: '/api/admin/users',
    ...json({ email: 'nul@contoso.com', firstName: 'Nu\u0000l', lastName: 'X' }),
    status: 400,
    field: 'body.firstName',
  },
  {
    name: 'a lone high surrogate in a JSON string',
    method: 'POST',
    path: '/api/admin/users',
    ...json({ email: 'sur@contoso.com', firstName: 'S', lastName: 'x\ud800' }),
    status: 400,
    field: 'body.lastName',
  },
  {
    name: 'a lone low surrogate in a custom field',
    method: 'POST',
    path: '/api/admin/employee-profiles',
    ...json({ email: 'p@contoso.com', firstName: 'P', lastName: 'Q', customFields: { note: '\udc00!' } }),
    status: 400,
    field: 'body.customFields.note',
  },
  {
    name: 'a NUL in a custom field',
    method: 'POST',
    path: '/api/admin/employee-profiles',
    ...json({ email: 'p@contoso.com', firstName: 'P', lastName: 'Q', customFields: { note: 'a\u0000b' } }),
    status: 400,
    field: 'body.customFields.note',
  },
  {
    name: 'a NUL in a field name',
    method: 'PATCH',
    path: '/api/admin/settings',
    ...json({ fieldOwners: { 'jobTitle\u0000': 'hr' } }),
    status: 400,
    field: 'body.fieldOwners',
  },
  {
    name: 'a NUL in a role name',
    method: 'POST',
    path: '/api/admin/roles',
    ...json({ name: 'Aud\u0000itor' }),
    status: 400,
    field: 'body.name',
  },
  {
    name: 'a NUL in a search',
    method: 'GET',
    path: '/api/admin/users?search=a%00b',
    status: 400,
    field: 'query.search',
  },
  {
    name: 'a NUL in a profile search',
    method: 'GET',
    path: '/api/admin/employee-profiles?search=%00',
    status: 400,
    field: 'query.search',
  },
  {
    name: 'a NUL in an audit filter',
    method: 'GET',
    path: '/api/admin/audit-log?action=settings%00',
    status: 400,
    field: 'query.action',
  },
  {
    name: 'a NUL in a tenant group search',
    method: 'GET',
    path: '/api/admin/groups?search=All%00Staff',
    status: 400,
    field: 'query.search',
  },
];

describe('strict input at the HTTP edge', () => {
  let service: TestService;

  const send = (request: BadRequest, token?: string | null) =>
    service.api(request.path, {
      method: request.method,
      ...(token === undefined ? {} : { token }),
      ...(request.body === undefined ? {} : { body: request.body }),
      headers: request.contentType ? { 'Content-Type': request.contentType } : {},
    });

  /** Everything a bad request could have changed, read through the API. */
  const state = async () => {
    const read = async (path: string) => {
      const res = await service.api(path);
      expect(res.status).toBe(200);
      return res.json();
    };
    const status = (await read('/api/admin/sync/status')) as Record<string, unknown>;
    return {
      users: await read('/api/admin/users'),
      profiles: await read('/api/admin/employee-profiles'),
      roles: await read('/api/admin/roles'),
      settings: await read('/api/admin/settings'),
      syncedGroups: await read('/api/admin/synced-groups'),
      runs: await read('/api/admin/sync/runs'),
      audit: await read('/api/admin/audit-log'),
      queued: [status.queued, status.running, status.lastRun],
    };
  };

  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(async () => service.close());

  it.each(badRequests)('refuses $name with $status, names the field and changes nothing', async (request) => {
    const before = await state();
    const res = await send(request);
    expect(res.status).toBe(request.status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as Problem;
    expect(problem.status).toBe(request.status);
    if (request.status === 415) {
      expect(problem.code).toBe('unsupported_media_type');
      expect(problem.detail).toContain('application/json');
    } else {
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors?.map((e) => e.path)).toContain(request.field);
      expect(problem.detail).toContain(request.field);
    }
    expect(await state()).toEqual(before);
  });

  it('says which type a PATCH takes when it answers 415 (RFC 5789 section 2.2)', async () => {
    const res = await send(badRequests.find((r) => r.status === 415 && r.method === 'PATCH')!);
    expect(res.headers.get('accept-patch')).toBe('application/json');
  });

  it('still takes the same requests once they are well formed, and an empty POST as no options', async () => {
    const settings = await service.api('/api/admin/settings', { method: 'PATCH', json: { autoSync: false } });
    expect(settings.status).toBe(200);
    expect(await settings.json()).toMatchObject({ autoSync: false, changed: ['autoSync'] });
    const charset = await service.api('/api/admin/settings', {
      method: 'PATCH',
      body: '{"autoSync":true}',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    expect(await charset.json()).toMatchObject({ autoSync: true, changed: ['autoSync'] });
    const role = await service.api('/api/admin/roles', { method: 'POST', json: { name: 'Auditor' } });
    expect(role.status).toBe(201);
    // A surrogate pair is one valid character.
    const user = await service.api('/api/admin/users', {
      method: 'POST',
      json: { email: 'emoji@contoso.com', firstName: 'Zoë 😀', lastName: 'Emoji' },
    });
    expect(user.status).toBe(201);
    expect(await user.json()).toMatchObject({ firstName: 'Zoë 😀', lastName: 'Emoji' });
    // A POST without any body is a request with no options, whatever its content type says.
    expect(
      (await service.api('/api/admin/connection/test', { method: 'POST', headers: { 'Content-Type': 'text/plain' } }))
        .status,
    ).toBe(409);
  });

  it('authenticates before it reads the body: without a token every body answers 401', async () => {
    const anonymous = [
      {
        name: 'invalid JSON',
        method: 'POST',
        path: '/api/admin/users',
        body: '{"email":',
        contentType: 'application/json',
        status: 400,
      },
      {
        name: 'a body over the limit',
        method: 'POST',
        path: '/api/admin/users',
        ...json({ email: 'x@y.z', firstName: 'a'.repeat(2_000_000), lastName: 'b' }),
        status: 400,
      },
      {
        name: 'text/plain',
        method: 'PATCH',
        path: '/api/admin/settings',
        body: '{"autoSync":false}',
        contentType: 'text/plain',
        status: 415,
      },
      { name: 'an unknown field', method: 'POST', path: '/api/admin/sync/run', ...json({ dryRun: true }), status: 400 },
    ] satisfies BadRequest[];
    for (const request of anonymous) {
      for (const token of [null, 'not-a-real-token-at-all-123456']) {
        const res = await send(request, token);
        expect([request.name, res.status]).toEqual([request.name, 401]);
        expect(await res.json()).toMatchObject({ code: 'unauthorized' });
      }
    }
    // With a token, the same requests get their own answers.
    expect((await send(anonymous[0]!)).status).toBe(400);
    expect((await send(anonymous[1]!)).status).toBe(413);
  });

  it('escapes %, _ and \\ in searches, so they match themselves and not anything', async () => {
    const people = [
      { email: 'under@contoso.com', firstName: 'Under_Score', lastName: 'One' },
      { email: 'underx@contoso.com', firstName: 'UnderXScore', lastName: 'Two' },
      { email: 'percent@contoso.com', firstName: 'Hundred', lastName: '100%Sure' },
      { email: 'nopercent@contoso.com', firstName: 'Hundred', lastName: '100 Sure' },
      { email: 'slash@contoso.com', firstName: 'Back\\Slash', lastName: 'Three' },
      { email: 'noslash@contoso.com', firstName: 'BackSlash', lastName: 'Four' },
    ];
    for (const person of people) {
      expect((await service.api('/api/admin/users', { method: 'POST', json: person })).status).toBe(201);
      expect(
        (
          await service.api('/api/admin/employee-profiles', {
            method: 'POST',
            json: { ...person, email: `p.${person.email}` },
          })
        ).status,
      ).toBe(201);
    }
    const search = async (path: string, text: string) => {
      const res = await service.api(`${path}?search=${encodeURIComponent(text)}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { items: Array<{ email: string }> }).items
        .map((item) => item.email.replace(/^p\./, ''))
        .sort();
    };
    for (const path of ['/api/admin/users', '/api/admin/employee-profiles']) {
      expect(await search(path, 'under_')).toEqual(['under@contoso.com']);
      expect(await search(path, '100%')).toEqual(['percent@contoso.com']);
      expect(await search(path, 'k\\s')).toEqual(['slash@contoso.com']);
      expect(await search(path, '%')).toEqual(['percent@contoso.com']);
      expect(await search(path, '_')).toEqual(['under@contoso.com']);
      // Ordinary searches still find part of a name, case-insensitively.
      expect(await search(path, 'hundred')).toEqual(['nopercent@contoso.com', 'percent@contoso.com']);
    }
  });

  it('marks every API response, errors included, as not to be stored by caches', async () => {
    for (const [path, token] of [
      ['/api/admin/users', undefined],
      ['/api/me', undefined],
      ['/api/admin/users', null],
      ['/api/admin/export/hr-users', undefined],
      ['/api/admin/no-such', undefined],
    ] as const) {
      const res = await service.api(path, token === null ? { token } : {});
      expect([path, res.headers.get('cache-control')]).toEqual([path, 'no-store']);
    }
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ env: { METRICS_TOKEN } });
  });
  afterAll(async () => service.close());

  it('answers 401 without the token, or with another one (the API token included), and serves the metrics with it', async () => {
    for (const token of [null, 'metrics-token-0123456789abcdeX', undefined]) {
      const res = await service.api('/metrics', token === undefined ? {} : { token });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.text()).not.toContain('http_request_duration_seconds');
    }
    const res = await service.api('/metrics', { token: METRICS_TOKEN });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('# TYPE http_request_duration_seconds histogram');
    // The metrics token is not an API token.
    expect((await service.api('/api/me', { token: METRICS_TOKEN })).status).toBe(401);
    expect((await service.api('/healthz', { token: null })).status).toBe(200);
  });
});
