import type { InboundStores } from '../../../src/sync/inbound/inbound-sync.ports.js';
import { InMemoryChannelStore } from './channel.store.js';
import { InMemoryDirectoryMirror } from './directory-mirror.js';
import { InMemoryHrSyncStore } from './hr-sync.store.js';
import type { InboundState } from './inbound-state.js';
import { InMemorySyncRunStore } from './sync-run.store.js';

export { InMemoryChannelLocks } from './channel.store.js';
export { InboundState } from './inbound-state.js';
export { InMemorySyncRunStore };

/** The inbound engine's stores over one in-memory state (src/gateways/db/inbound-stores.ts without a database). */
export function inMemoryInboundStores(state: InboundState): InboundStores & { runs: InMemorySyncRunStore } {
  return {
    hr: new InMemoryHrSyncStore(state),
    runs: new InMemorySyncRunStore(state),
    mirror: new InMemoryDirectoryMirror(state),
    channels: new InMemoryChannelStore(state),
  };
}
