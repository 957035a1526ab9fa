import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { InboundWorld } from './inbound-support.js';
import { drained, entraUser, holdDrain, outbox, requestsByRoute } from './write-back-support.js';

const PERMITTED = ['jobTitle', 'department', 'managerEntraId', 'city', 'extensionAttribute3'];

interface Person {
  id: string;
  mail: string;
  profileId: string;
}

/**
 * Write-back of updates (docs/rules.md §4.1, 4.4-4.6) through the admin API, the emulator and the
 * drain job: what HR changes on a linked user reaches Entra, coalesced and batched, skipped for
 * hybrid users, stopped by the switch, never echoed by the inbound sync.
 */
describe('write-back: updates reach Entra', () => {
  let world: InboundWorld;
  const people: Person[] = [];
  const edit = (person: Person, patch: Record<string, unknown>) =>
    world.ok(`/api/admin/employee-profiles/${person.profileId}`, 'PATCH', patch);

  beforeAll(async () => {
    world = await InboundWorld.start();
    const entra = [];
    for (let i = 0; i < 60; i++) entra.push(await world.person(`Writer${i}`, 'Back'));
    await world.setSyncedGroups([
      await world.group(
        'Staff',
        entra.map((p) => p.id),
      ),
    ]);
    await world.sync();
    for (const person of entra) people.push({ ...person, profileId: await world.connectProfile(person.mail) });
    await world.settings({ writeBackUpdate: true, writeBackFields: PERMITTED });
  }, 120_000);
  afterAll(async () => world.close());
  beforeEach(async () => {
    await world.control.clearFaults();
    await world.control.resetStats();
  });

  it('sends a profile change of a permitted field to the linked Entra user, and only permitted fields', async () => {
    const [ada] = people;
    await edit(ada!, { jobTitle: 'Buyer', officeLocation: 'Oslo 4' });
    const [change] = await drained(world);
    expect(change).toMatchObject({
      action: 'update',
      status: 'sent',
      entraId: ada!.id,
      fields: ['jobTitle'],
      reason: null,
    });
    const entra = await entraUser(world, ada!.id);
    expect(entra).toMatchObject({ jobTitle: 'Buyer' });
    expect(entra['officeLocation']).not.toBe('Oslo 4');
  });

  it('coalesces several changes of one user into one PATCH with the latest values, and sets the manager by reference', async () => {
    const [, grace, boss] = people;
    const hold = await holdDrain(world);
    await edit(grace!, { jobTitle: 'Analyst' });
    await edit(grace!, { department: 'Finance', managerProfileId: boss!.profileId });
    await edit(grace!, { jobTitle: 'Senior Analyst', extensionAttribute3: 'CC-4711' });
    expect(await outbox(world, 'status=pending')).toHaveLength(3);
    await hold.release();
    const changes = (await drained(world)).filter((c) => c.entraId === grace!.id);
    expect(changes.map((c) => c.status)).toEqual(['sent', 'sent', 'sent']);
    expect(new Set(changes.map((c) => c.drainId)).size).toBe(1);
    expect(await requestsByRoute(world)).toMatchObject({ 'PATCH /users/{id}': 1, 'PUT /users/{id}/manager/$ref': 1 });
    const entra = await entraUser(world, grace!.id);
    expect(entra).toMatchObject({ jobTitle: 'Senior Analyst', department: 'Finance' });
    expect(entra['onPremisesExtensionAttributes']).toMatchObject({ extensionAttribute3: 'CC-4711' });
    expect((await world.control.getUser(grace!.id))!.managerId).toBe(boss!.id);
  });

  it('sends more than 20 changes in $batch calls of at most 20', async () => {
    const many = people.slice(15, 60);
    const hold = await holdDrain(world);
    for (const person of many) await edit(person, { city: `City of ${person.mail}` });
    await hold.release();
    const sent = (await drained(world)).filter((c) => c.fields.includes('city'));
    expect(sent).toHaveLength(45);
    expect(sent.every((c) => c.status === 'sent')).toBe(true);
    expect(await requestsByRoute(world)).toMatchObject({ 'POST /$batch': 3, 'PATCH /users/{id}': 45 });
    for (const person of [many[0]!, many[44]!])
      expect((await entraUser(world, person.id))['city']).toBe(`City of ${person.mail}`);
  });

  it('rides out throttling inside a batch: throttled items are sent again after their Retry-After', async () => {
    const few = people.slice(5, 10);
    await world.control.addFault({ kind: 'throttle', count: 3, method: 'PATCH', path: '/users', retryAfterSeconds: 1 });
    const hold = await holdDrain(world);
    for (const person of few) await edit(person, { jobTitle: 'Throttled' });
    await hold.release();
    const changes = (await drained(world)).filter(
      (c) => few.some((p) => p.id === c.entraId) && c.fields.includes('jobTitle'),
    );
    expect(changes.map((c) => c.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    expect((await world.control.stats()).throttled).toBe(3);
    for (const person of few) expect((await entraUser(world, person.id))['jobTitle']).toBe('Throttled');
  });

  it('skips a hybrid user with the reason, without a call and without failing anything else (rule 4.4)', async () => {
    const [, , , hybrid, cloud] = people;
    await world.control.markSynced(hybrid!.id, true);
    await world.sync();
    await world.control.resetStats();
    const hold = await holdDrain(world);
    await edit(hybrid!, { jobTitle: 'From HR' });
    await edit(cloud!, { jobTitle: 'From HR' });
    await hold.release();
    const changes = await drained(world);
    const skipped = changes.find((c) => c.entraId === hybrid!.id)!;
    expect(skipped).toMatchObject({
      status: 'skipped',
      attempts: 0,
      reason: expect.stringContaining('on-premises Active Directory'),
    });
    expect(changes.find((c) => c.entraId === cloud!.id)).toMatchObject({ status: 'sent' });
    expect(await requestsByRoute(world)).toMatchObject({ 'PATCH /users/{id}': 1 });
    expect((await entraUser(world, hybrid!.id))['jobTitle']).not.toBe('From HR');
  });

  it('records a refusal with Graph’s code and message; the admin retries or discards it', async () => {
    const person = people[10]!;
    // 100 characters: HR keeps up to 128, Graph's department holds 64 (docs/graph.md §2.4).
    await edit(person, { department: 'D'.repeat(100) });
    const failed = (await drained(world)).find((c) => c.entraId === person.id)!;
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'Request_BadRequest', errorStatus: 400 });
    expect(failed.reason).toMatch(/^Graph answered 400 Request_BadRequest: /);
    const retried = await world.ok<{ status: string }>(`/api/admin/write-back/changes/${failed.id}/retry`, 'POST');
    expect(retried.status).toBe('pending');
    expect((await drained(world)).find((c) => c.id === failed.id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await world.ok(`/api/admin/write-back/changes/${failed.id}/discard`, 'POST')).toMatchObject({
      status: 'discarded',
    });
    expect((await world.api(`/api/admin/write-back/changes/${failed.id}/retry`, 'POST')).status).toBe(409);
    expect((await world.api('/api/admin/write-back/changes/99999999/retry', 'POST')).status).toBe(404);
  });

  it('writes a permitted HR-owned field of a linked user without a profile', async () => {
    const [user] = await world
      .ok<{ items: Array<{ id: string; entraId: string }> }>(
        `/api/admin/users?search=${encodeURIComponent(people[11]!.mail)}`,
      )
      .then((page) => page.items);
    await world.ok(`/api/admin/employee-profiles/${people[11]!.profileId}/disconnect`, 'POST');
    await world.settings({ fieldOwners: { city: 'hr' } });
    await world.ok(`/api/admin/users/${user!.id}`, 'PATCH', { city: 'Bergen' });
    expect((await drained(world)).filter((c) => c.entraId === people[11]!.id)).toEqual([
      expect.objectContaining({ status: 'sent', fields: ['city'] }),
    ]);
    expect((await entraUser(world, people[11]!.id))['city']).toBe('Bergen');
    await world.settings({ fieldOwners: {} });
  });

  it('switching update off cancels what waits and records nothing more; switching on sends nothing late (rule 4.6)', async () => {
    const person = people[12]!;
    const hold = await holdDrain(world);
    await edit(person, { jobTitle: 'Never sent' });
    await world.settings({ writeBackUpdate: false });
    await edit(person, { jobTitle: 'Made while off' });
    await hold.release();
    await world.settings({ writeBackUpdate: true });
    const mine = (await drained(world)).filter((c) => c.entraId === person.id);
    expect(mine).toEqual([
      expect.objectContaining({
        status: 'cancelled',
        reason: expect.stringContaining('writeBackUpdate was switched off'),
      }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await entraUser(world, person.id))['jobTitle']).toBeUndefined();
    expect(await requestsByRoute(world)).not.toHaveProperty('PATCH /users/{id}');
  });

  it('a value written to Entra does not come back as a change, alternating write-back and inbound runs (rule 4.5)', async () => {
    const person = people[13]!;
    for (const title of ['First', 'Second', 'Third']) {
      await edit(person, { jobTitle: title });
      await drained(world);
      const run = await world.sync();
      expect(await world.outcomesOf(run.id, person.mail)).toEqual([]);
      expect((await entraUser(world, person.id))['jobTitle']).toBe(title);
      expect(await world.ok(`/api/admin/employee-profiles/${person.profileId}`)).toMatchObject({ jobTitle: title });
    }
    // Each edit was recorded once, and the inbound runs recorded nothing.
    expect((await outbox(world)).filter((c) => c.entraId === person.id)).toHaveLength(3);
  });
});
