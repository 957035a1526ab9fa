import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client, PageIterator } from '@microsoft/microsoft-graph-client';
import type { PageCollection } from '@microsoft/microsoft-graph-client';
import type { User } from '@microsoft/microsoft-graph-types';
import { GRAPH_SCOPE, startTrusted } from './emulator-harness.js';
import type { RunningEmulator } from './emulator-harness.js';

/** The connector's stack end to end: MSAL for the token, the Graph SDK for paging and retries. */
describe('MSAL Node + Graph SDK against the emulator (docs/graph.md §1.4a)', () => {
  let emulator: RunningEmulator;
  let client: Client;

  beforeAll(async () => {
    emulator = await startTrusted({ seed: { users: 1234 } });
    const msal = new ConfidentialClientApplication({
      auth: {
        clientId: 'demo-client-id',
        clientSecret: 'demo-client-secret',
        authority: emulator.authority,
        knownAuthorities: [`127.0.0.1:${emulator.port}`],
      },
    });
    client = Client.init({
      baseUrl: emulator.url,
      defaultVersion: 'v1.0',
      customHosts: new Set(['127.0.0.1']),
      authProvider: (done) => {
        msal.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] }).then(
          (r) => done(null, r?.accessToken ?? null),
          (e: Error) => done(e, null),
        );
      },
    });
  });
  afterAll(() => emulator.close());

  it('pages through all users with PageIterator', async () => {
    const first = (await client.api('/users').select(['id', 'displayName']).top(500).get()) as PageCollection;
    const ids = new Set<string>();
    let count = 0;
    const iterator = new PageIterator(client, first, (user: User) => {
      ids.add(user.id as string);
      count++;
      return true;
    });
    await iterator.iterate();
    expect(count).toBe(1234);
    expect(ids.size).toBe(1234);
  });

  it('lets the SDK retry handler honour a fractional Retry-After', async () => {
    await emulator.control.addFault({
      kind: 'throttle',
      method: 'GET',
      path: '/groups',
      count: 1,
      retryAfterSeconds: 0.2,
    });
    const groups = (await client.api('/groups').select('id,displayName').get()) as { value: unknown[] };
    expect(groups.value.length).toBeGreaterThan(0);
    expect((await emulator.control.stats()).byStatus['429']).toBe(1);
  });

  it('surfaces Graph errors as GraphError with code and requestId', async () => {
    await expect(client.api('/users/00000000-0000-4000-8000-000000000000').get()).rejects.toMatchObject({
      statusCode: 404,
      code: 'Request_ResourceNotFound',
      requestId: expect.any(String),
    });
  });
});
