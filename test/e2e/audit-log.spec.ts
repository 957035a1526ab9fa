import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InboundWorld } from './inbound-support.js';

interface AuditItem {
  id: number;
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  target: string | null;
  oldValue: unknown;
  newValue: unknown;
}

/** Section 5 of issue 9: who did what, when, from what to what, through GET /api/admin/audit-log. */
describe('audit log of what matters most', () => {
  let w: InboundWorld;
  let adminId: string;
  let groupId: string;
  const people: Array<{ id: string; mail: string }> = [];

  const audit = async (action: string) =>
    (await w.ok<{ items: AuditItem[] }>(`/api/admin/audit-log?action=${action}&limit=500`)).items;

  beforeAll(async () => {
    w = await InboundWorld.start();
    adminId = (await w.ok<{ userId: string }>('/api/me')).userId;
    for (const name of ['Ann', 'Ben', 'Cas']) people.push(await w.person(name, 'Auditlog'));
    groupId = await w.group(
      'Audit staff',
      people.slice(0, 2).map((p) => p.id),
    );
    await w.setSyncedGroups([groupId]);
  });
  afterAll(async () => w?.close());

  it('links each sync run that created HR users with one row naming the run and who asked for it', async () => {
    const first = await w.sync();
    expect(first.counts).toMatchObject({ created: 2 });
    let rows = (await audit('hr-user.create')).filter((r) => r.target?.startsWith('sync-run:'));
    expect(rows).toEqual([
      expect.objectContaining({
        actorId: adminId,
        actorEmail: 'admin@localhost',
        target: `sync-run:${first.id}`,
        oldValue: null,
        newValue: {
          syncRunId: first.id,
          createdBy: 'sync',
          trigger: 'manual',
          outcomes: `/api/admin/sync/runs/${first.id}/outcomes?outcome=created`,
        },
      }),
    ]);
    // The row's link lists the users the run created.
    const listed = await w.ok<{ items: Array<{ email: string }> }>(
      (rows[0]!.newValue as { outcomes: string }).outcomes,
    );
    expect(listed.items.map((o) => o.email).sort()).toEqual(
      people
        .slice(0, 2)
        .map((p) => p.mail)
        .sort(),
    );

    // A run that creates nobody adds no row; the next run that creates someone adds its own.
    expect((await w.sync()).counts).toMatchObject({ created: 0 });
    await w.control.addMember(groupId, people[2]!.id);
    const third = await w.sync();
    expect(third.counts).toMatchObject({ created: 1 });
    rows = (await audit('hr-user.create')).filter((r) => r.target?.startsWith('sync-run:'));
    expect(rows.map((r) => r.target)).toEqual([`sync-run:${third.id}`, `sync-run:${first.id}`]);
  });

  it('records an HR user created through the API, with who, when and what', async () => {
    const started = Date.now();
    const created = await w.ok<{ id: string }>('/api/admin/users', 'POST', {
      email: 'dee.auditlog@contoso.com',
      firstName: 'Dee',
      lastName: 'Auditlog',
      roles: ['Administrator'],
    });
    const [row] = (await audit('hr-user.create')).filter((r) => r.target === `hr-user:${created.id}`);
    expect(row).toMatchObject({
      actorId: adminId,
      oldValue: null,
      newValue: {
        email: 'dee.auditlog@contoso.com',
        firstName: 'Dee',
        lastName: 'Auditlog',
        roles: ['Administrator'],
        origin: 'hr',
      },
    });
    expect(Date.parse(row!.at)).toBeGreaterThanOrEqual(started - 1000);
    // Created holding the administrator role: that grant has a row of its own.
    expect((await audit('user.admin-role.grant')).filter((r) => r.target === `hr-user:${created.id}`)).toEqual([
      expect.objectContaining({
        actorId: adminId,
        oldValue: { role: 'Administrator', held: false },
        newValue: { role: 'Administrator', held: true },
      }),
    ]);
  });

  it('records giving and removing the administrator role, and nothing for a change of other roles', async () => {
    const ann = await w.hrUser(people[0]!.mail);
    const [admin] = (await w.ok<{ items: Array<{ id: string; name: string }> }>('/api/admin/roles')).items.filter(
      (r) => r.name === 'Administrator',
    );
    await w.ok('/api/admin/roles', 'POST', { name: 'Auditor' });
    const grants = (await audit('user.admin-role.grant')).length;
    await w.ok(`/api/admin/users/${ann.id}/roles`, 'PUT', { roles: ['Auditor'] });
    expect(await audit('user.admin-role.grant')).toHaveLength(grants);
    await w.ok(`/api/admin/users/${ann.id}/roles`, 'PUT', { roles: ['Auditor', 'Administrator'] });
    expect((await audit('user.admin-role.grant'))[0]).toMatchObject({
      actorId: adminId,
      target: `hr-user:${ann.id}`,
      newValue: { role: 'Administrator', held: true },
    });
    await w.ok(`/api/admin/users/${ann.id}/roles/${admin!.id}`, 'DELETE');
    expect((await audit('user.admin-role.revoke'))[0]).toMatchObject({
      actorId: adminId,
      target: `hr-user:${ann.id}`,
      oldValue: { role: 'Administrator', held: true },
      newValue: { role: 'Administrator', held: false },
    });
  });

  it('revokes the tokens of a user the sync deactivates; the sync reactivating the user does not bring them back', async () => {
    const ben = await w.hrUser(people[1]!.mail);
    const { token } = await w.ok<{ token: string }>(`/api/admin/users/${ben.id}/tokens`, 'POST', { name: 'ben' });
    const me = async () => (await w.h.service.api('/api/me', { token })).status;
    expect(await me()).toBe(200);
    await w.control.removeMember(groupId, people[1]!.id);
    expect((await w.sync()).counts).toMatchObject({ deactivated: 1 });
    expect(await me()).toBe(401);
    await w.control.addMember(groupId, people[1]!.id);
    expect((await w.sync()).counts).toMatchObject({ reactivated: 1 });
    expect((await w.hrUser(people[1]!.mail)).active).toBe(true);
    expect(await me()).toBe(401);
    const [listed] = (
      await w.ok<{ items: Array<{ status: string; revokedReason: string }> }>(`/api/admin/tokens?userId=${ben.id}`)
    ).items;
    expect(listed).toMatchObject({ status: 'revoked', revokedReason: 'user-deactivated' });
  });
});
