import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSyncHarness, type SyncHarness } from '../support/entra.js';
import { ADMIN_TOKEN, startTestService, type TestService } from '../support/service.js';

interface Warning {
  setting: string;
  code: string;
  message: string;
}
type Settings = Record<string, unknown> & { warnings: Warning[]; changed?: string[] };

describe('a first day that explains itself', () => {
  describe('the front page before the web app is built', () => {
    let service: TestService;
    beforeAll(async () => {
      // Once `npm run build` has built the web app, GET / serves it (test/browser); until then, this page.
      service = await startTestService({ env: { WEB_APP_DIR: '/nonexistent/web-app-not-built' } });
    });
    afterAll(async () => service.close());

    it('answers GET / without a token with a small page whose links work, and shows nothing of the instance', async () => {
      const res = await service.api('/', { token: null });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const page = await res.text();
      expect(page).toContain('Entra HR Connector');
      expect(page).toMatch(/admin-token/);
      expect(page).toMatch(/Authorization: Bearer/);
      const links = [...page.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
      expect(links).toEqual(expect.arrayContaining(['/openapi.json', '/healthz']));
      for (const link of links) expect((await service.api(link, { token: null })).status).toBe(200);
      // Public: no token, no host or port of this instance, nothing echoed from the request.
      expect(page).not.toContain(ADMIN_TOKEN);
      expect(page).not.toContain(new URL(service.url).port);
      const probed = await (
        await service.api('/?<script>alert(1)</script>', {
          token: null,
          headers: { 'X-Forwarded-Host': 'evil.example' },
        })
      ).text();
      expect(probed).toBe(page);
      expect((await service.api('/', { token: null, method: 'HEAD' })).status).toBe(200);
    });
  });

  describe('settings that cannot take effect', () => {
    let h: SyncHarness;
    const settings = async () => (await (await h.service.api('/api/admin/settings')).json()) as Settings;
    const patch = async (json: unknown) => {
      const res = await h.service.api('/api/admin/settings', { method: 'PATCH', json });
      expect(res.status).toBe(200);
      return (await res.json()) as Settings;
    };
    const codes = (body: Settings) => body.warnings.map((w) => `${w.setting}:${w.code}`).sort();

    beforeAll(async () => {
      h = await startSyncHarness();
    });
    afterAll(async () => h.close());

    it('say so beside the settings, and the warning goes once the cause is fixed', async () => {
      // Connected, but nothing chosen to sync yet.
      expect(codes(await settings())).toEqual(['autoSync:no-synced-groups']);
      const group = await h.emulator.control.createGroup({ displayName: 'Everyone' });
      expect(
        (await h.service.api('/api/admin/synced-groups', { method: 'PUT', json: { groupIds: [group.id] } })).status,
      ).toBe(200);
      expect(codes(await settings())).toEqual([]);

      // No SMTP_URL on this service: the e-mail is stored, and the answer says it will not be sent.
      const withEmail = await patch({ notifyEmail: 'hr-ops@contoso.com' });
      expect(withEmail).toMatchObject({ notifyEmail: 'hr-ops@contoso.com', changed: ['notifyEmail'] });
      expect(withEmail.warnings).toEqual([
        { setting: 'notifyEmail', code: 'smtp-not-configured', message: expect.stringContaining('SMTP_URL') },
      ]);

      // A role mapping while role sync is off (the default).
      const role = (await (
        await h.service.api('/api/admin/roles', { method: 'POST', json: { name: 'Staff' } })
      ).json()) as { id: string };
      expect(
        (
          await h.service.api('/api/admin/role-mappings', {
            method: 'POST',
            json: { groupId: group.id, roleId: role.id },
          })
        ).status,
      ).toBe(201);
      expect(codes(await settings())).toEqual(['notifyEmail:smtp-not-configured', 'roleSync:role-sync-off']);
      expect(codes(await patch({ roleSync: true }))).toEqual(['notifyEmail:smtp-not-configured']);

      // Invitations with no mail server (rule 8.4), and a secret without its webhook.
      expect(codes(await patch({ invitations: true, notifyWebhookSecret: 'a-very-long-webhook-secret' }))).toEqual([
        'invitations:smtp-not-configured',
        'notifyEmail:smtp-not-configured',
        'notifyWebhookSecret:webhook-secret-without-url',
      ]);
      expect(codes(await patch({ invitations: false, notifyEmail: null, notifyWebhookSecret: null }))).toEqual([]);
    });
  });
});
