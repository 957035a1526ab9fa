import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestService, type TestService } from '../support/service.js';

const NOTIFICATIONS = '/api/notifications/graph';

/** A change notification as Graph sends it (https://learn.microsoft.com/en-us/graph/api/resources/changenotification). */
const changeNotification = {
  id: 'lsgTZMr9KwAAA',
  subscriptionId: '8e1c3b6a-65d1-4d39-8a4b-0f1f3c3d2b11',
  subscriptionExpirationDateTime: '2030-03-19T22:11:09.952Z',
  clientState: 'secretClientValue',
  changeType: 'updated',
  resource: 'users/{user-id}/events/{event-id}',
  tenantId: '84bd8158-6d4d-4958-8b9f-9d6445542f95',
  resourceData: { '@odata.type': '#Microsoft.Graph.Event', id: '{event-id}' },
};

/** The surfaces the app composes, each seen from outside: its parser, its authentication, its error shape. */
describe('HTTP surfaces', () => {
  let service: TestService;
  let webDir: string;

  beforeAll(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'ehc-web-'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>HR web app</title>');
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'assets', 'app.js'), 'console.log("hr");');
    writeFileSync(join(webDir, '.env'), 'SECRET=1');
    service = await startTestService({ env: { WEB_APP_DIR: webDir } });
  });
  afterAll(async () => {
    await service?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  describe('Graph change notifications', () => {
    it('echoes the validation token as text/plain with 200, at once and without a credential', async () => {
      const token = 'Validation: Testing client application reachability for subscription Request-Id: 8a7b-1c';
      const started = Date.now();
      const res = await service.api(`${NOTIFICATIONS}?validationToken=${encodeURIComponent(token)}`, {
        method: 'POST',
        token: null,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe(token);
      // Graph gives up after 10 seconds; this answer involves no database.
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('escapes markup in a validation token, which Graph never sends', async () => {
      const res = await service.api(`${NOTIFICATIONS}?validationToken=${encodeURIComponent('<script>x</script>')}`, {
        method: 'POST',
        token: null,
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('&#60;script&#62;x&#60;/script&#62;');
    });

    it('accepts a batch of change notifications, and a lifecycle notification, with 202', async () => {
      for (const value of [
        [changeNotification, { ...changeNotification, changeType: 'deleted' }],
        [{ subscriptionId: changeNotification.subscriptionId, lifecycleEvent: 'reauthorizationRequired' }],
      ]) {
        const res = await service.api(NOTIFICATIONS, { method: 'POST', token: null, json: { value } });
        expect(res.status).toBe(202);
        expect(await res.text()).toBe('');
      }
    });

    it('refuses what is not a notification batch, in problem+json', async () => {
      const cases: Array<{ body?: string; type?: string; status: number; code: string }> = [
        { body: JSON.stringify({ value: [] }), type: 'application/json', status: 400, code: 'validation_failed' },
        {
          body: JSON.stringify({ value: [{ subscriptionId: 's', changeType: 'updated' }] }),
          type: 'application/json',
          status: 400,
          code: 'validation_failed',
        },
        { body: '{"value":', type: 'application/json', status: 400, code: 'bad_request' },
        {
          body: JSON.stringify({ value: [changeNotification] }),
          type: 'text/plain',
          status: 415,
          code: 'unsupported_media_type',
        },
        { status: 400, code: 'bad_request' },
      ];
      for (const { body, type, status, code } of cases) {
        const res = await service.api(NOTIFICATIONS, {
          method: 'POST',
          token: null,
          ...(body === undefined ? {} : { body }),
          ...(type ? { headers: { 'Content-Type': type } } : {}),
        });
        expect([body, res.status, res.headers.get('content-type')]).toEqual([
          body,
          status,
          expect.stringMatching(/^application\/problem\+json/),
        ]);
        expect(await res.json()).toMatchObject({ status, code });
      }
      const tooLarge = await service.api(NOTIFICATIONS, {
        method: 'POST',
        token: null,
        json: { value: [{ ...changeNotification, resource: 'x'.repeat(2_000_000) }] },
      });
      expect(tooLarge.status).toBe(413);
    });

    it('answers 405 naming POST to other methods, and a problem+json 404 below it', async () => {
      const res = await service.api(NOTIFICATIONS, { token: null });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(await res.json()).toMatchObject({ status: 405, code: 'method_not_allowed' });
      const below = await service.api(`${NOTIFICATIONS}/more`, { method: 'POST', token: null, json: {} });
      expect(below.status).toBe(404);
      expect(await below.json()).toMatchObject({ status: 404, code: 'not_found' });
    });
  });

  describe('the web app', () => {
    it('serves the built files at / and below, and never a dot file', async () => {
      const home = await service.api('/', { token: null });
      expect(home.status).toBe(200);
      expect(home.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await home.text()).toContain('HR web app');
      const script = await service.api('/assets/app.js', { token: null });
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toMatch(/javascript/);
      const hidden = await service.api('/.env', { token: null });
      expect(hidden.status).toBe(404);
      expect(await hidden.text()).not.toContain('SECRET');
    });

    it('leaves a file it lacks to the service 404, in problem+json', async () => {
      const res = await service.api('/assets/missing.js', { token: null });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ status: 404, code: 'not_found' });
    });

    it("answers a browser's navigation to a page of the app with index.html, never cached", async () => {
      const html = { Accept: 'text/html,application/xhtml+xml' };
      const page = await service.api('/history/runs', { token: null, headers: html });
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(await page.text()).toContain('<title>HR web app</title>');
      // Not for the API, SCIM or sign-in paths, nor a file the build lacks.
      expect((await service.api('/api/nowhere', { token: null, headers: html })).status).toBe(401);
      expect((await service.api('/auth/nowhere', { token: null, headers: html })).status).toBe(404);
      expect((await service.api('/assets/lost.js', { token: null, headers: html })).status).toBe(404);
      // A built file, named by its content's hash, is kept by the browser for a year.
      const asset = await service.api('/assets/app.js', { token: null });
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    });
  });

  describe('the admin API', () => {
    it('keeps its problem+json shape: 401 before anything, 404 and 415 behind the token', async () => {
      const anonymous = await service.api('/api/admin/nowhere', { token: null });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const missing = await service.api('/api/admin/nowhere');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({
        status: 404,
        code: 'not_found',
        detail: 'No route for GET /api/admin/nowhere',
      });
      const wrongType = await service.api('/api/admin/users', {
        method: 'POST',
        body: 'email=a@b.c',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      expect(wrongType.status).toBe(415);
      expect(await wrongType.json()).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    });
  });

  it('answers a path no surface owns with a problem+json 404', async () => {
    const res = await service.api('/nowhere/at/all', { token: null });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({
      status: 404,
      code: 'not_found',
      detail: 'No route for GET /nowhere/at/all',
    });
  });
});
