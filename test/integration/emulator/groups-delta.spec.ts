import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { GraphCaller, startTrusted } from './emulator-harness.js';
import type { RunningEmulator } from './emulator-harness.js';

type Item = Record<string, unknown> & { id: string; 'members@delta'?: Record<string, unknown>[] };

describe('groups delta with members@delta (docs/graph.md §5.3)', () => {
  let emulator: RunningEmulator;
  let graph: GraphCaller;

  const round = async (url: string): Promise<{ items: Item[]; deltaLink: string }> => {
    const pages = await graph.pages(url);
    return { items: pages.flatMap((p) => p.value as Item[]), deltaLink: pages.at(-1)['@odata.deltaLink'] as string };
  };

  beforeAll(async () => {
    emulator = await startTrusted({ seed: { users: 1200, seed: 5 } });
    graph = await GraphCaller.create(emulator);
  });
  afterAll(() => emulator.close());

  it('lists every group with all its members, a large group split across pages', async () => {
    const { items } = await round('/groups/delta?$select=displayName,members');
    const merged = new Map<string, Set<string>>();
    for (const item of items) {
      const set = merged.get(item.id) ?? new Set<string>();
      for (const m of item['members@delta'] ?? []) set.add(m['id'] as string);
      merged.set(item.id, set);
    }
    const employee = await emulator.control.findGroup('Employee');
    expect(employee?.members).toBeGreaterThan(1000);
    expect(items.filter((i) => i.id === employee?.id).length).toBeGreaterThan(1);
    expect(merged.get(employee?.id as string)?.size).toBe(employee?.members);
    const summary = await emulator.control.summary();
    for (const group of summary.groups) expect(merged.get(group.id)?.size ?? 0).toBe(group.members);
    const member = items.find((i) => i['members@delta'])?.['members@delta']?.[0];
    expect(Object.keys(member ?? {}).sort()).toEqual(['@odata.type', 'id']);
  });

  it('leaves members@delta out for a group without members', async () => {
    const { deltaLink } = await round('/groups/delta?$select=displayName,members');
    const { id } = await emulator.control.createGroup({ displayName: 'Empty Project' });
    const { items } = await round(deltaLink);
    expect(items).toEqual([{ id, displayName: 'Empty Project' }]);
  });

  it('reports added members and removed members (@removed) in the next round', async () => {
    const { deltaLink } = await round('/groups/delta?$select=displayName,members');
    const hr = await emulator.control.findGroup('HR');
    const [stay, join] = (await graph.get('/users?$top=2&$select=id')).body.value as { id: string }[];
    const hrMembers = (await graph.get(`/groups/${hr?.id}/members/microsoft.graph.user?$select=id`)).body.value as {
      id: string;
    }[];
    const leaver = hrMembers[0]?.id as string;
    await emulator.control.addMember(
      hr?.id as string,
      join?.id === leaver ? (stay?.id as string) : (join?.id as string),
    );
    await emulator.control.removeMember(hr?.id as string, leaver);
    const { items } = await round(deltaLink);
    const hrItem = items.find((i) => i.id === hr?.id);
    expect(hrItem?.['members@delta']).toEqual(
      expect.arrayContaining([
        { '@odata.type': '#microsoft.graph.user', id: leaver, '@removed': { reason: 'deleted' } },
        { '@odata.type': '#microsoft.graph.user', id: expect.any(String) },
      ]),
    );
  });

  it('reports a deleted user leaving its groups', async () => {
    const { deltaLink } = await round('/groups/delta?$select=members');
    const hr = await emulator.control.findGroup('HR');
    const member = (
      (await graph.get(`/groups/${hr?.id}/members/microsoft.graph.user?$select=id`)).body.value as { id: string }[]
    )[0]?.id as string;
    await graph.send('DELETE', `/users/${member}`);
    const { items } = await round(deltaLink);
    const removals = items.flatMap((i) => i['members@delta'] ?? []).filter((m) => m['id'] === member);
    expect(removals.length).toBeGreaterThan(0);
    expect(removals.every((m) => (m['@removed'] as { reason: string }).reason === 'deleted')).toBe(true);
  });

  it('does not surface a group changed only in an unselected property', async () => {
    const { deltaLink } = await round('/groups/delta?$select=displayName');
    const hr = await emulator.control.findGroup('HR');
    await emulator.control.addMember(
      hr?.id as string,
      (await emulator.control.createDirectoryObject({ type: 'device', displayName: 'NEW-PC' })).id,
    );
    expect((await round(deltaLink)).items).toEqual([]);
  });
});
