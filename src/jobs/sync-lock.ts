import type { ChannelId } from '../sync/kernel/channel-id.js';
import type { ChannelLocks, LockOutcome } from '../sync/kernel/channel-lock.ports.js';

/**
 * The lock of one channel, as a job or a route takes it. Agenda's job lock covers one job
 * document, not two "sync now" jobs queued side by side, so every run of a channel takes this too,
 * whatever job backend runs it.
 */
export interface SyncLock {
  /** Runs `work` while holding the lock, or returns `{ acquired: false }` at once if another holds it. */
  tryWithLock<T>(work: () => Promise<T>): Promise<LockOutcome<T>>;
}

export function channelLock(locks: ChannelLocks, channel: ChannelId): SyncLock {
  return { tryWithLock: (work) => locks.tryWithLock(channel, work) };
}
