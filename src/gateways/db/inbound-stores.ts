import type { EntityManager } from '@mikro-orm/postgresql';
import type { InboundStores } from '../../sync/inbound/inbound-sync.ports.js';
import { DirectoryMirrorRepository } from './directory-mirror.repository.js';
import { HrSyncRepository } from './hr-sync.repository.js';
import { SyncChannelRepository } from './sync-channel.repository.js';
import { SyncRunRepository } from './sync-run.repository.js';

/** The inbound engine's stores over one EntityManager (one unit of work). */
export function inboundStores(em: EntityManager): InboundStores {
  return {
    hr: new HrSyncRepository(em),
    runs: new SyncRunRepository(em),
    mirror: new DirectoryMirrorRepository(em),
    channels: new SyncChannelRepository(em),
  };
}
