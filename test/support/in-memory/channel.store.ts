import type { ChannelId } from '../../../src/sync/kernel/channel-id.js';
import type { ChannelLocks, LockOutcome } from '../../../src/sync/kernel/channel-lock.ports.js';
import {
  NO_CURSOR,
  type ChannelState,
  type ChannelStore,
  type StreamCursor,
  type StreamCursorStore,
} from '../../../src/sync/kernel/channel-state.ports.js';
import type { ChannelOutcome, ChannelStage } from '../../../src/sync/kernel/channel-stages.js';
import { newChannel, type ChannelRow, type InboundState } from './inbound-state.js';

/** Sync channels in memory (src/gateways/db/sync-channel.repository.ts). */
export class InMemoryChannelStore implements ChannelStore {
  constructor(private readonly db: InboundState) {}

  async open(channel: ChannelId, kind: string): Promise<ChannelState> {
    if (!this.db.channels.has(channel)) this.db.channels.set(channel, newChannel(channel, kind));
    return { ...this.db.channels.get(channel)!.state };
  }

  async changeStage(
    channel: ChannelId,
    change: { from: ChannelStage; to: ChannelStage; outcome: ChannelOutcome },
  ): Promise<boolean> {
    const state = this.db.channels.get(channel)?.state;
    if (state?.stage !== change.from) return false;
    const now = new Date().toISOString();
    state.stage = change.to;
    state.stageStartedAt = now;
    if (change.outcome === 'success') Object.assign(state, { failuresInRow: 0, lastSuccessAt: now });
    if (change.outcome === 'failure') state.failuresInRow += 1;
    return true;
  }

  cursors(channel: ChannelId): StreamCursorStore {
    return {
      cursor: async (stream) => ({ ...(this.db.channels.get(channel)?.cursors.get(stream) ?? NO_CURSOR) }),
      forget: async (stream) => {
        this.db.channels.get(channel)?.cursors.delete(stream);
      },
      startFullRound: async () => (requireChannel(this.db, channel).fullRound += 1),
    };
  }
}

/** A channel that is not recorded fails the write that needs it (a cursor saved nowhere). */
export function requireChannel(db: InboundState, channel: ChannelId): ChannelRow {
  const row = db.channels.get(channel);
  if (!row) throw new Error(`the sync channel ${channel} is not recorded`);
  return row;
}

/** Saves a stream's cursor with the page it follows (the caller checked the channel first). */
export function saveCursor(db: InboundState, channel: ChannelId, stream: string, next: StreamCursor): void {
  requireChannel(db, channel).cursors.set(stream, { ...next });
}

/** Channel locks of one process (src/gateways/db/channel-locks.ts without PostgreSQL). */
export class InMemoryChannelLocks implements ChannelLocks {
  private readonly held = new Set<ChannelId>();

  async tryWithLock<T>(channel: ChannelId, work: () => Promise<T>): Promise<LockOutcome<T>> {
    if (this.held.has(channel)) return { acquired: false };
    this.held.add(channel);
    try {
      return { acquired: true, value: await work() };
    } finally {
      this.held.delete(channel);
    }
  }
}
