import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { hashToken } from '../../src/domain/bearer-token.js';
import { startService, type RunningService } from '../../src/service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ADMIN_TOKEN, testServiceEnv } from '../support/service.js';
import { ScimWorld } from './scim-support.js';

interface Token {
  id: string;
  token: string;
  name: string;
  scope: string;
  status: string;
  lastUsedAt: string | null;
  revokedReason: string | null;
}

/**
 * SCIM tokens (docs/rules.md 7.1): an administrator generates named tokens (shown once, stored
 * hashed, an optional expiry), lists them with their last use, revokes or regenerates them; a wrong,
 * revoked or expired token is a 401 with a SCIM error body.
 */
describe('SCIM tokens', () => {
  let world: ScimWorld;
  const issue = (json: Record<string, unknown>) =>
    world.admin<Token>(`/api/admin/users/${world.adminId}/tokens`, 'POST', { scope: 'scim', ...json });
  const tokens = async () => (await world.admin<{ items: Token[] }>('/api/admin/tokens?scope=scim')).items;
  const expect401 = async (token: string | null) => {
    const res = await world.scim('GET', '/Users', undefined, { token: token ?? '' });
    ScimWorld.expectError(res, 401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="scim"/);
  };
  beforeAll(async () => {
    world = await ScimWorld.start({ userSource: 'push' });
  });
  afterAll(async () => world?.close());

  it('lists each named token with its last use, never the token', async () => {
    const named = await issue({ name: 'Entra - production tenant' });
    expect(named.token).toMatch(/^ehc_/);
    expect((await tokens()).find((t) => t.id === named.id)).toMatchObject({
      name: 'Entra - production tenant',
      lastUsedAt: null,
    });
    expect((await world.scim('GET', '/Users', undefined, { token: named.token })).status).toBe(200);
    const listed = (await tokens()).find((t) => t.id === named.id)!;
    expect(listed.lastUsedAt).toEqual(expect.any(String));
    expect(JSON.stringify(await tokens())).not.toContain(named.token);
  });

  it("answers 401 in SCIM's shape for no token, a wrong one, an API token, a revoked and an expired one", async () => {
    await expect401(null);
    await expect401('ehc_this-is-not-a-token-of-ours-at-all');
    await expect401(ADMIN_TOKEN);
    const revoked = await issue({ name: 'to revoke' });
    await world.admin(`/api/admin/tokens/${revoked.id}`, 'DELETE');
    await expect401(revoked.token);
    const soon = await issue({ name: 'short-lived', expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await world.scim('GET', '/Users', undefined, { token: soon.token })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1700));
    await expect401(soon.token);
    expect((await tokens()).find((t) => t.id === soon.id)!.status).toBe('expired');
  });

  it('regenerates a token: the new one is shown once and works, the old one stops at once', async () => {
    const old = await issue({ name: 'Entra - regenerate me' });
    const fresh = await world.admin<Token & { replaces: string }>(`/api/admin/tokens/${old.id}/regenerate`, 'POST', {});
    expect(fresh).toMatchObject({ name: 'Entra - regenerate me', scope: 'scim', status: 'active', replaces: old.id });
    expect(fresh.token).not.toBe(old.token);
    await expect401(old.token);
    expect((await world.scim('GET', '/Users', undefined, { token: fresh.token })).status).toBe(200);
    expect((await tokens()).find((t) => t.id === old.id)).toMatchObject({
      status: 'revoked',
      revokedReason: 'rotated',
    });
    const audit = await world.admin<{ items: Array<{ target: string }> }>(
      '/api/admin/audit-log?action=api-token.regenerate',
    );
    expect(audit.items.map((a) => a.target)).toContain(`api-token:${fresh.id}`);
  });
});

/** Per-token rate limiting (429 with Retry-After, which Entra honours) and logs that never hold a token. */
describe('SCIM rate limit and logs', () => {
  let db: TestDatabase;
  let dataDir: string;
  let service: RunningService;
  const lines: string[] = [];
  const call = (token: string, path = '/scim/v2/Users') =>
    fetch(`${service.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const issue = async (name: string) => {
    const me = (await (await call(ADMIN_TOKEN, '/api/me')).json()) as { userId: string };
    const res = await fetch(`${service.url}/api/admin/users/${me.userId}/tokens`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, scope: 'scim' }),
    });
    return ((await res.json()) as { token: string }).token;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'ehc-scim-'));
    const config = loadConfig(testServiceEnv(db.url, dataDir, { LOG_LEVEL: 'trace', SCIM_RATE_LIMIT_PER_MINUTE: '3' }));
    const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    service = await startService(config, logger);
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers the request past the per-token limit with 429 and Retry-After; another token is not held back', async () => {
    const token = await issue('limited');
    for (let i = 0; i < 3; i += 1) expect((await call(token)).status).toBe(200);
    const limited = await call(token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '429',
    });
    expect((await call(await issue('another'))).status).toBe(200);
  });

  it('writes nothing about a token in its logs: not the token, not its hash', async () => {
    const token = await issue('logged?');
    await call(token);
    await call(`${token}x`);
    await call(token, '/scim/v2/Users/nobody');
    const log = lines.join('');
    expect(log.length).toBeGreaterThan(1000);
    expect(log).toContain('/scim/v2/Users');
    for (const secret of [token, hashToken(token), ADMIN_TOKEN, hashToken(ADMIN_TOKEN)])
      expect(log).not.toContain(secret);
    expect(log).not.toMatch(/ehc_[A-Za-z0-9_-]{20,}/);
  });
});
