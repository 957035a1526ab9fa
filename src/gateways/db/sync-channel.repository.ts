import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChannelId } from '../../sync/kernel/channel-id.js';
import {
  NO_CURSOR,
  type ChannelState,
  type ChannelStore,
  type StreamCursor,
  type StreamCursorStore,
} from '../../sync/kernel/channel-state.ports.js';
import { isChannelStage, type ChannelOutcome, type ChannelStage } from '../../sync/kernel/channel-stages.js';
import { isoUtc } from './sql-time.js';

const STATE_COLUMNS = `id, kind, stage, ${isoUtc('stage_started_at')} as "stageStartedAt", failures_in_row as "failuresInRow", ${isoUtc('last_success_at')} as "lastSuccessAt"`;

/** Sync channels in PostgreSQL (sync_channel): their stage and their delta cursors. */
export class SyncChannelRepository implements ChannelStore {
  constructor(private readonly em: EntityManager) {}

  async open(channel: ChannelId, kind: string): Promise<ChannelState> {
    await this.em.execute('insert into sync_channel (id, kind) values (?, ?) on conflict (id) do nothing', [
      channel,
      kind,
    ]);
    const [row] = await this.em.execute<Array<Omit<ChannelState, 'stage'> & { stage: string }>>(
      `select ${STATE_COLUMNS} from sync_channel where id = ?`,
      [channel],
    );
    if (!isChannelStage(row!.stage))
      throw new Error(`the sync channel ${channel} is in an unknown stage: ${row!.stage}`);
    return { ...row!, stage: row!.stage };
  }

  async changeStage(
    channel: ChannelId,
    change: { from: ChannelStage; to: ChannelStage; outcome: ChannelOutcome },
  ): Promise<boolean> {
    const rows = await this.em.execute<{ id: string }[]>(
      `update sync_channel set stage = ?, stage_started_at = now(), updated_at = now(),
         failures_in_row = case ? when 'success' then 0 when 'failure' then failures_in_row + 1 else failures_in_row end,
         last_success_at = case when ? = 'success' then now() else last_success_at end
       where id = ? and stage = ? returning id`,
      [change.to, change.outcome, change.outcome, channel, change.from],
    );
    return rows.length > 0;
  }

  /** The channel's delta cursors. */
  cursors(channel: ChannelId): StreamCursorStore {
    return {
      cursor: async (stream) => {
        const rows = await this.em.execute<{ cursor: Partial<StreamCursor> | null }[]>(
          'select cursors->?::text as cursor from sync_channel where id = ?',
          [stream, channel],
        );
        const stored = rows[0]?.cursor;
        if (!stored) return NO_CURSOR;
        return {
          cursor: stored.cursor ?? null,
          inRound: stored.inRound ?? false,
          fullRound: stored.fullRound === null || stored.fullRound === undefined ? null : Number(stored.fullRound),
        };
      },
      forget: async (stream) => {
        await this.em.execute('update sync_channel set cursors = cursors - ?::text where id = ?', [stream, channel]);
      },
      startFullRound: async () => {
        const rows = await this.em.execute<{ full_round: string }[]>(
          'update sync_channel set full_round = full_round + 1 where id = ? returning full_round',
          [channel],
        );
        if (!rows[0]) throw new Error(`the sync channel ${channel} is not recorded`);
        return Number(rows[0].full_round);
      },
    };
  }
}

/**
 * Saves a stream's cursor; called inside the transaction that stores the page it follows, so the
 * cursor is never ahead of the changes it covers. The round's start is kept while a round goes on.
 */
export async function saveStreamCursor(
  em: EntityManager,
  channel: ChannelId,
  stream: string,
  next: StreamCursor,
): Promise<void> {
  const rows = await em.execute<{ id: string }[]>(
    `update sync_channel set updated_at = now(), cursors = jsonb_set(cursors, array[?::text], jsonb_build_object(
       'cursor', ?::text, 'inRound', ?::boolean, 'fullRound', ?::bigint, 'updatedAt', now(),
       'roundStartedAt', case when coalesce((cursors->?::text->>'inRound')::boolean, false) then cursors->?::text->'roundStartedAt' else to_jsonb(now()) end))
     where id = ? returning id`,
    [stream, next.cursor, next.inRound, next.fullRound, stream, stream, channel],
  );
  // A cursor saved nowhere would make every run a full one without a word: fail the page instead.
  if (rows.length === 0) throw new Error(`the sync channel ${channel} is not recorded`);
}
