import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { GraphCaller, startTrusted } from './emulator-harness.js';
import type { RunningEmulator } from './emulator-harness.js';

type ItemResponse = {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: Record<string, unknown> & { error?: { code: string } };
};

describe('JSON batching (docs/graph.md §6)', () => {
  let emulator: RunningEmulator;
  let graph: GraphCaller;
  let userId: string;

  const batch = async (
    requests: unknown[],
  ): Promise<{ status: number; responses: ItemResponse[]; body: Record<string, unknown> }> => {
    const reply = await graph.send('POST', '/$batch', { requests });
    return { status: reply.status, responses: reply.body.responses ?? [], body: reply.body };
  };

  beforeAll(async () => {
    emulator = await startTrusted({ seed: { users: 30 } });
    graph = await GraphCaller.create(emulator);
    userId = (await graph.get('/users?$top=1&$select=id')).body.value[0].id;
  });
  afterAll(() => emulator.close());

  it('runs each request on its own and answers 200 with one response per id', async () => {
    const { status, responses } = await batch([
      { id: '1', method: 'GET', url: `/users/${userId}?$select=id,mail` },
      {
        id: '2',
        method: 'PATCH',
        url: `/users/${userId}`,
        headers: { 'Content-Type': 'application/json' },
        body: { jobTitle: 'CFO' },
      },
      { id: '3', method: 'GET', url: 'users/00000000-0000-4000-8000-000000000000' },
    ]);
    expect(status).toBe(200);
    const byId = new Map(responses.map((r) => [r.id, r]));
    expect(byId.get('1')?.status).toBe(200);
    expect(byId.get('1')?.body?.['id']).toBe(userId);
    expect(byId.get('2')?.status).toBe(204);
    expect(byId.get('3')?.status).toBe(404);
    expect(byId.get('3')?.body?.error?.code).toBe('Request_ResourceNotFound');
    expect((await graph.get(`/users/${userId}?$select=jobTitle`)).body.jobTitle).toBe('CFO');
  });

  it('fails dependants of a failed request with 424', async () => {
    const { responses } = await batch([
      { id: 'a', method: 'GET', url: '/users/nobody@contoso.com' },
      { id: 'b', method: 'GET', url: `/users/${userId}`, dependsOn: ['a'] },
      { id: 'c', method: 'GET', url: `/users/${userId}`, dependsOn: ['b'] },
    ]);
    const status = Object.fromEntries(responses.map((r) => [r.id, r.status]));
    expect(status).toEqual({ a: 404, b: 424, c: 424 });
  });

  it('refuses more than 20 requests and duplicate ids with 400', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users?$top=1' }));
    expect((await batch(many)).status).toBe(400);
    expect((await batch(many.slice(0, 20))).status).toBe(200);
    const dup = await batch([
      { id: 'x', method: 'GET', url: '/users' },
      { id: 'x', method: 'GET', url: '/groups' },
    ]);
    expect(dup.status).toBe(400);
  });

  it('throttles items on their own: 429 with Retry-After in the item headers, batch still 200', async () => {
    await emulator.control.addFault({
      kind: 'throttle',
      path: '/users',
      method: 'PATCH',
      count: 1,
      retryAfterSeconds: 2.5,
    });
    const { status, responses } = await batch([
      {
        id: '1',
        method: 'PATCH',
        url: `/users/${userId}`,
        headers: { 'Content-Type': 'application/json' },
        body: { jobTitle: 'A' },
      },
      { id: '2', method: 'GET', url: `/users/${userId}` },
    ]);
    expect(status).toBe(200);
    const throttled = responses.find((r) => r.id === '1');
    expect(throttled?.status).toBe(429);
    expect(throttled?.headers['Retry-After']).toBe('2.5');
    expect(throttled?.body?.error?.code).toBe('TooManyRequests');
    expect(responses.find((r) => r.id === '2')?.status).toBe(200);
  });

  it('checks permissions per item', async () => {
    await emulator.control.setClientRoles('demo-client-id', ['User.Read.All']);
    const limited = new GraphCaller(emulator, (await GraphCaller.create(emulator)).token);
    const reply = await limited.send('POST', '/$batch', {
      requests: [
        { id: '1', method: 'GET', url: '/users?$top=1' },
        { id: '2', method: 'GET', url: '/groups?$top=1' },
      ],
    });
    const status = Object.fromEntries((reply.body.responses as ItemResponse[]).map((r) => [r.id, r.status]));
    expect(status).toEqual({ '1': 200, '2': 403 });
    await emulator.control.setClientRoles('demo-client-id', [
      'User.Read.All',
      'Group.Read.All',
      'GroupMember.Read.All',
      'User.ReadWrite.All',
    ]);
  });
});
