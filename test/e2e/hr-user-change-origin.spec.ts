import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InboundWorld } from './inbound-support.js';

interface OriginRow {
  origin: string;
  /** Seconds since the epoch. */
  changedAt: number | null;
}

/**
 * Every change of an HR user records where it came from and when (hr_user.last_change_origin,
 * last_changed_at): write-back will tell HR's own changes from echoes of what it read from Entra.
 */
describe('the origin of a change of an HR user', () => {
  let w: InboundWorld;
  const originOf = async (id: string): Promise<OriginRow> => {
    const [row] = await w.sql<OriginRow>(
      `select last_change_origin as origin, extract(epoch from last_changed_at)::float8 as "changedAt" from hr_user where id = ?`,
      [id],
    );
    return row!;
  };
  const idOf = async (email: string) =>
    (await w.ok<{ items: Array<{ id: string }> }>(`/api/admin/users?search=${encodeURIComponent(email)}`)).items[0]!.id;

  beforeAll(async () => {
    w = await InboundWorld.start();
  });
  afterAll(async () => w.close());

  it('is entra for what the sync writes and hr for what an admin edits, each with the time of the change', async () => {
    const megan = await w.person('Megan', 'Bowen', { jobTitle: 'Marketing Manager' });
    await w.setSyncedGroups([await w.group('Staff', [megan.id])]);
    await w.sync();
    const id = await idOf(megan.mail);
    const created = await originOf(id);
    expect(created.origin).toBe('entra');
    expect(created.changedAt).toEqual(expect.any(Number));

    // The e-mail is HR's (the sync links by object id): an admin edit.
    await w.ok(`/api/admin/users/${id}`, 'PATCH', { email: 'megan.hr@contoso.com' });
    const edited = await originOf(id);
    expect(edited.origin).toBe('hr');
    expect(edited.changedAt!).toBeGreaterThan(created.changedAt!);

    await w.control.updateUser(megan.id, { jobTitle: 'VP Marketing' });
    await w.sync();
    const synced = await originOf(id);
    expect(synced.origin).toBe('entra');
    expect(synced.changedAt!).toBeGreaterThan(edited.changedAt!);

    // Roles and the account status are the HR user's too; a run that changes nothing leaves the origin.
    await w.ok('/api/admin/roles', 'POST', { name: 'Payroll' });
    await w.ok(`/api/admin/users/${id}/roles`, 'PUT', { roles: ['Payroll'] });
    expect((await originOf(id)).origin).toBe('hr');
    await w.sync('succeeded', 'full');
    expect((await originOf(id)).origin).toBe('hr');
    await w.control.updateUser(megan.id, { jobTitle: 'CMO' });
    await w.sync();
    expect((await originOf(id)).origin).toBe('entra');
    await w.ok(`/api/admin/users/${id}/deactivate`, 'POST');
    expect((await originOf(id)).origin).toBe('hr');
  });

  it('is hr for a user an admin creates', async () => {
    const { id } = await w.ok<{ id: string }>('/api/admin/users', 'POST', {
      email: 'adele@contoso.com',
      firstName: 'Adele',
      lastName: 'Vance',
    });
    const row = await originOf(id);
    expect(row.origin).toBe('hr');
    expect(row.changedAt).toEqual(expect.any(Number));
  });
});
