import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { StreamCursor } from '../../../sync/kernel/channel-state.ports.js';

/** A stream's cursor as stored, with when its round started and when it was last saved. */
export interface StoredStreamCursor extends StreamCursor {
  roundStartedAt: string | null;
  updatedAt: string;
}

/** A sync channel's state (sync/kernel): 'entra-inbound', later one per mailbox's calendar. */
export const SyncChannel = defineEntity({
  name: 'SyncChannel',
  tableName: 'sync_channel',
  properties: {
    id: p.string().length(200).primary(),
    kind: p.string().length(32),
    /** A ChannelStage (sync/kernel/channel-stages.ts). */
    stage: p.string().length(32).default('idle'),
    stageStartedAt: p.datetime().nullable(),
    failuresInRow: p.integer().default(0),
    lastSuccessAt: p.datetime().nullable(),
    /** Delta cursors by stream name. */
    cursors: p.json<Record<string, StoredStreamCursor>>().default('{}'),
    /** The number of the channel's last full delta round started. */
    fullRound: p.bigint('number').defaultRaw('0'),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type SyncChannelEntity = InferEntity<typeof SyncChannel>;
