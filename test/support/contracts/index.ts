import { channelContract } from './channel.contract.js';
import { directoryMirrorContract } from './directory-mirror.contract.js';
import { hrSyncReadsContract } from './hr-sync-reads.contract.js';
import { hrSyncWritesContract } from './hr-sync-writes.contract.js';
import type { BackendFactory } from './inbound-backend.js';
import { syncRunContract } from './sync-run.contract.js';

export type { BackendFactory } from './inbound-backend.js';

/**
 * The contract of the inbound engine's ports (src/sync/inbound/*.ports.ts, src/sync/kernel/
 * channel-*.ports.ts): one set of cases that every implementation passes, the PostgreSQL
 * repositories and the in-memory fakes alike, so a unit test over the fakes means what it says.
 */
export function inboundStoresContract(make: BackendFactory): void {
  directoryMirrorContract(make);
  channelContract(make);
  hrSyncReadsContract(make);
  hrSyncWritesContract(make);
  syncRunContract(make);
}
