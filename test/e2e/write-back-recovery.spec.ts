import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InboundWorld, spawnService } from './inbound-support.js';
import { drained, entraUser, holdDrain, requestsByRoute, type ChangeRow } from './write-back-support.js';

/**
 * A crash between the HR change and the call to Graph loses nothing (docs/rules.md §4): the change
 * was committed with its outbox row, and the service started again sends it, once. A creation whose
 * answer is lost after Graph made the user (rule 4.2) is linked to that user, never made twice.
 */
describe('write-back: a crash before the call to Graph', () => {
  let world: InboundWorld;
  beforeAll(async () => {
    world = await InboundWorld.start();
  });
  afterAll(async () => world.close());

  it('is recovered on restart: the change is sent exactly once', async () => {
    const ada = await world.person('Ada', 'Crash');
    await world.setSyncedGroups([await world.group('Crash group', [ada.id])]);
    await world.sync();
    const profileId = await world.connectProfile(ada.mail);
    await world.settings({ writeBackUpdate: true, writeBackFields: ['jobTitle'] });
    await world.h.stopService();

    // A service of its own process makes the change; another instance's drain holds the lock, so
    // the process is killed with the change recorded and not yet sent.
    const hold = await holdDrain(world);
    const proc = await spawnService(world.h);
    try {
      const res = await proc.api(`/api/admin/employee-profiles/${profileId}`, {
        method: 'PATCH',
        json: { jobTitle: 'Survivor' },
      });
      expect(res.status).toBe(200);
      const pending = (await (await proc.api('/api/admin/write-back/changes?status=pending')).json()) as {
        items: ChangeRow[];
      };
      expect(pending.items).toEqual([expect.objectContaining({ entraId: ada.id, attempts: 0 })]);
    } finally {
      await proc.kill();
      await hold.release();
    }
    await world.control.resetStats();

    await world.h.restart();
    const changes = await drained(world);
    expect(changes).toEqual([expect.objectContaining({ entraId: ada.id, status: 'sent', attempts: 1 })]);
    expect((await entraUser(world, ada.id))['jobTitle']).toBe('Survivor');
    expect(await requestsByRoute(world)).toMatchObject({ 'PATCH /users/{id}': 1 });
  });

  const createSettings = { writeBackCreate: true, writeBackCreateDomain: 'contoso.com', writeBackCreateGroupId: null };
  const usersNamed = async (upn: string) => {
    const user = await world.control.getUser(upn);
    return user === null ? [] : [user];
  };

  it('a creation whose answer is lost after Graph made the user links that user, without a second one (rule 4.2)', async () => {
    await world.settings(createSettings);
    await world.control.resetStats();
    // Graph makes the user, then the connection drops before the answer reaches the service.
    await world.control.addFault({ kind: 'drop', method: 'POST', path: '/users', count: 1 });
    const created = await world.ok<{ id: string }>('/api/admin/users', 'POST', {
      email: 'lost.answer@personal.example',
      firstName: 'Lost',
      lastName: 'Answer',
      roles: [],
    });
    const [change] = (await drained(world)).filter((c) => c.hrUserId === created.id);
    expect(await world.control.listFaults()).toEqual([]);
    const entra = await world.control.getUser('lost.answer@contoso.com');
    expect(entra).not.toBeNull();
    expect(change).toMatchObject({
      action: 'create',
      status: 'sent',
      attempts: 2,
      result: expect.objectContaining({ entraId: entra!.id, userPrincipalName: 'lost.answer@contoso.com' }),
    });
    // One POST /users only: the second attempt found the user by the user principal name it was sent as.
    expect(await requestsByRoute(world)).toMatchObject({ 'POST /users': 1, 'GET /users/{id}': 1 });
    expect(await world.hrUserByEntraId(entra!.id)).toMatchObject({ id: created.id, email: 'lost.answer@contoso.com' });
  });

  it('a creation retried after a 429 leaves an older user holding that name alone: it fails as taken (rule 4.2)', async () => {
    await world.settings(createSettings);
    const holder = await world.control.createUser({
      displayName: 'Name Holder',
      userPrincipalName: 'name.holder@contoso.com',
      accountEnabled: true,
      createdDateTime: '2020-01-01T00:00:00Z',
    });
    // Throttled before Graph did anything, past the client's own retries (5): the drain retries the
    // change later, with what it was sent as.
    await world.control.addFault({
      kind: 'throttle',
      method: 'POST',
      path: '/users',
      count: 6,
      retryAfterSeconds: 0.1,
    });
    const created = await world.ok<{ id: string }>('/api/admin/users', 'POST', {
      email: 'name.holder@personal.example',
      firstName: 'Name',
      lastName: 'Seeker',
      roles: [],
    });
    const change = (await drained(world)).find((c) => c.hrUserId === created.id);
    expect(change).toMatchObject({ status: 'failed', attempts: 2, errorStatus: 400, result: null });
    expect((await world.hrUsers()).find((u) => u.id === created.id)).toMatchObject({ entraId: null });
    expect(await world.hrUserByEntraId(holder.id)).toBeUndefined();
  });

  it('a service killed between Graph making the user and the link links that user on restart, once (rule 4.2)', async () => {
    await world.settings(createSettings);
    await world.h.stopService();
    // POST /users is held 6 s before Graph makes the user: the process dies while it is on its way.
    await world.control.setLatency([{ method: 'POST', path: '/users', ms: 6000 }]);
    const proc = await spawnService(world.h);
    let hrUserId: string;
    try {
      const res = await proc.api('/api/admin/users', {
        method: 'POST',
        json: { email: 'killed.midway@personal.example', firstName: 'Killed', lastName: 'Midway', roles: [] },
      });
      expect(res.status).toBe(201);
      hrUserId = ((await res.json()) as { id: string }).id;
      // The creation is on its way: its attempt and what it is sent as are committed before the call.
      for (let i = 0; ; i++) {
        const { items } = (await (await proc.api('/api/admin/write-back/changes?status=pending')).json()) as {
          items: ChangeRow[];
        };
        if (items.some((c) => c.hrUserId === hrUserId && c.attempts === 1 && c.result?.['creating'])) break;
        if (i > 100) throw new Error('the creation was never sent');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // POST /users follows at once; give it time to reach Graph, well within its 6 s.
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } finally {
      await proc.kill();
    }
    // Graph made the user all the same, after the process was gone.
    for (let i = 0; (await usersNamed('killed.midway@contoso.com')).length === 0; i++) {
      if (i > 150) throw new Error('Graph never made the user');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await world.control.setLatency([]);
    await world.control.resetStats();

    await world.h.restart();
    const [change] = (await drained(world)).filter((c) => c.hrUserId === hrUserId);
    const entra = (await usersNamed('killed.midway@contoso.com'))[0]!;
    expect(change).toMatchObject({
      status: 'sent',
      attempts: 2,
      result: expect.objectContaining({ entraId: entra.id }),
    });
    expect((await requestsByRoute(world))['POST /users']).toBeUndefined();
    expect(await world.hrUserByEntraId(entra.id)).toMatchObject({ id: hrUserId, email: 'killed.midway@contoso.com' });
  });
});
