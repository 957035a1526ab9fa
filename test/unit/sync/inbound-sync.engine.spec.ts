import { beforeEach, describe, expect, it } from '@jest/globals';
import { INBOUND_CHANNEL_ID } from '../../../src/sync/kernel/channel-id.js';
import { inboundHarness, person } from '../../support/in-memory/inbound-harness.js';

/**
 * The inbound engine (fetch into the mirror, the page planner, the apply stage, the guard) run after
 * run over in-memory stores and a fake directory: what the e2e tests check through PostgreSQL and
 * the emulator, in milliseconds.
 */
describe('the inbound engine, run after run', () => {
  let h: ReturnType<typeof inboundHarness>;

  beforeEach(() => {
    h = inboundHarness();
    h.state.syncedGroups.add('staff');
    h.directory
      .putUser('e-ada', person('Ada', 'Lovelace', { jobTitle: 'Engineer' }))
      .putUser('e-bob', person('Bob', 'Babbage'), 'e-ada')
      .putUser('e-cy', person('Cy', 'Outsider'))
      .group('staff')
      .add('staff', 'e-ada')
      .add('staff', 'e-bob');
  });

  it('a first run creates the members of the synced groups, links their managers and stores where each stream ended', async () => {
    const run = await h.run();
    expect(run.status).toBe('succeeded');
    expect(run.record.counts).toMatchObject({ created: 2, updated: 0, deactivated: 0, failed: 0 });
    // Every mirrored user is looked at (a first run is a full one); the outsider is not in scope.
    expect(run.record.progress).toMatchObject({ stage: 'done', total: 3, processed: 3, notInScope: 1, unchanged: 0 });
    const ada = h.hr('e-ada')!;
    expect(ada).toMatchObject({ email: 'ada@contoso.test', active: true, origin: 'entra', lastChangeOrigin: 'entra' });
    expect(ada.values).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'Engineer' });
    expect(h.hr('e-bob')!.managerId).toBe(ada.id);
    expect(h.hr('e-cy')).toBeUndefined();
    // Each stream's deltaLink, with the number of the full round it ended (one per stream, per channel).
    const cursors = h.stores.channels.cursors(INBOUND_CHANNEL_ID);
    expect([await cursors.cursor('users'), await cursors.cursor('groups')]).toEqual([
      { cursor: 'https://graph.fake/users/6/0', inRound: false, fullRound: 1 },
      { cursor: 'https://graph.fake/groups/6/0', inRound: false, fullRound: 2 },
    ]);
    expect(await h.stores.channels.open(INBOUND_CHANNEL_ID, INBOUND_CHANNEL_ID)).toMatchObject({
      stage: 'idle',
      failuresInRow: 0,
      lastSuccessAt: expect.any(String),
    });
    const state = await h.stores.hr.applyState();
    expect(state.appliedSeq).toBe(state.currentSeq);
  });

  it('an incremental run reads from the stored cursors and looks only at what changed', async () => {
    await h.run();
    h.directory
      .putUser('e-ada', { jobTitle: 'Lead engineer' })
      .putUser('e-dee', person('Dee', 'New'))
      .add('staff', 'e-dee');
    const reads = h.directory.reads.length;
    const run = await h.run();
    expect(h.directory.reads.slice(reads).map((r) => r.cursor)).toEqual([
      expect.stringMatching(/^https:\/\/graph\.fake\/users\//),
      expect.stringMatching(/^https:\/\/graph\.fake\/groups\//),
    ]);
    expect(run.record.counts).toMatchObject({ created: 1, updated: 1 });
    expect(run.record.progress).toMatchObject({ total: 2, processed: 2 });
    expect(h.hr('e-ada')!.values.jobTitle).toBe('Lead engineer');
    expect(h.outcomes(run.runId).find((o) => o.outcome === 'updated')?.changes).toEqual([
      { field: 'jobTitle', old: 'Engineer', new: 'Lead engineer' },
    ]);

    const quiet = await h.run();
    expect(quiet.record).toMatchObject({ status: 'succeeded', progress: { total: 0, processed: 0 } });
  });

  it('a leaver is deactivated, never deleted, and comes back when added again (rules 3.1, 3.2)', async () => {
    await h.run();
    h.directory.remove('staff', 'e-bob');
    const left = await h.run();
    expect(left.record.counts).toMatchObject({ deactivated: 1 });
    expect(h.hr('e-bob')).toMatchObject({ active: false, deactivatedReason: 'left-synced-groups' });
    expect(h.outcomes(left.runId)).toEqual([
      expect.objectContaining({ outcome: 'deactivated', email: 'bob@contoso.test', reason: 'left-synced-groups' }),
    ]);

    h.directory.add('staff', 'e-bob');
    const back = await h.run();
    expect(back.record.counts).toMatchObject({ reactivated: 1 });
    expect(h.hr('e-bob')).toMatchObject({ active: true, deactivatedReason: null });
  });

  it('a user deleted in Entra is deactivated with that reason', async () => {
    await h.run();
    h.directory.deleteUser('e-bob');
    await h.run();
    expect(h.hr('e-bob')).toMatchObject({ active: false, deactivatedReason: 'deleted-in-entra' });
  });

  it('holds a run whose deactivations cross the guard, deactivates nobody and tells the admins (rule 3.6)', async () => {
    await h.run();
    h.directory.remove('staff', 'e-ada').remove('staff', 'e-bob');
    const run = await h.run();
    expect(run.status).toBe('held');
    expect(run.record.error).toMatch(/would deactivate 2 of 2 active users/);
    expect(h.hr('e-ada')!.active).toBe(true);
    expect(h.hr('e-bob')!.active).toBe(true);
    expect(await h.stores.runs.pendingCount(run.runId)).toBe(2);
    expect(h.announced.map((r) => r.status)).toEqual(['held']);

    // A preview says beforehand that the run would be held, and changes nothing.
    const preview = await h.engine.run({ trigger: 'preview', mode: 'full' });
    expect(preview).toMatchObject({ status: 'preview', guard: { wouldBeHeld: true, toDeactivate: 2, activeUsers: 2 } });
    expect(h.hr('e-ada')!.active).toBe(true);
  });

  it('a guard threshold the deactivations stay within lets the run deactivate them', async () => {
    h.state.settings.guardThreshold = 1;
    await h.run();
    h.directory.remove('staff', 'e-ada').remove('staff', 'e-bob');
    expect((await h.run()).status).toBe('succeeded');
    expect([h.hr('e-ada')!.active, h.hr('e-bob')!.active]).toEqual([false, false]);
  });

  it('a user whose values do not fit is reported as failed; the rest of its page is written', async () => {
    h.directory.putUser('e-bob', { jobTitle: 'x'.repeat(129) });
    const run = await h.run();
    expect(run.record.status).toBe('completed-with-failures');
    expect(run.record.counts).toMatchObject({ created: 1, failed: 1 });
    expect(h.hr('e-ada')).toBeDefined();
    expect(await h.stores.runs.failures(run.runId, 5)).toEqual([
      { email: 'bob@contoso.test', reason: 'Could not be written: value too long for type character varying(128)' },
    ]);
    expect(h.announced.map((r) => r.status)).toEqual(['completed-with-failures']);
  });

  it('"sync this user now" applies that user alone; the next run applies what else changed meanwhile', async () => {
    await h.run();
    h.directory.putUser('e-ada', { jobTitle: 'CTO' }).putUser('e-bob', { jobTitle: 'Analyst' });
    const run = await h.engine.syncUser('e-ada', '00000000-0000-4000-8000-000000000001');
    expect(run.status).toBe('succeeded');
    expect(h.outcomes(run.runId)).toEqual([expect.objectContaining({ entraId: 'e-ada', outcome: 'updated' })]);
    expect(h.hr('e-ada')!.values.jobTitle).toBe('CTO');
    expect(h.hr('e-bob')!.values.jobTitle).toBeNull();

    const next = await h.run();
    expect(h.outcomes(next.runId)).toEqual([expect.objectContaining({ entraId: 'e-bob', outcome: 'updated' })]);
    await expect(h.engine.syncUser('e-nobody', 'x')).rejects.toThrow('Entra has no user with the object id e-nobody');
  });
});
