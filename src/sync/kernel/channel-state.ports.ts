import type { ChannelId } from './channel-id.js';
import type { ChannelOutcome, ChannelStage } from './channel-stages.js';

/** A channel's state as data: where its runs stand and how they have gone lately. */
export interface ChannelState {
  id: ChannelId;
  /** What the channel syncs: 'entra-inbound', later 'calendar'. */
  kind: string;
  stage: ChannelStage;
  /** ISO 8601 UTC; null before the first run. */
  stageStartedAt: string | null;
  failuresInRow: number;
  lastSuccessAt: string | null;
}

/** Where the channels' state is kept (gateways/db). */
export interface ChannelStateStore {
  /** The channel's state, recorded idle first if the channel has none yet. */
  open(channel: ChannelId, kind: string): Promise<ChannelState>;
  /**
   * Records a change of stage (the stage table allowed it) if the channel is still in `from`; false
   * when it is not (then someone else changed it, which the channel lock should make impossible).
   */
  changeStage(
    channel: ChannelId,
    change: { from: ChannelStage; to: ChannelStage; outcome: ChannelOutcome },
  ): Promise<boolean>;
}

/**
 * Where a delta stream stands: the cursor to read from (a deltaLink between rounds, the nextLink
 * of a round in progress) and the full round it belongs to, if any.
 */
export interface StreamCursor {
  cursor: string | null;
  /** True while a round is in progress: `cursor` is then a nextLink, not a deltaLink. */
  inRound: boolean;
  /** The full round in progress (objects it does not see are gone), or null for an incremental one. */
  fullRound: number | null;
}

export const NO_CURSOR: StreamCursor = { cursor: null, inRound: false, fullRound: null };

/** One page of a delta round and the cursor that follows it; `done` on the round's last page. */
export interface DeltaPage<T> {
  items: T[];
  cursor: string;
  done: boolean;
}

/** A channel's delta cursors, by stream name (saving one goes with the page it follows: DeltaStream.store). */
export interface StreamCursorStore {
  cursor(stream: string): Promise<StreamCursor>;
  forget(stream: string): Promise<void>;
  /** Numbers a new full round of the channel. */
  startFullRound(): Promise<number>;
}

/** A channel's state and its delta cursors, kept together (gateways/db). */
export interface ChannelStore extends ChannelStateStore {
  cursors(channel: ChannelId): StreamCursorStore;
}
