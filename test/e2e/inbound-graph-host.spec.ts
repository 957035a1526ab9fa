import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { startSyncHarness, type SyncHarness } from '../support/entra.js';

describe('stored delta cursors after the connection moves to another Graph host', () => {
  let h: SyncHarness;
  let moved: RunningEmulator;
  beforeAll(async () => {
    h = await startSyncHarness({ emulator: { seed: { users: 30 } } });
    const allStaff = (await h.emulator.control.findGroup('All Staff'))!;
    expect(
      (await h.service.api('/api/admin/synced-groups', { method: 'PUT', json: { groupIds: [allStaff.id] } })).status,
    ).toBe(200);
  });
  afterAll(async () => {
    // The first emulator is closed already; closing it again is the only thing that may fail here.
    await h.close().catch(() => undefined);
    await moved?.close();
  });

  it('start a full round on the new host instead of calling the old one, and change nothing that did not change', async () => {
    const first = await h.syncNow();
    expect(first.status).toBe('succeeded');
    expect(first.counts.created).toBeGreaterThan(20);
    // The same tenant served from another address (as after a restart of the demo's emulator); the old host is gone.
    moved = await startEmulator({ quota: false, seed: { users: 30 } });
    await h.emulator.close();
    await h.restart({ GRAPH_AUTHORITY_HOST: moved.url, GRAPH_BASE_URL: moved.url });
    const next = await h.syncNow();
    expect(next).toMatchObject({ status: 'succeeded', mode: 'incremental' });
    // A full round re-applies every user: only the users Entra has no names for are reported again.
    expect(next.counts).toEqual({
      created: 0,
      updated: 0,
      deactivated: 0,
      reactivated: 0,
      skipped: first.counts.skipped,
      failed: 0,
    });
  });
});
