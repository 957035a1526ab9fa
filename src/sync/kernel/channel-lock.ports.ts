import type { ChannelId } from './channel-id.js';

export type LockOutcome<T> = { acquired: true; value: T } | { acquired: false };

/**
 * One lock per channel, shared by every service instance: two runs of the same channel never
 * overlap, while runs of different channels (the inbound sync, a mailbox's calendar) may.
 */
export interface ChannelLocks {
  /** Runs `work` while holding the channel's lock, or answers `{ acquired: false }` at once if another holds it. */
  tryWithLock<T>(channel: ChannelId, work: () => Promise<T>): Promise<LockOutcome<T>>;
}
