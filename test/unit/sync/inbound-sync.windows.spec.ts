import { describe, expect, it } from '@jest/globals';
import { inboundHarness, person } from '../../support/in-memory/inbound-harness.js';

/**
 * Applying while reading (src/sync/inbound/read-while-applying.ts): a run that applies users in
 * windows while the users stream is still being read ends exactly where a run that reads first and
 * applies after ends, managers listed after their reports included.
 */
describe('the inbound engine applies users while it reads them', () => {
  /** 30 staff in pages of 4; each one's manager is listed after them (ids sort as they are read). */
  function tenant(applyWindowChanges?: number) {
    const h = inboundHarness(applyWindowChanges === undefined ? {} : { applyWindowChanges });
    h.directory.pageSize = 4;
    h.state.syncedGroups.add('staff');
    h.directory.group('staff');
    const ids = Array.from({ length: 30 }, (_, i) => `e-${String(i).padStart(2, '0')}`);
    for (const [i, id] of ids.entries()) {
      const manager = i < 29 ? ids[Math.min(29, i + 7)]! : null;
      h.directory.putUser(id, person(`P${i}`, `Q${i}`, { jobTitle: `Title ${i}` }), manager).add('staff', id);
    }
    // What HR holds each time a users page is handed to the engine.
    const hrSizes: number[] = [];
    const read = h.directory.userChanges.bind(h.directory);
    h.directory.userChanges = (cursor, properties) =>
      (async function* () {
        for await (const page of read(cursor, properties)) {
          hrSizes.push(h.state.hrUsers.size);
          yield page;
        }
      })();
    return { h, ids, hrSizes };
  }

  /** HR as the people see it: values, the manager's Entra id through the resolved link, active. */
  function view(h: ReturnType<typeof inboundHarness>) {
    const byId = new Map([...h.state.hrUsers.values()].map((u) => [u.id, u]));
    return [...h.state.hrUsers.values()]
      .map((u) => ({
        entraId: u.entraId,
        email: u.email,
        values: u.values,
        active: u.active,
        manager: u.managerId === null ? null : byId.get(u.managerId)!.entraId,
      }))
      .sort((a, b) => a.entraId!.localeCompare(b.entraId!));
  }

  it('a first run in windows of 3 changes creates everyone with their manager, as a run without windows does', async () => {
    const windowed = tenant(3);
    const plain = tenant();
    const [a, b] = [await windowed.h.run(), await plain.h.run()];
    expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
    // Windows applied users before the last users page was read; without them HR stayed empty until the end.
    expect(windowed.hrSizes.some((n) => n > 0)).toBe(true);
    expect(plain.hrSizes.every((n) => n === 0)).toBe(true);
    expect(view(windowed.h)).toEqual(view(plain.h));
    expect(view(windowed.h)).toHaveLength(30);
    // Managers listed after their reports are resolved.
    expect(view(windowed.h)[0]!.manager).toBe('e-07');
    // Each user has exactly one outcome: created (a user applied twice would have a second one).
    expect(windowed.h.outcomes(a.runId).map((o) => o.outcome)).toEqual(Array(30).fill('created'));
    expect(a.record.counts).toMatchObject({ created: 30, updated: 0, failed: 0 });
    const state = await windowed.h.stores.hr.applyState();
    expect(state.appliedSeq).toBe(state.currentSeq);
  });

  it('a later run after changes made between runs ends as without windows, and a killed windowed run resumes without duplicates', async () => {
    const windowed = tenant(3);
    const plain = tenant();
    for (const { h } of [windowed, plain]) {
      await h.run();
      h.directory.putUser('e-03', { jobTitle: 'Head of Things' }).putUser('e-04', {}, 'e-29').remove('staff', 'e-05');
      const run = await h.run();
      expect(run.record.counts).toMatchObject({ updated: 2, deactivated: 1, failed: 0 });
    }
    expect(view(windowed.h)).toEqual(view(plain.h));

    // A first run that dies on its last users page leaves some users applied; the next run finishes
    // the round and creates nobody twice.
    const killed = tenant(3);
    killed.h.directory.failNextRead('users', 6);
    expect((await killed.h.run()).status).toBe('failed');
    expect(killed.h.state.hrUsers.size).toBeGreaterThan(0);
    const resumed = await killed.h.run();
    expect(resumed.status).toBe('succeeded');
    const fresh = tenant();
    await fresh.h.run();
    expect(view(killed.h)).toHaveLength(30);
    expect(view(killed.h)).toEqual(view(fresh.h));
  });
});
