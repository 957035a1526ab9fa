import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestService, type TestService } from '../support/service.js';

describe('HTTP foundation', () => {
  let service: TestService;
  let employeeToken: string;

  beforeAll(async () => {
    service = await startTestService();
    const created = await service.api('/api/admin/users', {
      method: 'POST',
      json: { email: 'Megan@Contoso.com', firstName: 'Megan', lastName: 'Bowen' },
    });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string };
    const issued = await service.api(`/api/admin/users/${user.id}/tokens`, {
      method: 'POST',
      json: { name: 'laptop' },
    });
    employeeToken = ((await issued.json()) as { token: string }).token;
  });
  afterAll(async () => service.close());

  it('answers /healthz and /readyz without a token', async () => {
    expect((await service.api('/healthz', { token: null })).status).toBe(200);
    const ready = await service.api('/readyz', { token: null });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('answers 401 with a problem body on every other route without a valid token', async () => {
    for (const token of [null, 'not-a-real-token-at-all-123456']) {
      const res = await service.api('/api/me', { token });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const problem = (await res.json()) as Record<string, unknown>;
      expect(problem).toMatchObject({ status: 401, code: 'unauthorized' });
      expect(problem.requestId).toEqual(res.headers.get('x-request-id'));
    }
    expect((await service.api('/api/admin/users', { token: null })).status).toBe(401);
    expect((await service.api('/api/no-such-route', { token: null })).status).toBe(401);
  });

  it('answers 403 to a non-administrator on an admin route, and serves them their own routes', async () => {
    const me = await service.api('/api/me', { token: employeeToken });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'Megan@Contoso.com', isAdmin: false });
    const res = await service.api('/api/admin/users', { token: employeeToken });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'forbidden' });
    expect((await service.api('/api/admin/sync/run', { method: 'POST', json: {}, token: employeeToken })).status).toBe(
      403,
    );
  });

  it('answers 400 naming each wrong field for a malformed body, and changes nothing', async () => {
    const res = await service.api('/api/admin/users', {
      method: 'POST',
      json: { email: 'not-an-email', firstName: '' },
    });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { code: string; errors: Array<{ path: string }>; detail: string };
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['body.email', 'body.firstName', 'body.lastName']);
    const invalidJson = await service.api('/api/admin/users', {
      method: 'POST',
      body: '{"email":',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(invalidJson.status).toBe(400);
    expect(await invalidJson.json()).toMatchObject({
      code: 'bad_request',
      detail: 'The request body is not valid JSON',
    });
    const list = (await (await service.api('/api/admin/users?search=not-an-email')).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
  });

  it('refuses a second user whose e-mail differs only in case with 409', async () => {
    const res = await service.api('/api/admin/users', {
      method: 'POST',
      json: { email: 'megan@contoso.COM', firstName: 'M', lastName: 'B' },
    });
    expect(res.status).toBe(409);
  });

  it('limits the size of a request body', async () => {
    const res = await service.api('/api/admin/users', {
      method: 'POST',
      json: { email: 'x@y.z', firstName: 'a'.repeat(2_000_000), lastName: 'b' },
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'payload_too_large' });
  });

  it('sends security headers and a request id', async () => {
    const res = await service.api('/healthz', { token: null, headers: { 'X-Request-Id': 'trace-12345678' } });
    expect(res.headers.get('x-request-id')).toBe('trace-12345678');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBeTruthy();
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('shows the schedule of the sync job with its next run', async () => {
    const res = await service.api('/api/admin/sync/status');
    expect(res.status).toBe(200);
    const status = (await res.json()) as { autoSync: boolean; interval: string; nextRunAt: string };
    expect(status.autoSync).toBe(true);
    expect(status.interval).toBe('30 minutes');
    const next = Date.parse(status.nextRunAt) - Date.now();
    expect(next).toBeGreaterThan(25 * 60_000);
    expect(next).toBeLessThanOrEqual(30 * 60_000);
  });

  it('serves the OpenAPI document generated from the request schemas', async () => {
    const doc = (await (await service.api('/openapi.json', { token: null })).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/admin/users']?.post?.requestBody).toBeDefined();
    expect(Object.keys(doc.paths)).toContain('/api/admin/sync/run');
  });

  it('serves Prometheus metrics of HTTP and jobs', async () => {
    const text = await (await service.api('/metrics', { token: null })).text();
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/me",status="200"\} \d+/);
    expect(text).toContain('# TYPE job_runs_total counter');
    expect(text).toContain('# TYPE sync_runs_total counter');
  });
});
