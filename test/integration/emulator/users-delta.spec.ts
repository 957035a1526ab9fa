import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { GraphCaller, startTrusted } from './emulator-harness.js';
import type { RunningEmulator } from './emulator-harness.js';

type Page = { value: Record<string, unknown>[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };

describe('users delta (docs/graph.md §5)', () => {
  let emulator: RunningEmulator;
  let graph: GraphCaller;
  let clock = Date.UTC(2025, 2, 1);

  /** Follows a round to its deltaLink; returns all items and that link. */
  const round = async (
    url: string,
    headers: Record<string, string> = {},
  ): Promise<{ items: Record<string, unknown>[]; deltaLink: string }> => {
    const pages = (await graph.pages(url, headers)) as Page[];
    return { items: pages.flatMap((p) => p.value), deltaLink: pages.at(-1)?.['@odata.deltaLink'] as string };
  };

  beforeAll(async () => {
    emulator = await startTrusted({
      seed: { users: 450, seed: 11 },
      now: () => clock,
      tokenLifetimeSeconds: 30 * 86400,
      deltaTokenMaxAgeMs: 7 * 86_400_000,
    });
    graph = await GraphCaller.create(emulator);
  });
  afterAll(() => emulator.close());

  it('delivers every user once over nextLinks, then a deltaLink', async () => {
    const first = await graph.get('/users/delta?$select=displayName,jobTitle');
    expect(first.body['@odata.context']).toBe(`${emulator.url}/v1.0/$metadata#users(displayName,jobTitle)`);
    expect(first.body['@odata.nextLink']).toMatch(
      new RegExp(`^${emulator.url}/v1\\.0/users/delta\\?\\$skiptoken=[A-Za-z0-9_.-]+$`),
    );
    const { items, deltaLink } = await round('/users/delta?$select=displayName,jobTitle');
    expect(items).toHaveLength(450);
    expect(new Set(items.map((u) => u['id'])).size).toBe(450);
    expect(deltaLink).toMatch(new RegExp(`^${emulator.url}/v1\\.0/users/delta\\?\\$deltatoken=[A-Za-z0-9_.-]+$`));
  });

  it('reports only changed users next round, not users changed in unselected properties', async () => {
    const { deltaLink } = await round('/users/delta?$select=displayName,jobTitle');
    const [a, b] = (await graph.get('/users?$top=2&$select=id')).body.value as { id: string }[];
    await emulator.control.updateUser(a?.id as string, { jobTitle: 'Head of Delta' });
    await emulator.control.updateUser(b?.id as string, { city: 'Reykjavik' });
    await emulator.control.setPhoto(b?.id as string, {
      base64: Buffer.from([0xff, 0xd8, 0xff, 0xd9]).toString('base64'),
    });
    const next = await round(deltaLink);
    expect(next.items).toEqual([expect.objectContaining({ id: a?.id, jobTitle: 'Head of Delta' })]);
  });

  it('answers a no-change round with an empty value and a new deltaLink', async () => {
    const { deltaLink } = await round('/users/delta?$select=displayName');
    const empty = await graph.get(deltaLink);
    expect(empty.body.value).toEqual([]);
    expect(empty.body['@odata.deltaLink']).toEqual(expect.any(String));
    expect(empty.body['@odata.deltaLink']).not.toBe(deltaLink);
    expect(empty.body['@odata.nextLink']).toBeUndefined();
  });

  it('marks soft-deleted users @removed "changed", hard-deleted "deleted", restored users plain', async () => {
    const { deltaLink } = await round('/users/delta?$select=displayName');
    const [soft, hard] = (await graph.get('/users?$top=2&$select=id')).body.value as { id: string }[];
    expect((await graph.send('DELETE', `/users/${soft?.id}`)).status).toBe(204);
    await emulator.control.deleteUser(hard?.id as string, { hard: true });
    const removed = await round(deltaLink);
    expect(removed.items).toEqual(
      expect.arrayContaining([
        { id: soft?.id, '@removed': { reason: 'changed' } },
        { id: hard?.id, '@removed': { reason: 'deleted' } },
      ]),
    );
    await graph.send('POST', `/directory/deletedItems/${soft?.id}/restore`);
    const restored = await round(removed.deltaLink);
    expect(restored.items).toEqual([expect.objectContaining({ id: soft?.id, displayName: expect.any(String) })]);
    expect(restored.items[0]?.['@removed']).toBeUndefined();
  });

  it('returns only the changed properties with Prefer: return=minimal', async () => {
    const { deltaLink } = await round('/users/delta?$select=displayName,jobTitle,department');
    const id = (await graph.get('/users?$top=1&$select=id')).body.value[0].id as string;
    await emulator.control.updateUser(id, { department: 'Delta Team' });
    const minimal = await round(deltaLink, { Prefer: 'return=minimal' });
    expect(minimal.items).toEqual([{ id, department: 'Delta Team' }]);
  });

  it('tracks only the ids of an `id eq ... or id eq ...` filter', async () => {
    const [a, b, c] = (await graph.get('/users?$top=3&$select=id')).body.value as { id: string }[];
    const filter = encodeURIComponent(`id eq '${a?.id}' or id eq '${b?.id}'`);
    const initial = await round(`/users/delta?$select=jobTitle&$filter=${filter}`);
    expect(initial.items.map((u) => u['id']).sort()).toEqual([a?.id, b?.id].sort());
    await emulator.control.updateUser(c?.id as string, { jobTitle: 'Outsider' });
    await emulator.control.updateUser(b?.id as string, { jobTitle: 'Insider' });
    expect((await round(initial.deltaLink)).items).toEqual([{ id: b?.id, jobTitle: 'Insider' }]);
  });

  it('starts from now with $deltatoken=latest, and accepts /users/microsoft.graph.delta', async () => {
    const latest = await graph.get('/users/microsoft.graph.delta?$select=displayName&$deltatoken=latest');
    expect(latest.body.value).toEqual([]);
    const id = (await graph.get('/users?$top=1&$select=id')).body.value[0].id as string;
    await emulator.control.updateUser(id, { displayName: 'Renamed Later' });
    expect((await round(latest.body['@odata.deltaLink'])).items).toEqual([{ id, displayName: 'Renamed Later' }]);
  });

  it('answers an expired token with 400 syncStateNotFound', async () => {
    const { deltaLink } = await round('/users/delta?$select=displayName');
    clock += 8 * 86_400_000;
    const expired = await graph.get(deltaLink);
    expect(expired.status).toBe(400);
    expect(expired.body.error).toMatchObject({
      code: 'syncStateNotFound',
      message:
        'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
    });
  });

  it('answers 410 Gone with a Location for a fresh round when that switch is on', async () => {
    const { deltaLink } = await round('/users/delta?$select=displayName');
    await emulator.control.setSettings({ deltaExpiredMode: '410' });
    await emulator.control.expireDeltaTokens();
    const gone = await graph.get(deltaLink);
    expect(gone.status).toBe(410);
    const location = gone.headers.get('location') as string;
    expect(location.startsWith(`${emulator.url}/v1.0/users/delta?`)).toBe(true);
    expect((await round(location)).items.length).toBeGreaterThan(400);
    await emulator.control.setSettings({ deltaExpiredMode: '400' });
  });

  it('answers an unknown token with 400 syncStateNotFound (emulator choice, unconfirmed)', async () => {
    const reply = await graph.get('/users/delta?$deltatoken=bm90LWEtdG9rZW4.AAAAAAAAAAAAAAAA');
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('syncStateNotFound');
  });
});
