import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { GraphCaller, startTrusted } from './emulator-harness.js';
import type { RunningEmulator } from './emulator-harness.js';

const EVENTUAL = { ConsistencyLevel: 'eventual' };

describe('groups and members (docs/graph.md §4)', () => {
  let emulator: RunningEmulator;
  let graph: GraphCaller;
  let groupId: (name: string) => Promise<string>;

  beforeAll(async () => {
    emulator = await startTrusted({ seed: { users: 300, seed: 3 } });
    graph = await GraphCaller.create(emulator);
    groupId = async (name) => (await emulator.control.findGroup(name))?.id as string;
  });
  afterAll(() => emulator.close());

  it('lists groups with $select and filters with startswith(displayName)', async () => {
    const all = await graph.get('/groups?$select=id,displayName');
    expect(all.body['@odata.context']).toBe(`${emulator.url}/v1.0/$metadata#groups(id,displayName)`);
    expect(all.body.value.map((g: { displayName: string }) => g.displayName)).toEqual(
      expect.arrayContaining(['All Staff', 'HR', 'Managers', 'Employee']),
    );
    const hr = await graph.get(
      `/groups?$select=id,displayName&$filter=${encodeURIComponent("startswith(displayName,'HR')")}`,
    );
    expect(hr.body.value.map((g: { displayName: string }) => g.displayName).sort()).toEqual(['HR', 'HR Admins']);
  });

  it('pages groups with $top', async () => {
    const pages = await graph.pages('/groups?$select=id&$top=4');
    const ids = pages.flatMap((p) => p.value.map((g: { id: string }) => g.id));
    expect(pages.length).toBeGreaterThan(1);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers 400 "Invalid object identifier" for a non-GUID id and 404 for an unknown one', async () => {
    const bad = await graph.get('/groups/HR');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'Request_BadRequest', message: "Invalid object identifier 'HR'." });
    const unknown = await graph.get('/groups/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('Request_ResourceNotFound');
  });

  it('lists direct members as directoryObjects with @odata.type, nested groups and non-users included', async () => {
    const reply = await graph.get(`/groups/${await groupId('HR')}/members?$select=id,displayName`);
    const types = new Set(reply.body.value.map((m: Record<string, string>) => m['@odata.type']));
    expect(types).toEqual(
      new Set(['#microsoft.graph.user', '#microsoft.graph.group', '#microsoft.graph.servicePrincipal']),
    );
  });

  it('casts members to users only', async () => {
    const reply = await graph.get(`/groups/${await groupId('HR')}/members/microsoft.graph.user?$select=id`);
    expect(reply.status).toBe(200);
    expect(reply.body.value.length).toBeGreaterThan(0);
    expect(reply.body.value.every((m: Record<string, string>) => m['@odata.type'] === '#microsoft.graph.user')).toBe(
      true,
    );
  });

  it('flattens nested groups in transitiveMembers, including the nested groups themselves', async () => {
    const allStaff = await groupId('All Staff');
    const direct = await graph.pages(`/groups/${allStaff}/members?$select=id&$top=999`);
    expect(
      direct
        .flatMap((p) => p.value)
        .every((m: Record<string, string>) => m['@odata.type'] === '#microsoft.graph.group'),
    ).toBe(true);
    const transitive = (await graph.pages(`/groups/${allStaff}/transitiveMembers?$select=id&$top=999`)).flatMap(
      (p) => p.value,
    );
    const users = transitive.filter((m: Record<string, string>) => m['@odata.type'] === '#microsoft.graph.user');
    expect(users).toHaveLength(300);
    expect(transitive.some((m: Record<string, string>) => m['@odata.type'] === '#microsoft.graph.group')).toBe(true);
  });

  it('runs the transitiveMembers cast as an advanced query (ConsistencyLevel + $count)', async () => {
    const allStaff = await groupId('All Staff');
    const pages = await graph.pages(
      `/groups/${allStaff}/transitiveMembers/microsoft.graph.user?$count=true&$select=id&$top=120`,
      EVENTUAL,
    );
    expect(pages[0]['@odata.count']).toBe(300);
    expect(pages.flatMap((p) => p.value)).toHaveLength(300);
  });

  it('refuses the transitiveMembers cast without the advanced query parameters (emulator choice, unconfirmed)', async () => {
    const reply = await graph.get(`/groups/${await groupId('All Staff')}/transitiveMembers/microsoft.graph.user`);
    expect(reply.status).toBe(400);
  });

  it('pages members of a large group with nextLinks covering everyone once', async () => {
    const employees = await groupId('Employee');
    const expected = (await emulator.control.findGroup('Employee'))?.members;
    const ids = (await graph.pages(`/groups/${employees}/members?$select=id&$top=50`)).flatMap((p) =>
      p.value.map((m: { id: string }) => m.id),
    );
    expect(ids).toHaveLength(expected as number);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
