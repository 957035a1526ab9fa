import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import type { ApiTokenView as TokenView } from '../../src/application/ports/api-token.port.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ADMIN_TOKEN, startTestService, type TestService } from '../support/service.js';

interface AuditItem {
  actorEmail: string | null;
  action: string;
  target: string | null;
  oldValue: unknown;
  newValue: unknown;
  at: string;
}

const ROTATED_TOKEN = 'rotated-admin-token-abcdefghijklmnop';
const THIRD_TOKEN = 'third-admin-token-abcdefghijklmnopqr';

/** API tokens through the admin API: issue with an expiry, list, revoke, rotation of ADMIN_TOKEN, deactivation. */
describe('API token lifecycle', () => {
  let db: TestDatabase;
  let service: TestService;
  let ada: { id: string };
  const bodies: string[] = [];
  /** The administrator token the helpers call with (changes with the rotation). */
  let adminToken = ADMIN_TOKEN;

  const call = async <T = unknown>(
    path: string,
    init: { method?: string; json?: unknown; token?: string | null } = {},
  ): Promise<{ status: number; body: T }> => {
    const res = await service.api(path, {
      method: init.method ?? 'GET',
      ...(init.json === undefined ? {} : { json: init.json }),
      token: init.token === undefined ? adminToken : init.token,
    });
    const text = await res.text();
    bodies.push(text);
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  const me = async (token: string) => (await call('/api/me', { token })).status;
  const tokens = async (query = '') => (await call<{ items: TokenView[] }>(`/api/admin/tokens${query}`)).body.items;
  const audit = async (action: string) =>
    (await call<{ items: AuditItem[] }>(`/api/admin/audit-log?action=${action}`)).body.items;
  const issue = async (userId: string, json: Record<string, unknown>) =>
    call<TokenView & { token: string }>(`/api/admin/users/${userId}/tokens`, { method: 'POST', json });

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestService({ db });
    const created = await call<{ id: string }>('/api/admin/users', {
      method: 'POST',
      json: { email: 'ada.tokens@contoso.com', firstName: 'Ada', lastName: 'Tokens', roles: ['Administrator'] },
    });
    expect(created.status).toBe(201);
    ada = created.body;
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('issues a token shown once, lists it with its last use and never shows the token or its hash again', async () => {
    const issued = await issue(ada.id, { name: 'payroll export' });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({
      name: 'payroll export',
      hrUserId: ada.id,
      email: 'ada.tokens@contoso.com',
      status: 'active',
      lastUsedAt: null,
      expiresAt: null,
      bootstrap: false,
    });
    const token = issued.body.token;
    let [listed] = await tokens(`?userId=${ada.id}`);
    expect(listed).toEqual({ ...issued.body, token: undefined });
    expect(await me(token)).toBe(200);
    [listed] = await tokens(`?userId=${ada.id}`);
    expect(Date.parse(listed!.lastUsedAt!)).toBeGreaterThanOrEqual(Date.parse(listed!.createdAt));
    expect(await audit('api-token.issue')).toContainEqual(
      expect.objectContaining({
        actorEmail: 'admin@localhost',
        target: `api-token:${issued.body.id}`,
        oldValue: null,
        newValue: { hrUserId: ada.id, email: 'ada.tokens@contoso.com', name: 'payroll export', expiresAt: null },
      }),
    );
    const listText = JSON.stringify(await tokens());
    expect(listText).not.toContain(token);
    expect(listText).not.toContain(createHash('sha256').update(token).digest('hex'));
    expect(listText).not.toContain(createHash('sha256').update(ADMIN_TOKEN).digest('hex'));
  });

  it('refuses an expiry in the past or not a date, and a token stops working when it expires', async () => {
    expect((await issue(ada.id, { name: 'old', expiresAt: '2020-01-01T00:00:00Z' })).status).toBe(400);
    expect((await issue(ada.id, { name: 'odd', expiresAt: 'tomorrow' })).status).toBe(400);
    expect((await issue(ada.id, { name: 'odd', lifetime: 5 })).status).toBe(400);
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const issued = await issue(ada.id, { name: 'short-lived', expiresAt });
    expect(issued.body).toMatchObject({ status: 'active', expiresAt });
    expect(await me(issued.body.token)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1700));
    expect(await me(issued.body.token)).toBe(401);
    expect((await tokens('?status=expired')).map((t) => t.id)).toEqual([issued.body.id]);
  });

  it('revokes a token at once; a second revoke changes nothing; unknown ids are 404', async () => {
    const issued = await issue(ada.id, { name: 'to revoke' });
    expect(await me(issued.body.token)).toBe(200);
    const revoked = await call<TokenView>(`/api/admin/tokens/${issued.body.id}`, { method: 'DELETE' });
    expect(revoked).toMatchObject({
      status: 200,
      body: { id: issued.body.id, status: 'revoked', revokedReason: 'revoked' },
    });
    expect(await me(issued.body.token)).toBe(401);
    const rows = (await audit('api-token.revoke')).filter((r) => r.target === `api-token:${issued.body.id}`);
    expect(rows).toEqual([
      expect.objectContaining({
        actorEmail: 'admin@localhost',
        oldValue: expect.objectContaining({ status: 'active', name: 'to revoke' }),
        newValue: { status: 'revoked', revokedReason: 'revoked' },
      }),
    ]);
    expect((await call(`/api/admin/tokens/${issued.body.id}`, { method: 'DELETE' })).body).toMatchObject({
      status: 'revoked',
      revokedAt: revoked.body.revokedAt,
    });
    expect((await audit('api-token.revoke')).filter((r) => r.target === `api-token:${issued.body.id}`)).toHaveLength(1);
    expect((await call('/api/admin/tokens/00000000-0000-4000-8000-000000000000', { method: 'DELETE' })).status).toBe(
      404,
    );
  });

  it('lets only administrators list and revoke tokens', async () => {
    const bob = await call<{ id: string }>('/api/admin/users', {
      method: 'POST',
      json: { email: 'bob.tokens@contoso.com', firstName: 'Bob', lastName: 'Tokens' },
    });
    const bobToken = (await issue(bob.body.id, { name: 'bob' })).body;
    expect((await call('/api/admin/tokens', { token: bobToken.token })).status).toBe(403);
    expect((await call(`/api/admin/tokens/${bobToken.id}`, { method: 'DELETE', token: bobToken.token })).status).toBe(
      403,
    );
    expect(await me(bobToken.token)).toBe(200);
  });

  it('does not revive tokens issued before a deactivation when the user is reactivated', async () => {
    const before = (await issue(ada.id, { name: 'before deactivation' })).body;
    expect(await me(before.token)).toBe(200);
    expect((await call(`/api/admin/users/${ada.id}/deactivate`, { method: 'POST' })).status).toBe(200);
    expect(await me(before.token)).toBe(401);
    // Issued while the user is deactivated: works once the user is back.
    const during = (await issue(ada.id, { name: 'during deactivation' })).body;
    expect(await me(during.token)).toBe(401);
    expect((await call(`/api/admin/users/${ada.id}/reactivate`, { method: 'POST' })).status).toBe(200);
    expect(await me(before.token)).toBe(401);
    expect(await me(during.token)).toBe(200);
    const byName = Object.fromEntries((await tokens(`?userId=${ada.id}`)).map((t) => [t.name, t]));
    expect(byName['before deactivation']).toMatchObject({ status: 'revoked', revokedReason: 'user-deactivated' });
    expect(byName['payroll export']).toMatchObject({ status: 'revoked', revokedReason: 'user-deactivated' });
    expect(byName['during deactivation']).toMatchObject({ status: 'active' });
  });

  it('revokes the previous bootstrap token when ADMIN_TOKEN changes, and never revives a revoked one', async () => {
    await service.close();
    service = await startTestService({ db, env: { ADMIN_TOKEN: ROTATED_TOKEN } });
    expect(await me(ADMIN_TOKEN)).toBe(401);
    expect(await me(ROTATED_TOKEN)).toBe(200);
    adminToken = ROTATED_TOKEN;
    const bootstrap = await tokens('?status=revoked');
    expect(bootstrap.filter((t) => t.bootstrap)).toEqual([
      expect.objectContaining({ email: 'admin@localhost', revokedReason: 'rotated' }),
    ]);
    expect((await audit('api-token.revoke'))[0]).toMatchObject({
      actorEmail: null,
      newValue: { status: 'revoked', revokedReason: 'rotated', source: 'ADMIN_TOKEN' },
    });

    // Back to the old value: it stays revoked, and the current one keeps working (nobody locked out).
    await service.close();
    service = await startTestService({ db, env: { ADMIN_TOKEN } });
    expect(await me(ADMIN_TOKEN)).toBe(401);
    expect(await me(ROTATED_TOKEN)).toBe(200);

    // A new value again: the one before it is revoked.
    await service.close();
    service = await startTestService({ db, env: { ADMIN_TOKEN: THIRD_TOKEN } });
    expect(await me(THIRD_TOKEN)).toBe(200);
    expect(await me(ROTATED_TOKEN)).toBe(401);
    adminToken = THIRD_TOKEN;
    expect((await tokens('?status=active')).filter((t) => t.bootstrap).map((t) => t.name)).toEqual(['bootstrap']);
  });

  it('never answers a token or a token hash in any response', () => {
    const all = bodies.join('\n');
    for (const token of [ADMIN_TOKEN, ROTATED_TOKEN, THIRD_TOKEN])
      expect(all).not.toContain(createHash('sha256').update(token).digest('hex'));
  });
});
