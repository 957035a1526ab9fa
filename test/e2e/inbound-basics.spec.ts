import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSyncHarness, type SyncHarness } from '../support/entra.js';

interface UserDetail {
  id: string;
  email: string;
  entraId: string;
  fields: Record<string, { value: string | null; source: string | null; changedAt: string | null; readOnly: boolean }>;
}

describe('inbound sync basics', () => {
  let h: SyncHarness;
  let ada: { id: string };
  beforeAll(async () => {
    h = await startSyncHarness();
    const c = h.emulator.control;
    ada = await c.createUser({
      displayName: 'Ada Lovelace',
      givenName: 'Ada',
      surname: 'Lovelace',
      mail: 'ada@contoso.com',
      userPrincipalName: 'ada@contoso.com',
      accountEnabled: true,
      jobTitle: 'Engineer',
      department: 'R&D',
    });
    const bob = await c.createUser({
      displayName: 'Bob',
      givenName: 'Bob',
      surname: 'Builder',
      mail: 'bob@contoso.com',
      userPrincipalName: 'bob@contoso.com',
      accountEnabled: true,
      managerId: ada.id,
    });
    const desk = await c.createUser({
      displayName: 'Service Desk',
      mail: 'desk@contoso.com',
      userPrincipalName: 'desk@contoso.com',
      accountEnabled: true,
    });
    const group = await c.createGroup({ displayName: 'Staff', members: [ada.id, bob.id, desk.id] });
    expect(
      (await h.service.api('/api/admin/synced-groups', { method: 'PUT', json: { groupIds: [group.id] } })).status,
    ).toBe(200);
    expect(
      (
        await h.service.api('/api/admin/users', {
          method: 'POST',
          json: { email: 'contractor@example.org', firstName: 'Con', lastName: 'Tractor' },
        })
      ).status,
    ).toBe(201);
  });
  afterAll(async () => h.close());

  it('creates HR users for the members of a synced group, and a second run changes nothing', async () => {
    const run = await h.syncNow();
    expect(run).toMatchObject({ status: 'succeeded', counts: { created: 2, skipped: 1, failed: 0 } });
    const users = (await (await h.service.api('/api/admin/users?search=contoso')).json()) as {
      items: Array<{ email: string; origin: string }>;
    };
    expect(users.items.map((u) => u.email).sort()).toEqual(['ada@contoso.com', 'bob@contoso.com']);
    const again = await h.syncNow();
    expect(again.counts).toEqual({ created: 0, updated: 0, deactivated: 0, reactivated: 0, skipped: 0, failed: 0 });
  });

  it('shows for each field of an HR user where its value came from, when, and that Entra owns it', async () => {
    const list = (await (await h.service.api('/api/admin/users?search=ada')).json()) as {
      items: Array<{ id: string }>;
    };
    const detail = (await (await h.service.api(`/api/admin/users/${list.items[0]!.id}`)).json()) as UserDetail;
    expect(detail.fields.jobTitle).toMatchObject({ value: 'Engineer', source: 'entra', readOnly: true });
    expect(Date.parse(detail.fields.jobTitle!.changedAt!)).toBeGreaterThan(Date.now() - 60_000);
    const bob = (await (await h.service.api('/api/admin/users?search=bob')).json()) as { items: Array<{ id: string }> };
    const bobDetail = (await (await h.service.api(`/api/admin/users/${bob.items[0]!.id}`)).json()) as UserDetail;
    // Managers are resolved by Entra id after the pages, whatever order the users arrived in.
    expect(bobDetail.fields.managerEntraId!.value).toBe(ada.id);
  });

  it('reports Entra users without an HR user (with the reason), HR users without a link, and e-mails that differ', async () => {
    await h.emulator.control.updateUser(ada.id, { mail: 'ada.lovelace@contoso.com' });
    await h.syncNow();
    const report = (await (await h.service.api('/api/admin/sync/reconciliation')).json()) as {
      entraUsersWithoutHrUser: { total: number; items: Array<{ email: string; reason: string }> };
      hrUsersWithoutEntraLink: { items: Array<{ email: string }> };
      emailMismatches: { items: Array<{ hrEmail: string; entraEmail: string }> };
    };
    expect(report.entraUsersWithoutHrUser.total).toBe(1);
    expect(report.entraUsersWithoutHrUser.items[0]).toMatchObject({ email: 'desk@contoso.com' });
    expect(report.entraUsersWithoutHrUser.items[0]!.reason).toMatch(/name/i);
    expect(report.hrUsersWithoutEntraLink.items.map((u) => u.email)).toEqual(
      expect.arrayContaining(['contractor@example.org']),
    );
    expect(report.emailMismatches.items).toEqual([
      expect.objectContaining({ hrEmail: 'ada@contoso.com', entraEmail: 'ada.lovelace@contoso.com' }),
    ]);
  });
});
