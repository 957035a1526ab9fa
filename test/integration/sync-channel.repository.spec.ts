import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DirectoryMirrorRepository } from '../../src/gateways/db/directory-mirror.repository.js';
import { openOrm, type Orm } from '../../src/gateways/db/orm.js';
import { SyncChannelRepository } from '../../src/gateways/db/sync-channel.repository.js';
import { INBOUND_CHANNEL_ID, calendarChannelId } from '../../src/sync/kernel/channel-id.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('sync channels in PostgreSQL', () => {
  let db: TestDatabase;
  let orm: Orm;
  const channels = () => new SyncChannelRepository(orm.em.fork());

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openOrm({ clientUrl: db.url, poolSize: 2 });
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  it('has the inbound channel from the start, idle, and records a calendar channel when first opened', async () => {
    await expect(channels().open(INBOUND_CHANNEL_ID, 'entra-inbound')).resolves.toEqual({
      id: 'entra-inbound',
      kind: 'entra-inbound',
      stage: 'idle',
      stageStartedAt: null,
      failuresInRow: 0,
      lastSuccessAt: null,
    });
    const calendar = calendarChannelId('m-1');
    await expect(channels().open(calendar, 'calendar')).resolves.toMatchObject({ id: calendar, stage: 'idle' });
  });

  it('changes a stage only from the stage it is in, and keeps failures in a row and the last success', async () => {
    const channel = calendarChannelId('m-2');
    const repo = channels();
    await repo.open(channel, 'calendar');
    expect(await repo.changeStage(channel, { from: 'idle', to: 'fetching', outcome: null })).toBe(true);
    expect(await repo.changeStage(channel, { from: 'idle', to: 'fetching', outcome: null })).toBe(false);
    await repo.changeStage(channel, { from: 'fetching', to: 'failed', outcome: 'failure' });
    await repo.changeStage(channel, { from: 'failed', to: 'fetching', outcome: null });
    await repo.changeStage(channel, { from: 'fetching', to: 'failed', outcome: 'failure' });
    const failed = await repo.open(channel, 'calendar');
    expect(failed).toMatchObject({ stage: 'failed', failuresInRow: 2, lastSuccessAt: null });
    expect(failed.stageStartedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await repo.changeStage(channel, { from: 'failed', to: 'fetching', outcome: null });
    await repo.changeStage(channel, { from: 'fetching', to: 'applying', outcome: null });
    await repo.changeStage(channel, { from: 'applying', to: 'idle', outcome: 'success' });
    const ok = await repo.open(channel, 'calendar');
    expect(ok).toMatchObject({ stage: 'idle', failuresInRow: 0 });
    expect(ok.lastSuccessAt).not.toBeNull();
  });

  it('keeps cursors per channel and stream, numbers full rounds per channel, forgets one stream alone', async () => {
    const inbound = channels().cursors(INBOUND_CHANNEL_ID);
    const calendar = calendarChannelId('m-3');
    await channels().open(calendar, 'calendar');
    const other = channels().cursors(calendar);
    const round = await inbound.startFullRound();
    expect(await inbound.startFullRound()).toBe(round + 1);
    expect(await other.startFullRound()).toBe(1);

    const mirror = new DirectoryMirrorRepository(orm.em.fork());
    await mirror.storeUsers([{ id: 'u-1', properties: { displayName: 'Ada' } }], {
      cursor: 'https://graph/next/1',
      inRound: true,
      fullRound: round,
    });
    await mirror.storeGroups([], { cursor: 'https://graph/groups/delta', inRound: false, fullRound: null });
    expect(await inbound.cursor('users')).toEqual({ cursor: 'https://graph/next/1', inRound: true, fullRound: round });
    expect(await inbound.cursor('groups')).toEqual({
      cursor: 'https://graph/groups/delta',
      inRound: false,
      fullRound: null,
    });
    expect(await other.cursor('users')).toEqual({ cursor: null, inRound: false, fullRound: null });
    await inbound.forget('users');
    expect(await inbound.cursor('users')).toEqual({ cursor: null, inRound: false, fullRound: null });
    expect((await inbound.cursor('groups')).cursor).toBe('https://graph/groups/delta');
  });

  it('a delta cursor advances only after the changes it covers are stored: a page that fails leaves it where it was', async () => {
    const mirror = new DirectoryMirrorRepository(orm.em.fork());
    const before = { cursor: 'https://graph/next/10', inRound: true, fullRound: null };
    await mirror.storeUsers([{ id: 'u-10', properties: {} }], before);
    // An id longer than the column takes: the page's insert fails, and with it the cursor's save.
    const page = [
      { id: 'u-11', properties: {} },
      { id: 'x'.repeat(100), properties: {} },
    ];
    await expect(
      mirror.storeUsers(page, { cursor: 'https://graph/next/12', inRound: true, fullRound: null }),
    ).rejects.toThrow();
    expect(await channels().cursors(INBOUND_CHANNEL_ID).cursor('users')).toEqual(before);
    expect(await orm.em.fork().execute(`select entra_id from entra_user where entra_id = 'u-11'`)).toEqual([]);
  });
});
