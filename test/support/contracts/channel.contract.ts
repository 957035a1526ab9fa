import { describe, expect, it } from '@jest/globals';
import { calendarChannelId, INBOUND_CHANNEL_ID } from '../../../src/sync/kernel/channel-id.js';
import { NO_CURSOR } from '../../../src/sync/kernel/channel-state.ports.js';
import { page, useBackend, user } from './contract-support.js';
import type { BackendFactory } from './inbound-backend.js';

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Channel state, stream cursors (ChannelStore) and channel locks (ChannelLocks). */
export function channelContract(make: BackendFactory): void {
  describe('sync channels and their locks', () => {
    const backend = useBackend(make);

    it('has the inbound channel from the start, idle; records another channel when first opened', async () => {
      const { channels } = backend().stores();
      expect(await channels.open(INBOUND_CHANNEL_ID, 'entra-inbound')).toEqual({
        id: INBOUND_CHANNEL_ID,
        kind: 'entra-inbound',
        stage: 'idle',
        stageStartedAt: null,
        failuresInRow: 0,
        lastSuccessAt: null,
      });
      const calendar = calendarChannelId('m-1');
      expect(await channels.open(calendar, 'calendar')).toMatchObject({
        id: calendar,
        kind: 'calendar',
        stage: 'idle',
      });
      // Opened again with another kind: the channel keeps the one it was recorded with.
      expect(await channels.open(calendar, 'other')).toMatchObject({ kind: 'calendar' });
    });

    it('changes a stage only from the stage it is in; counts failures in a row until a success', async () => {
      const { channels } = backend().stores();
      const channel = calendarChannelId('m-2');
      await channels.open(channel, 'calendar');
      const change = (from: string, to: string, outcome: 'success' | 'failure' | null = null) =>
        channels.changeStage(channel, { from, to, outcome } as Parameters<typeof channels.changeStage>[1]);
      expect(await change('idle', 'fetching')).toBe(true);
      expect(await change('idle', 'fetching')).toBe(false);
      expect(
        await channels.changeStage(calendarChannelId('never-opened'), { from: 'idle', to: 'fetching', outcome: null }),
      ).toBe(false);
      await change('fetching', 'failed', 'failure');
      await change('failed', 'fetching');
      await change('fetching', 'failed', 'failure');
      const failed = await channels.open(channel, 'calendar');
      expect(failed).toMatchObject({ stage: 'failed', failuresInRow: 2, lastSuccessAt: null });
      expect(failed.stageStartedAt).toMatch(ISO_MS);
      await change('failed', 'fetching');
      await change('fetching', 'applying');
      await change('applying', 'idle', 'success');
      const ok = await channels.open(channel, 'calendar');
      expect(ok).toMatchObject({ stage: 'idle', failuresInRow: 0 });
      expect(ok.lastSuccessAt).toMatch(ISO_MS);
    });

    it('keeps cursors by channel and stream, numbers full rounds by channel, forgets one stream alone', async () => {
      const { channels, mirror } = backend().stores();
      const inbound = channels.cursors(INBOUND_CHANNEL_ID);
      const calendar = calendarChannelId('m-3');
      await channels.open(calendar, 'calendar');
      const other = channels.cursors(calendar);
      expect(await inbound.startFullRound()).toBe(1);
      expect(await inbound.startFullRound()).toBe(2);
      expect(await other.startFullRound()).toBe(1);
      await expect(channels.cursors(calendarChannelId('never-opened')).startFullRound()).rejects.toThrow(
        /not recorded/,
      );
      expect(await channels.cursors(calendarChannelId('never-opened')).cursor('users')).toEqual(NO_CURSOR);

      await mirror.storeUsers([user('u-1')], page('https://graph.test/next/1', 2));
      await mirror.storeGroups([], { cursor: 'https://graph.test/groups/delta', inRound: false, fullRound: null });
      expect(await inbound.cursor('users')).toEqual(page('https://graph.test/next/1', 2));
      expect(await other.cursor('users')).toEqual(NO_CURSOR);
      await inbound.forget('users');
      expect(await inbound.cursor('users')).toEqual(NO_CURSOR);
      expect(await inbound.cursor('groups')).toEqual({
        cursor: 'https://graph.test/groups/delta',
        inRound: false,
        fullRound: null,
      });
    });

    it('lets one holder have a channel at a time, other channels meanwhile, and frees it when the work ends or throws', async () => {
      const { locks } = backend();
      const calendar = calendarChannelId('m-4');
      const inside = await locks.tryWithLock(INBOUND_CHANNEL_ID, async () => ({
        same: await locks.tryWithLock(INBOUND_CHANNEL_ID, async () => 'twice'),
        other: await locks.tryWithLock(calendar, async () => 'calendar'),
      }));
      expect(inside).toEqual({
        acquired: true,
        value: { same: { acquired: false }, other: { acquired: true, value: 'calendar' } },
      });
      await expect(
        locks.tryWithLock(INBOUND_CHANNEL_ID, async () => Promise.reject(new Error('boom'))),
      ).rejects.toThrow('boom');
      expect(await locks.tryWithLock(INBOUND_CHANNEL_ID, async () => 'again')).toEqual({
        acquired: true,
        value: 'again',
      });
    });
  });
}
