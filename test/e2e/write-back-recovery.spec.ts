import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InboundWorld, spawnService } from './inbound-support.js';
import { drained, entraUser, holdDrain, requestsByRoute, type ChangeRow } from './write-back-support.js';

/**
 * A crash between the HR change and the call to Graph loses nothing (docs/rules.md §4): the change
 * was committed with its outbox row, and the service started again sends it, once.
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
});
