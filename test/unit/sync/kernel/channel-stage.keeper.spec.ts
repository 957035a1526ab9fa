import { describe, expect, it } from '@jest/globals';
import type { ChannelState, ChannelStateStore } from '../../../../src/sync/kernel/channel-state.ports.js';
import { ChannelStageKeeper } from '../../../../src/sync/kernel/channel-stage.keeper.js';
import {
  IllegalStageChange,
  type ChannelOutcome,
  type ChannelStage,
} from '../../../../src/sync/kernel/channel-stages.js';

/** Channel states in memory, with the same compare-and-set as the database's. */
class MemoryChannels implements ChannelStateStore {
  readonly states = new Map<string, ChannelState>();
  async open(channel: string, kind: string): Promise<ChannelState> {
    if (!this.states.has(channel))
      this.states.set(channel, {
        id: channel,
        kind,
        stage: 'idle',
        stageStartedAt: null,
        failuresInRow: 0,
        lastSuccessAt: null,
      });
    return { ...this.states.get(channel)! };
  }
  async changeStage(
    channel: string,
    change: { from: ChannelStage; to: ChannelStage; outcome: ChannelOutcome },
  ): Promise<boolean> {
    const state = this.states.get(channel);
    if (!state || state.stage !== change.from) return false;
    state.stage = change.to;
    state.stageStartedAt = new Date().toISOString();
    if (change.outcome === 'success') {
      state.failuresInRow = 0;
      state.lastSuccessAt = state.stageStartedAt;
    }
    if (change.outcome === 'failure') state.failuresInRow += 1;
    return true;
  }
}

describe('the stage of a channel during a run', () => {
  it('goes idle -> fetching -> applying -> idle for a run that ends well, and counts failures in a row', async () => {
    const store = new MemoryChannels();
    for (const ending of ['fail', 'fail'] as const) {
      const run = new ChannelStageKeeper(store, 'entra-inbound', 'entra-inbound');
      await run.start();
      await run.change(ending);
    }
    expect(store.states.get('entra-inbound')).toMatchObject({ stage: 'failed', failuresInRow: 2, lastSuccessAt: null });
    const run = new ChannelStageKeeper(store, 'entra-inbound', 'entra-inbound');
    await expect(run.start()).resolves.toMatchObject({ stage: 'failed', failuresInRow: 2 });
    await run.change('fetched');
    expect(store.states.get('entra-inbound')!.stage).toBe('applying');
    await run.change('succeed');
    expect(store.states.get('entra-inbound')).toMatchObject({ stage: 'idle', failuresInRow: 0 });
    expect(store.states.get('entra-inbound')!.lastSuccessAt).not.toBeNull();
  });

  it('refuses a change the table does not allow, and records nothing', async () => {
    const store = new MemoryChannels();
    const run = new ChannelStageKeeper(store, 'calendar:m-1', 'calendar');
    await expect(run.change('fetched')).rejects.toThrow('has not been started');
    await run.start();
    await expect(run.change('succeed')).rejects.toThrow(IllegalStageChange);
    expect(store.states.get('calendar:m-1')!.stage).toBe('fetching');
  });

  it('a run finding its channel mid-stage (its last run died) starts over', async () => {
    const store = new MemoryChannels();
    const dead = new ChannelStageKeeper(store, 'entra-inbound', 'entra-inbound');
    await dead.start();
    await dead.change('fetched');
    const next = new ChannelStageKeeper(store, 'entra-inbound', 'entra-inbound');
    await expect(next.start()).resolves.toMatchObject({ stage: 'applying' });
    expect(store.states.get('entra-inbound')!.stage).toBe('fetching');
  });

  it('fails when the channel moved under it', async () => {
    const store = new MemoryChannels();
    const run = new ChannelStageKeeper(store, 'entra-inbound', 'entra-inbound');
    await run.start();
    store.states.get('entra-inbound')!.stage = 'idle';
    await expect(run.change('fetched')).rejects.toThrow('left the fetching stage');
  });
});
