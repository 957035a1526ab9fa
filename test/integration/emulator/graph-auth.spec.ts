import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { accessToken, GraphCaller, startTrusted } from './emulator-harness.js';
import type { RunningEmulator } from './emulator-harness.js';

describe('Graph authentication and permissions (docs/graph.md §0, §8, §10)', () => {
  let emulator: RunningEmulator;
  let clock = Date.UTC(2025, 5, 1);

  beforeAll(async () => {
    emulator = await startTrusted({ seed: { users: 30 }, now: () => clock });
  });
  afterAll(() => emulator.close());

  it('answers 401 InvalidAuthenticationToken without a token, with innerError', async () => {
    const res = await fetch(`${emulator.url}/v1.0/users`);
    const body = (await res.json()) as { error: { code: string; innerError: Record<string, string> } };
    expect(res.status).toBe(401);
    expect(body.error.code).toBe('InvalidAuthenticationToken');
    expect(body.error.innerError['date']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(body.error.innerError['request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 401 to a malformed token and to an expired one', async () => {
    const bad = new GraphCaller(emulator, 'not-a-jwt');
    expect((await bad.get('/users')).status).toBe(401);
    const caller = await GraphCaller.create(emulator);
    expect((await caller.get('/users?$top=1')).status).toBe(200);
    clock += 3600 * 1000;
    const expired = await caller.get('/users?$top=1');
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('InvalidAuthenticationToken');
  });

  it('sends the common Graph response headers', async () => {
    const caller = await GraphCaller.create(emulator);
    const reply = await caller.get('/users?$top=1', { 'client-request-id': '6f0f5e2a-0c9b-4a5e-9a43-111111111111' });
    expect(reply.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.headers.get('content-type')).toBe(
      'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
    );
    expect(reply.headers.get('odata-version')).toBe('4.0');
    expect(reply.headers.get('cache-control')).toBe('no-cache');
    expect(reply.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect(reply.headers.get('x-ms-ags-diagnostic')).toBeTruthy();
    expect(Number(reply.headers.get('x-ms-resource-unit'))).toBeGreaterThanOrEqual(1);
  });

  it('answers 403 Authorization_RequestDenied when a permission is withheld, per route', async () => {
    await emulator.control.setClientRoles('demo-client-id', ['User.Read.All']);
    const caller = new GraphCaller(emulator, await accessToken(emulator));
    expect((await caller.get('/users?$top=1')).status).toBe(200);
    const groups = await caller.get('/groups?$top=1');
    expect(groups.status).toBe(403);
    expect(groups.body.error).toMatchObject({
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    });
    const me = (await caller.get('/users?$top=1&$select=id')).body.value[0].id as string;
    expect((await caller.send('PATCH', `/users/${me}`, { jobTitle: 'x' })).status).toBe(403);
    await emulator.control.setClientRoles('demo-client-id', [
      'User.Read.All',
      'Group.Read.All',
      'GroupMember.Read.All',
      'User.ReadWrite.All',
    ]);
  });

  it('takes new roles into account only for new tokens (roles travel in the token)', async () => {
    const caller = await GraphCaller.create(emulator);
    await emulator.control.setClientRoles('demo-client-id', ['User.Read.All']);
    expect((await caller.get('/groups?$top=1')).status).toBe(200);
    caller.token = await accessToken(emulator);
    expect((await caller.get('/groups?$top=1')).status).toBe(403);
    await emulator.control.setClientRoles('demo-client-id', [
      'User.Read.All',
      'Group.Read.All',
      'GroupMember.Read.All',
      'User.ReadWrite.All',
    ]);
  });

  it('answers an unknown method on a known path with 405', async () => {
    const caller = await GraphCaller.create(emulator);
    const reply = await caller.send('PUT', '/users');
    expect(reply.status).toBe(405);
    expect(reply.body.error.code).toBe('Request_BadRequest');
  });
});
