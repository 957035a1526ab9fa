import { afterEach, beforeEach } from '@jest/globals';
import type { DirectoryUserChange } from '../../../src/sync/inbound/inbound-sync.ports.js';
import type { StreamCursor } from '../../../src/sync/kernel/channel-state.ports.js';
import type { BackendFactory, InboundBackend } from './inbound-backend.js';

/** A fresh backend for each case of the describe block this is called in. */
export function useBackend(make: BackendFactory): () => InboundBackend {
  let backend: InboundBackend | undefined;
  beforeEach(async () => {
    backend = await make();
  });
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
  });
  return () => backend!;
}

/** The cursor of a page of an incremental round, or of full round `round`. */
export function page(cursor = 'https://graph.test/next', round: number | null = null): StreamCursor {
  return { cursor, inRound: true, fullRound: round };
}

export function user(id: string, properties: Record<string, unknown> = {}, more: Partial<DirectoryUserChange> = {}) {
  return { id, properties, ...more };
}

/** The ids of the mirrored users changed since `seq` (up to now), by id. */
export async function changedSince(b: InboundBackend, seq: number): Promise<string[]> {
  const { hr } = b.stores();
  const { currentSeq } = await hr.applyState();
  const users = await hr.changedUsers({
    afterSeq: seq,
    uptoSeq: currentSeq,
    all: false,
    afterId: '',
    limit: 1000,
    closure: [],
  });
  return users.map((u) => u.entraId);
}

export async function currentSeq(b: InboundBackend): Promise<number> {
  return (await b.stores().hr.applyState()).currentSeq;
}

/** Every mirrored user, with the groups of `closure` it is in. */
export async function mirrored(b: InboundBackend, closure: Array<{ root: string; group: string }> = []) {
  return b.stores().hr.changedUsers({ afterSeq: 0, uptoSeq: 0, all: true, afterId: '', limit: 1000, closure });
}

/** Sorted, so that an order the port leaves open compares equal. */
export function sortedPairs(pairs: Array<{ root: string; group: string }>) {
  return [...pairs].sort((a, b) => `${a.root} ${a.group}`.localeCompare(`${b.root} ${b.group}`));
}
