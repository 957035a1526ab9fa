import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InboundWorld } from './inbound-support.js';
import { drained, outbox, requestsByRoute } from './write-back-support.js';

interface Deletion {
  id: string;
  email: string;
  entraId: string | null;
  entra: string;
  writeBackChangeId: string | null;
  employeeProfileId: string | null;
  notes: string[];
}

/**
 * Deleting an HR user through the admin API (docs/rules.md §4.3), and write-back's creations and
 * deletions meeting the inbound sync afterwards without an echo (rule 4.5): the emulator, its
 * control API, the drain job and "sync now".
 */
describe('deleting an HR user, and what the next runs do with write-back’s creations and deletions', () => {
  let world: InboundWorld;
  let staff: string;
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const del = (id: string, confirm?: string) =>
    world.api<Deletion & { detail?: string }>(
      `/api/admin/users/${id}${confirm === undefined ? '' : `?confirm=${encodeURIComponent(confirm)}`}`,
      'DELETE',
    );

  /** An Entra user in the synced group, synced into HR: its ids and its HR user. */
  const syncedPerson = async (given: string, surname: string, onPremises = false) => {
    const person = await world.person(given, surname);
    if (onPremises) await world.control.markSynced(person.id, true);
    await world.control.addMember(staff, person.id);
    await world.sync();
    return { ...person, hr: await world.hrUser(person.mail) };
  };

  beforeAll(async () => {
    world = await InboundWorld.start();
    staff = await world.group('Delete staff', [(await world.person('Seed', 'Staff')).id]);
    await world.setSyncedGroups([staff]);
    await world.sync();
  }, 120_000);
  afterAll(async () => world.close());

  it('deletes nothing without the e-mail as confirmation, and says what deleting would do', async () => {
    const synced = await syncedPerson('Kept', 'Unconfirmed');
    const { hr } = synced;
    await world.settings({ writeBackDelete: true });
    for (const confirm of [undefined, 'someone.else@contoso.com']) {
      const answer = await del(hr.id, confirm);
      expect(answer.status).toBe(400);
      expect(answer.body.detail).toContain(`confirm=${synced.mail}`);
      expect(answer.body.detail).toContain(`Its Entra user ${synced.id} is deleted too`);
    }
    expect(await world.hrUser(synced.mail)).toMatchObject({ id: hr.id, active: true });
    expect((await outbox(world, 'action=delete')).filter((c) => c.entraId === synced.id)).toEqual([]);
    expect((await del('00000000-0000-4000-8000-000000000000', 'x@contoso.com')).status).toBe(404);
    await world.settings({ writeBackDelete: false });
  });

  it('refuses to delete the caller’s own account', async () => {
    const me = await world.ok<{ userId: string; email: string }>('/api/me');
    const answer = await del(me.userId, me.email);
    expect(answer.status).toBe(409);
    expect(answer.body.detail).toContain('your own account');
    expect(await world.hrUser(me.email)).toMatchObject({ id: me.userId, active: true });
  });

  it('with write-back of deletions on, deletes the Entra user; the next run brings nobody back; a restore in Entra comes back linked (rules 4.3, 4.5)', async () => {
    const leaver = await syncedPerson('Hard', 'Leaver');
    const { hr } = leaver;
    const profileId = await world.connectProfile(leaver.mail);
    await world.settings({ writeBackDelete: true });

    const answer = await del(hr.id, leaver.mail.toUpperCase());
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: hr.id,
      email: leaver.mail,
      entraId: leaver.id,
      entra: 'deleted-by-write-back',
      employeeProfileId: profileId,
      writeBackChangeId: expect.any(String),
    });
    expect(await world.hrUsersWith(leaver.mail)).toEqual([]);
    // The employee profile stays, connected to no HR user.
    expect(await world.ok(`/api/admin/employee-profiles/${profileId}`)).toMatchObject({ hrUser: null });
    const [audit] = (
      await world.ok<{ items: Array<{ target: string; oldValue: Record<string, unknown>; newValue: unknown }> }>(
        '/api/admin/audit-log?action=hr-user.delete',
      )
    ).items.filter((entry) => entry.target === `hr-user:${hr.id}`);
    expect(audit).toMatchObject({
      oldValue: { email: leaver.mail, entraId: leaver.id, employeeProfileId: profileId },
      newValue: { deleted: true, entra: 'deleted-by-write-back', writeBackChangeId: answer.body.writeBackChangeId },
    });

    // The change keeps the Entra id the HR user no longer has, and the drain deletes that user.
    const change = (await drained(world)).find((c) => c.id === answer.body.writeBackChangeId);
    expect(change).toMatchObject({ action: 'delete', hrUserId: null, entraId: leaver.id, status: 'sent' });
    expect(await world.control.getUser(leaver.id)).toMatchObject({ deleted: true });

    // No echo: the run after finds the Entra user gone and creates no HR user for it.
    const after = await world.sync('succeeded', 'full');
    expect(await world.hrUsersWith(leaver.mail)).toEqual([]);
    expect((await world.outcomes(after.id)).filter((o) => o.entraId === leaver.id && o.outcome === 'created')).toEqual(
      [],
    );

    // Restored from Entra's deleted users, back in its groups: the next run brings it back, linked to that Entra user.
    await world.control.restoreUser(leaver.id);
    await world.sync();
    expect(await world.hrUserByEntraId(leaver.id)).toMatchObject({ email: leaver.mail, active: true });
    expect(await world.hrUsersWith(leaver.mail)).toHaveLength(1);
    await world.settings({ writeBackDelete: false });
  });

  it('a deleted HR user’s Entra user synced from on-premises is not deleted: skipped with the reason (rule 4.4)', async () => {
    const hybrid = await syncedPerson('Hybrid', 'Deleted', true);
    const { hr } = hybrid;
    await world.settings({ writeBackDelete: true });
    await world.control.resetStats();
    const answer = await del(hr.id, hybrid.mail);
    const change = (await drained(world)).find((c) => c.id === answer.body.writeBackChangeId);
    expect(change).toMatchObject({
      entraId: hybrid.id,
      status: 'skipped',
      reason: expect.stringContaining('on-premises'),
    });
    expect(await requestsByRoute(world)).not.toHaveProperty('DELETE /users/{id}');
    await world.settings({ writeBackDelete: false });
  });

  it('with write-back of deletions off, the Entra user stays and the answer says the next run brings the user back', async () => {
    const stays = await syncedPerson('Soft', 'Stays');
    const { hr } = stays;
    await world.control.resetStats();
    const answer = await del(hr.id, stays.mail);
    expect(answer.body).toMatchObject({ entra: 'kept-write-back-off', writeBackChangeId: null, entraId: stays.id });
    expect(answer.body.notes.join(' ')).toContain('the next sync creates the HR user again');
    await drained(world);
    expect(await requestsByRoute(world)).not.toHaveProperty('DELETE /users/{id}');
    expect(await world.control.getUser(stays.id)).toMatchObject({ deleted: false });
  });

  it('a user created in HR, created in Entra and linked, comes back unchanged from the next runs, once (rule 4.5)', async () => {
    await world.settings({
      writeBackCreate: true,
      writeBackCreateDomain: 'contoso.com',
      writeBackCreateGroupId: staff,
    });
    const created = await world.ok<{ id: string }>('/api/admin/users', 'POST', {
      email: 'echo.free@personal.example',
      firstName: 'Echo',
      lastName: 'Free',
      roles: [],
    });
    const change = (await drained(world)).find((c) => c.hrUserId === created.id)!;
    expect(change).toMatchObject({ action: 'create', status: 'sent' });
    const entraId = String(change.result!['entraId']);
    const before = await world.ok<{ fields: Record<string, { value: unknown }> }>(`/api/admin/users/${created.id}`);

    for (const mode of ['incremental', 'full'] as const) {
      const run = await world.sync('succeeded', mode);
      expect((await world.outcomes(run.id)).filter((o) => o.entraId === entraId && o.outcome !== 'unchanged')).toEqual(
        [],
      );
    }
    // One HR user, the same, with the same values; and nothing new for Entra in the outbox.
    expect(await world.hrUsersWith('echo.free@contoso.com')).toEqual([
      expect.objectContaining({ id: created.id, entraId, active: true }),
    ]);
    const after = await world.ok<{ fields: Record<string, { value: unknown }> }>(`/api/admin/users/${created.id}`);
    expect(Object.fromEntries(Object.entries(after.fields).map(([f, v]) => [f, v.value]))).toEqual(
      Object.fromEntries(Object.entries(before.fields).map(([f, v]) => [f, v.value])),
    );
    expect((await outbox(world)).filter((c) => c.hrUserId === created.id)).toHaveLength(1);
    await world.settings({ writeBackCreate: false });
  });

  it('an archived employee whose Entra user write-back deleted stays deactivated through the next runs (rules 3.5, 4.5)', async () => {
    const gone = await syncedPerson('Archived', 'Echo');
    const profileId = await world.connectProfile(gone.mail);
    await world.settings({ writeBackDelete: true });
    await world.ok(`/api/admin/employee-profiles/${profileId}/resignation`, 'PUT', { date: yesterday });
    expect((await drained(world)).find((c) => c.action === 'delete' && c.entraId === gone.id)).toMatchObject({
      status: 'sent',
    });
    const hrId = (await world.hrUserByEntraId(gone.id))!.id;
    for (const mode of ['incremental', 'full'] as const) {
      const run = await world.sync('succeeded', mode);
      expect(
        (await world.outcomes(run.id)).filter((o) => o.entraId === gone.id && o.outcome === 'reactivated'),
      ).toEqual([]);
      expect(await world.hrUserByEntraId(gone.id)).toMatchObject({ id: hrId, active: false });
    }
    expect((await outbox(world, 'action=delete')).filter((c) => c.entraId === gone.id)).toHaveLength(1);
    await world.settings({ writeBackDelete: false });
  });
});
