import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestService, type TestService } from '../support/service.js';

type Json = Record<string, unknown>;
interface AuditPage {
  items: Array<{
    id: number;
    actorId: string | null;
    actorEmail: string | null;
    action: string;
    target: string;
    oldValue: unknown;
    newValue: unknown;
  }>;
  next: string | null;
}

describe('integration settings API', () => {
  let service: TestService;
  let adminId: string;
  let employeeToken: string;

  const settings = async () => (await (await service.api('/api/admin/settings')).json()) as Json;
  const patch = (json: unknown, token?: string) =>
    service.api('/api/admin/settings', { method: 'PATCH', json, ...(token ? { token } : {}) });
  const audit = async (query = '') => (await (await service.api(`/api/admin/audit-log${query}`)).json()) as AuditPage;
  const problemPaths = async (res: Response) =>
    ((await res.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path).sort();

  beforeAll(async () => {
    service = await startTestService();
    adminId = ((await (await service.api('/api/me')).json()) as { userId: string }).userId;
    const created = (await (
      await service.api('/api/admin/users', {
        method: 'POST',
        json: { email: 'adele@contoso.com', firstName: 'Adele', lastName: 'Vance' },
      })
    ).json()) as { id: string };
    employeeToken = (
      (await (
        await service.api(`/api/admin/users/${created.id}/tokens`, { method: 'POST', json: { name: 't' } })
      ).json()) as { token: string }
    ).token;
  });
  afterAll(async () => service.close());

  it('shows every setting with its default, and the webhook secret only as set or not', async () => {
    const current = await settings();
    expect(current).toMatchObject({
      autoSync: true,
      syncInterval: '30 minutes',
      fullReconciliationInterval: '7 days',
      followNestedGroups: true,
      neverSyncedPolicy: 'leave-alone',
      guardThreshold: 0.1,
      roleSync: false,
      writeBackUpdate: false,
      writeBackCreate: false,
      writeBackDelete: false,
      writeBackFields: [],
      writeBackCreateDomain: null,
      writeBackCreateGroupId: null,
      calendarSync: false,
      invitations: false,
      attributeMapping: [],
      fieldOwners: {},
      notifyEmail: null,
      notifyWebhookUrl: null,
      notifyWebhookSecretSet: false,
    });
    expect(Object.keys(current).filter((key) => /secret/i.test(key))).toEqual(['notifyWebhookSecretSet']);
  });

  it('is for administrators only', async () => {
    expect((await service.api('/api/admin/settings', { token: employeeToken })).status).toBe(403);
    expect((await patch({ autoSync: false }, employeeToken)).status).toBe(403);
    expect((await service.api('/api/admin/audit-log', { token: employeeToken })).status).toBe(403);
    expect((await service.api('/api/admin/settings/field-ownership', { token: employeeToken })).status).toBe(403);
  });

  it('changes only what a PATCH names, audits each changed setting, and re-plans the sync', async () => {
    const res = await patch({
      syncInterval: '1 hour',
      guardThreshold: 0.25,
      roleSync: false,
      writeBackFields: ['jobTitle', 'department'],
      notifyEmail: 'hr-ops@contoso.com',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({
      syncInterval: '1 hour',
      guardThreshold: 0.25,
      writeBackFields: ['jobTitle', 'department'],
      notifyEmail: 'hr-ops@contoso.com',
      autoSync: true,
    });
    // roleSync was sent unchanged: no audit row for it.
    expect((body.changed as string[]).sort()).toEqual([
      'guardThreshold',
      'notifyEmail',
      'syncInterval',
      'writeBackFields',
    ]);
    const rows = (await audit('?action=settings.update')).items;
    expect(rows.map((r) => r.target).sort()).toEqual([
      'guardThreshold',
      'notifyEmail',
      'syncInterval',
      'writeBackFields',
    ]);
    expect(rows.find((r) => r.target === 'syncInterval')).toMatchObject({
      actorId: adminId,
      oldValue: '30 minutes',
      newValue: '1 hour',
    });
    expect(rows.find((r) => r.target === 'notifyEmail')).toMatchObject({
      oldValue: null,
      newValue: 'hr-ops@contoso.com',
    });
    const status = (await (await service.api('/api/admin/sync/status')).json()) as { interval: string };
    expect(status.interval).toBe('1 hour');
    // The same choice in another order is no change.
    expect(((await (await patch({ writeBackFields: ['department', 'jobTitle'] })).json()) as Json).changed).toEqual([]);
  });

  it('refuses an invalid PATCH as a whole, naming every wrong field, and changes nothing', async () => {
    const before = await settings();
    const auditBefore = (await audit()).items.length;
    const res = await patch({
      autoSync: false,
      syncInterval: '2 minutes',
      fullReconciliationInterval: 'weekly',
      guardThreshold: 0,
      neverSyncedPolicy: 'delete',
      writeBackFields: ['password'],
      notifyWebhookUrl: 'http://hooks.example.com/x',
      notifyEmail: 'nope',
      notifyWebhookSecret: 'short',
      unknownSetting: 1,
    });
    expect(res.status).toBe(400);
    expect(await problemPaths(res)).toEqual([
      'body.fullReconciliationInterval',
      'body.guardThreshold',
      'body.neverSyncedPolicy',
      'body.notifyEmail',
      'body.notifyWebhookSecret',
      'body.notifyWebhookUrl',
      'body.syncInterval',
      'body.unknownSetting',
      'body.writeBackFields.0',
    ]);
    expect(await settings()).toEqual(before);
    expect((await audit()).items.length).toBe(auditBefore);
    expect((await patch({ guardThreshold: 1.01 })).status).toBe(400);
    // Not a URL at all (it once answered 500): a 400 naming the field, like an http:// one.
    for (const notUrl of ['', ' ', 'hooks', '2026-13-45']) {
      const bad = await patch({ notifyWebhookUrl: notUrl });
      expect([notUrl, bad.status]).toEqual([notUrl, 400]);
      expect(await problemPaths(bad)).toEqual(['body.notifyWebhookUrl']);
    }
    expect(await settings()).toEqual(before);
    expect(
      (await patch({ guardThreshold: 1, syncInterval: '5 minutes', fullReconciliationInterval: '1 day' })).status,
    ).toBe(200);
  });

  it("validates the attribute mapping with the domain's rules and answers with their errors", async () => {
    const res = await patch({
      attributeMapping: [
        { source: 'onPremisesExtensionAttributes.extensionAttribute3', target: 'costCenter' },
        { source: 'onPremisesExtensionAttributes.extensionAttribute16', target: 'department' },
        { source: 'employeeType', target: 'costCenter' },
      ],
    });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: Array<{ path: string; message: string }> };
    expect(problem.errors).toEqual([
      {
        path: 'body.attributeMapping.1.source',
        message: expect.stringContaining('extensionAttribute1 to extensionAttribute15'),
      },
      { path: 'body.attributeMapping.1.target', message: expect.stringContaining('built-in HR field') },
      { path: 'body.attributeMapping.2.target', message: expect.stringContaining('more than once') },
    ]);
    const ok = await patch({
      attributeMapping: [{ source: 'onPremisesExtensionAttributes.extensionAttribute3', target: 'costCenter' }],
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as Json).attributeMapping).toEqual([
      { source: 'onPremisesExtensionAttributes.extensionAttribute3', target: 'costCenter' },
    ]);
  });

  it('takes an owner per mappable field, refuses unknown fields and owners that would ping-pong with write-back', async () => {
    expect(await problemPaths(await patch({ fieldOwners: { jobTitle: 'hr', email: 'hr', city: 'someone' } }))).toEqual([
      'body.fieldOwners.city',
      'body.fieldOwners.email',
    ]);
    // jobTitle is written back (set above), so Entra cannot own it for everyone (rule 4.5).
    const conflict = await patch({ fieldOwners: { jobTitle: 'entra' } });
    expect(conflict.status).toBe(400);
    expect(await problemPaths(conflict)).toEqual(['body.fieldOwners.jobTitle']);
    const res = await patch({ fieldOwners: { department: 'hr', jobTitle: 'entra-until-profile', picture: 'hr' } });
    expect(res.status).toBe(200);
    const ownership = (
      (await (await service.api('/api/admin/settings/field-ownership')).json()) as { items: Array<Json> }
    ).items;
    expect(ownership.map((line) => line.field)).toEqual(
      expect.arrayContaining(['firstName', 'jobTitle', 'managerEntraId', 'picture', 'active']),
    );
    expect(ownership.find((line) => line.field === 'department')).toMatchObject({
      owner: 'hr',
      isDefault: false,
      readOnlyInHr: { withoutEmployeeProfile: false, withEmployeeProfile: false },
    });
    expect(ownership.find((line) => line.field === 'city')).toMatchObject({
      owner: 'entra-until-profile',
      isDefault: true,
      readOnlyInHr: { withoutEmployeeProfile: true, withEmployeeProfile: false },
    });
    expect(ownership.find((line) => line.field === 'active')).toMatchObject({ configurable: false, owner: 'entra' });
    expect(String(ownership.find((line) => line.field === 'department')!.meaning)).toMatch(/Entra never changes it/);
    expect(String(ownership.find((line) => line.field === 'jobTitle')!.meaning)).toMatch(
      /write-back of updates is off/,
    );
  });

  it('keeps the webhook secret sealed and write-only, and audits it only as set or cleared', async () => {
    expect(
      (await patch({ notifyWebhookUrl: 'http://127.0.0.1:9/hook', notifyWebhookSecret: 'a-very-long-webhook-secret' }))
        .status,
    ).toBe(200);
    expect(await settings()).toMatchObject({
      notifyWebhookUrl: 'http://127.0.0.1:9/hook',
      notifyWebhookSecretSet: true,
    });
    const [stored] = await service.orm.em
      .fork()
      .execute<{ sealed: string }[]>('select notify_webhook_secret_encrypted as sealed from integration_settings');
    expect(stored!.sealed).toMatch(/^v1:/);
    expect(stored!.sealed).not.toContain('webhook-secret');
    // The same secret again is no change.
    expect(
      ((await (await patch({ notifyWebhookSecret: 'a-very-long-webhook-secret' })).json()) as Json).changed,
    ).toEqual([]);
    expect((await patch({ notifyWebhookSecret: null })).status).toBe(200);
    expect((await settings()).notifyWebhookSecretSet).toBe(false);
    const rows = (await audit()).items.filter((r) => r.target === 'notifyWebhookSecret');
    expect(rows.map((r) => [r.oldValue, r.newValue])).toEqual([
      ['[set]', '[cleared]'],
      [null, '[set]'],
    ]);
    const [logged] = await service.orm.em
      .fork()
      .execute<{ n: string }[]>(
        `select count(*) as n from audit_log where old_value::text like '%webhook-secret%' or new_value::text like '%webhook-secret%'`,
      );
    expect(Number(logged!.n)).toBe(0);
    expect((await patch({ notifyWebhookUrl: 'https://hooks.example.com/hr?key=1' })).status).toBe(200);
  });

  it('pages the audit log newest first by id', async () => {
    const all = (await audit('?limit=500')).items;
    expect(all.length).toBeGreaterThan(5);
    expect(all.map((r) => r.id)).toEqual([...all.map((r) => r.id)].sort((a, b) => b - a));
    const first = await audit('?limit=3');
    expect(first.items.map((r) => r.id)).toEqual(all.slice(0, 3).map((r) => r.id));
    const second = await audit(`?limit=3&after=${first.next}`);
    expect(second.items.map((r) => r.id)).toEqual(all.slice(3, 6).map((r) => r.id));
    expect(first.items[0]).toMatchObject({ actorEmail: expect.any(String), action: 'settings.update' });
    expect((await audit('?action=nothing-like-this')).items).toEqual([]);
  });
});
