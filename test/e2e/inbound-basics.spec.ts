import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSyncHarness, type SyncHarness } from '../support/entra.js';

describe('inbound sync basics', () => {
  let h: SyncHarness;
  let groupId: string;
  beforeAll(async () => {
    h = await startSyncHarness();
    const c = h.emulator.control;
    const ada = await c.createUser({ displayName: 'Ada Lovelace', givenName: 'Ada', surname: 'Lovelace', mail: 'ada@contoso.com', userPrincipalName: 'ada@contoso.com', accountEnabled: true, jobTitle: 'Engineer', department: 'R&D' });
    const bob = await c.createUser({ displayName: 'Bob', givenName: 'Bob', surname: 'Builder', mail: 'bob@contoso.com', userPrincipalName: 'bob@contoso.com', accountEnabled: true, managerId: ada.id });
    const group = await c.createGroup({ displayName: 'Staff', members: [ada.id, bob.id] });
    groupId = group.id;
    const res = await h.service.api('/api/admin/synced-groups', { method: 'PUT', json: { groupIds: [groupId] } });
    expect(res.status).toBe(200);
  });
  afterAll(async () => h.close());

  it('creates HR users for the members of a synced group', async () => {
    const run = await h.syncNow();
    expect(run).toMatchObject({ status: 'succeeded', counts: { created: 2, failed: 0 } });
    const users = (await (await h.service.api('/api/admin/users?search=contoso')).json()) as { items: Array<{ email: string; origin: string }> };
    expect(users.items.map((u) => u.email).sort()).toEqual(['ada@contoso.com', 'bob@contoso.com']);
    const again = await h.syncNow();
    expect(again.counts).toEqual({ created: 0, updated: 0, deactivated: 0, reactivated: 0, skipped: 0, failed: 0 });
  });
});
