import { beforeEach, describe, expect, it } from '@jest/globals';
import { INTERRUPTED_BY_DEATH } from '../../../src/gateways/db/sync-run.repository.js';
import { INBOUND_CHANNEL_ID } from '../../../src/sync/kernel/channel-id.js';
import { FakeGraphError } from '../../support/in-memory/fake-directory.js';
import { inboundHarness, person } from '../../support/in-memory/inbound-harness.js';

/** How the inbound engine resumes after a failure, a stale cursor or a process that died (docs/rules.md, section 8). */
describe('the inbound engine after a failure', () => {
  let h: ReturnType<typeof inboundHarness>;
  const cursor = (stream: string) => h.stores.channels.cursors(INBOUND_CHANNEL_ID).cursor(stream);
  const channel = () => h.stores.channels.open(INBOUND_CHANNEL_ID, INBOUND_CHANNEL_ID);

  beforeEach(() => {
    h = inboundHarness();
    h.state.syncedGroups.add('staff');
    h.directory.group('staff');
    for (const name of ['Ada', 'Bob', 'Cy', 'Dee', 'Eve'])
      h.directory.putUser(`e-${name.toLowerCase()}`, person(name, 'Test')).add('staff', `e-${name.toLowerCase()}`);
  });

  it('a round that fails midway keeps its stored pages, and the next run resumes it from the stored nextLink', async () => {
    h.directory.failNextRead('users', 1);
    const failed = await h.run();
    expect(failed.record).toMatchObject({ status: 'failed', error: 'Microsoft Graph failed (retryable)' });
    expect(failed.upstreamFailure).toBeInstanceOf(FakeGraphError);
    expect(h.announced.map((r) => r.status)).toEqual(['failed']);
    expect(await channel()).toMatchObject({ stage: 'failed', failuresInRow: 1, lastSuccessAt: null });
    // The first page is in the mirror, with the cursor that follows it: a full round in progress.
    expect(await cursor('users')).toEqual({ cursor: 'https://graph.fake/users/-1/2', inRound: true, fullRound: 1 });
    expect(await h.stores.mirror.hasUser('e-ada')).toBe(true);
    expect(await h.stores.mirror.hasUser('e-cy')).toBe(false);
    expect(h.state.hrUsers.size).toBe(0);

    const reads = h.directory.reads.length;
    const resumed = await h.run();
    expect(h.directory.reads.slice(reads)).toContainEqual({ stream: 'users', cursor: 'https://graph.fake/users/-1/2' });
    expect(resumed.record).toMatchObject({ status: 'succeeded', counts: { created: 5 } });
    // The resumed round is the same full round: the users of its first page are not swept away.
    expect(await cursor('users')).toMatchObject({ inRound: false, fullRound: 1 });
    expect([...h.state.mirrorUsers.values()].map((u) => u.removed)).toEqual([null, null, null, null, null]);
    expect(await channel()).toMatchObject({ stage: 'idle', failuresInRow: 0, lastSuccessAt: expect.any(String) });
  });

  it('a stale cursor starts a full round, whose sweep finds the users deleted meanwhile', async () => {
    await h.run();
    const stale = (await cursor('users')).cursor!;
    h.directory.revoked.add(stale);
    h.directory.deleteUser('e-eve');
    const reads = h.directory.reads.length;
    const run = await h.run();
    expect(h.directory.reads.slice(reads).filter((r) => r.stream === 'users')).toEqual([
      { stream: 'users', cursor: stale },
      { stream: 'users', cursor: null },
    ]);
    expect(run.record).toMatchObject({ status: 'succeeded', counts: { deactivated: 1 } });
    expect(h.state.mirrorUsers.get('e-eve')!.removed).toBe('missing');
    expect(h.hr('e-eve')).toMatchObject({ active: false, deactivatedReason: 'deleted-in-entra' });
  });

  it('a permission Graph refuses stops the run as failed, and changes nobody', async () => {
    await h.run();
    h.directory.putUser('e-ada', { jobTitle: 'CTO' });
    h.directory.failNextRead('groups', 0, new FakeGraphError('permission-missing'));
    const run = await h.run();
    expect(run.record.status).toBe('failed');
    expect(h.hr('e-ada')!.values.jobTitle).toBeNull();
    expect(await channel()).toMatchObject({ stage: 'failed', failuresInRow: 1 });
  });

  it('a run left running by a dead process is failed when the next one starts, and the channel starts over', async () => {
    const dead = await h.stores.runs.start('manual', 'incremental', null, 'gone-instance');
    await h.stores.channels.changeStage(INBOUND_CHANNEL_ID, { from: 'idle', to: 'fetching', outcome: null });
    await h.stores.channels.changeStage(INBOUND_CHANNEL_ID, { from: 'fetching', to: 'applying', outcome: null });
    const run = await h.run();
    expect(run.status).toBe('succeeded');
    expect(await h.stores.runs.get(dead)).toMatchObject({ status: 'failed', error: INTERRUPTED_BY_DEATH });
    expect(await channel()).toMatchObject({ stage: 'idle' });
  });

  it('a queued run is claimed in the mode it was last asked for; one cancelled meanwhile is left as it is', async () => {
    await h.run();
    h.directory.putUser('e-ada', { jobTitle: 'CTO' });
    const queued = await h.stores.runs.queue('schedule', 'full', null);
    const run = await h.engine.run({ trigger: 'schedule', runId: queued });
    expect(await h.stores.runs.get(queued)).toMatchObject({
      status: 'succeeded',
      mode: 'full',
      progress: { total: 5 },
    });
    expect(run.status).toBe('succeeded');

    const cancelled = await h.stores.runs.queue('manual', 'incremental', null);
    await h.stores.runs.requestCancel(cancelled, null);
    expect(await h.engine.run({ trigger: 'manual', runId: cancelled })).toEqual({
      runId: cancelled,
      status: 'cancelled',
    });
  });
});
