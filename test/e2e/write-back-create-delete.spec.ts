import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InboundWorld } from './inbound-support.js';
import { drained, entraUser, holdDrain, outbox, requestsByRoute } from './write-back-support.js';

/**
 * Write-back of creations and deletions (docs/rules.md §4.2, 4.3, 4.4, 4.6) through the admin API,
 * the emulator and its control API, and the drain job.
 */
describe('write-back: creations and deletions reach Entra', () => {
  let world: InboundWorld;
  let staff: string;
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const newHrUser = (first: string, email: string) =>
    world.ok<{ id: string }>('/api/admin/users', 'POST', { email, firstName: first, lastName: 'Made', roles: [] });

  beforeAll(async () => {
    world = await InboundWorld.start();
    const seed = await world.person('Seed', 'Member');
    staff = await world.group('Write-back staff', [seed.id]);
    await world.setSyncedGroups([staff]);
    await world.sync();
  }, 120_000);
  afterAll(async () => world.close());

  it('lists the tenant’s verified domains for the admin to choose from', async () => {
    const { items } = await world.ok<{ items: string[] }>('/api/admin/write-back/domains');
    expect(items[0]).toBe('contoso.com');
    expect(items).toContain('fabrikam.com');
  });

  it('a user created in HR appears in Entra, in the synced group, linked, with what Entra assigned (rule 4.2)', async () => {
    await world.settings({
      writeBackCreate: true,
      writeBackCreateDomain: 'fabrikam.com',
      writeBackCreateGroupId: staff,
    });
    await world.control.resetStats();
    const created = await newHrUser('Nora', 'nora.new@personal.example');
    const [change] = (await drained(world)).filter((c) => c.hrUserId === created.id);
    expect(change).toMatchObject({ action: 'create', status: 'sent', reason: null, attempts: 1 });
    const entraId = String(change!.result!['entraId']);
    expect(change!.result).toMatchObject({ userPrincipalName: 'nora.new@fabrikam.com', groupId: staff });
    const entra = await entraUser(world, entraId);
    expect(entra).toMatchObject({
      userPrincipalName: 'nora.new@fabrikam.com',
      mailNickname: 'nora.new',
      displayName: 'Nora Made',
      givenName: 'Nora',
      surname: 'Made',
      accountEnabled: true,
    });
    expect(await requestsByRoute(world)).toMatchObject({ 'POST /users': 1, 'POST /groups/{id}/members/$ref': 1 });
    // Linked, with the user principal name (the user has no mailbox) as its e-mail.
    const hr = await world.hrUserByEntraId(entraId);
    expect(hr).toMatchObject({ id: created.id, email: 'nora.new@fabrikam.com' });
    // From then on it is synced like any member of the synced group: the next full run keeps it linked and active.
    const run = await world.sync('succeeded', 'full');
    expect((await world.outcomesOf(run.id, 'nora.new@fabrikam.com')).map((o) => o.outcome)).not.toContain(
      'deactivated',
    );
    expect(await world.hrUserByEntraId(entraId)).toMatchObject({ id: created.id, active: true });
  });

  it('Graph’s refusal of a creation is recorded with its code; a missing domain is skipped with the reason', async () => {
    await world.settings({ writeBackCreateDomain: 'not-verified.example' });
    const refused = await newHrUser('Rita', 'rita@personal.example');
    expect((await drained(world)).find((c) => c.hrUserId === refused.id)).toMatchObject({
      status: 'failed',
      errorCode: 'Request_BadRequest',
      errorStatus: 400,
      reason: expect.stringContaining('verified domain'),
    });
    await world.settings({ writeBackCreateDomain: null });
    const later = await newHrUser('Lea', 'lea@personal.example');
    const skipped = (await drained(world)).find((c) => c.hrUserId === later.id)!;
    expect(skipped).toMatchObject({ status: 'skipped', reason: expect.stringContaining('writeBackCreateDomain') });
    await world.settings({ writeBackCreateDomain: 'contoso.com' });
    await world.ok(`/api/admin/write-back/changes/${skipped.id}/retry`, 'POST');
    expect((await drained(world)).find((c) => c.id === skipped.id)).toMatchObject({ status: 'sent' });
    expect((await world.hrUsers()).find((u) => u.id === later.id)).toMatchObject({ email: 'lea@contoso.com' });
  });

  it('a creation made while create is off is never sent; switching it off cancels what waits (rule 4.6)', async () => {
    await world.settings({ writeBackCreate: false });
    const off = await newHrUser('Otto', 'otto.off@personal.example');
    await world.settings({ writeBackCreate: true });
    const hold = await holdDrain(world);
    const waiting = await newHrUser('Wanda', 'wanda.wait@personal.example');
    await world.settings({ writeBackCreate: false });
    await hold.release();
    const changes = await drained(world);
    expect(changes.filter((c) => c.hrUserId === off.id)).toEqual([]);
    expect(changes.filter((c) => c.hrUserId === waiting.id)).toEqual([
      expect.objectContaining({
        status: 'cancelled',
        reason: expect.stringContaining('writeBackCreate was switched off'),
      }),
    ]);
    expect(await world.control.getUser('wanda.wait@contoso.com')).toBeNull();
  });

  it('archiving an employee deletes its Entra user; restored in Entra, it relinks on the next run (rule 4.3)', async () => {
    const gone = await world.person('Gone', 'Soon');
    await world.control.addMember(staff, gone.id);
    await world.sync();
    const profileId = await world.connectProfile(gone.mail);
    await world.settings({ writeBackDelete: true });
    await world.ok(`/api/admin/employee-profiles/${profileId}/resignation`, 'PUT', { date: yesterday });
    const [change] = (await drained(world)).filter((c) => c.action === 'delete' && c.entraId === gone.id);
    expect(change).toMatchObject({ status: 'sent', entraId: gone.id });
    // In Entra's deleted items, restorable.
    expect(await world.control.getUser(gone.id)).toMatchObject({ deleted: true });
    const hrId = (await world.hrUserByEntraId(gone.id))!.id;
    const whileGone = await world.sync();
    expect(
      (await world.outcomes(whileGone.id)).filter((o) => o.entraId === gone.id && o.outcome === 'updated'),
    ).toEqual([]);

    await world.control.restoreUser(gone.id);
    expect(await world.control.getUser(gone.id)).toMatchObject({ deleted: false });
    const back = await world.sync();
    // The HR user kept the Entra id the deletion recorded: the restored user is the same HR user, no new one.
    expect(await world.hrUserByEntraId(gone.id)).toMatchObject({ id: hrId });
    expect(await world.hrUsersWith(gone.mail)).toHaveLength(1);
    expect((await world.outcomes(back.id)).filter((o) => o.entraId === gone.id && o.outcome === 'created')).toEqual([]);
    expect((await outbox(world, 'action=delete')).filter((c) => c.entraId === gone.id)).toHaveLength(1);
  });

  it('a hybrid user is not deleted: skipped with the reason, without a call (rule 4.4)', async () => {
    const hybrid = await world.person('Hybrid', 'Leaver');
    await world.control.markSynced(hybrid.id, true);
    await world.setSyncedGroups([staff, await world.group('Hybrid group', [hybrid.id])]);
    await world.sync();
    const profileId = await world.connectProfile(hybrid.mail);
    await world.control.resetStats();
    await world.ok(`/api/admin/employee-profiles/${profileId}/resignation`, 'PUT', { date: yesterday });
    const [change] = (await drained(world)).filter((c) => c.action === 'delete' && c.entraId === hybrid.id);
    expect(change).toMatchObject({ status: 'skipped', attempts: 0, reason: expect.stringContaining('on-premises') });
    expect(await requestsByRoute(world)).not.toHaveProperty('DELETE /users/{id}');
    expect(await world.control.getUser(hybrid.id)).not.toBeNull();
  });

  it('an archiving while delete is off is never sent; switching delete off cancels the deletion that waits (rule 4.6)', async () => {
    const early = await world.person('Early', 'Leaver');
    const late = await world.person('Late', 'Leaver');
    await world.control.addMember(staff, early.id);
    await world.control.addMember(staff, late.id);
    await world.sync();
    const earlyProfile = await world.connectProfile(early.mail);
    const lateProfile = await world.connectProfile(late.mail);
    await world.settings({ writeBackDelete: false });
    await world.ok(`/api/admin/employee-profiles/${earlyProfile}/resignation`, 'PUT', { date: yesterday });
    await world.settings({ writeBackDelete: true });
    const hold = await holdDrain(world);
    await world.ok(`/api/admin/employee-profiles/${lateProfile}/resignation`, 'PUT', { date: yesterday });
    await world.settings({ writeBackDelete: false });
    await hold.release();
    const deletions = (await drained(world)).filter((c) => c.action === 'delete');
    expect(deletions.filter((c) => c.entraId === early.id)).toEqual([]);
    expect(deletions.filter((c) => c.entraId === late.id)).toEqual([
      expect.objectContaining({
        status: 'cancelled',
        reason: expect.stringContaining('writeBackDelete was switched off'),
      }),
    ]);
    // Both stay in Entra, not in its deleted items.
    expect(await world.control.getUser(early.id)).toMatchObject({ deleted: false });
    expect(await world.control.getUser(late.id)).toMatchObject({ deleted: false });
  });
});
