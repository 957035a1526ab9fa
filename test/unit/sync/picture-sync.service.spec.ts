import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { GraphGatewayError, type GraphErrorKind } from '../../../src/gateways/graph/index.js';
import { classifyGraphFailure } from '../../../src/gateways/graph/graph-failure.classifier.js';
import { FailurePolicy } from '../../../src/sync/kernel/error-policy.js';
import type { DuePicture, PictureCheck, PictureStore } from '../../../src/sync/pictures/picture-sync.ports.js';
import { PictureSyncService } from '../../../src/sync/pictures/picture-sync.service.js';

/** HR's pictures in memory: every user given is due until recorded. */
class MemoryPictureStore implements PictureStore {
  readonly recorded: PictureCheck[] = [];
  constructor(private readonly users: DuePicture[]) {}
  async dueUserIds(limit: number): Promise<string[]> {
    return this.due()
      .slice(0, limit)
      .map((u) => u.hrUserId);
  }
  async dueAmong(ids: readonly string[]): Promise<DuePicture[]> {
    return this.due().filter((u) => ids.includes(u.hrUserId));
  }
  async record(checks: readonly PictureCheck[]): Promise<void> {
    this.recorded.push(...checks);
  }
  private due(): DuePicture[] {
    return this.users.filter((u) => !this.recorded.some((r) => r.hrUserId === u.hrUserId));
  }
}

const users: DuePicture[] = ['a', 'b', 'c'].map((id) => ({ hrUserId: id, entraId: `e-${id}`, sha256: null }));
const failure = (kind: GraphErrorKind) => new GraphGatewayError({ kind, code: 'x', graphMessage: 'x' });

/** A source that fails for user b with `kind`, and has a photo for the others. */
function service(store: PictureStore, kind: GraphErrorKind | null, batchSize = 100) {
  return new PictureSyncService({
    store: () => store,
    failures: new FailurePolicy(classifyGraphFailure),
    logger: pino({ level: 'silent' }),
    concurrency: 1,
    batchSize,
    source: () => ({
      getPhoto: async (entraId) => {
        if (kind && entraId === 'e-b') throw failure(kind);
        return { bytes: new Uint8Array([1, 2, 3]), contentType: 'image/jpeg' };
      },
    }),
  });
}

const open = { signal: new AbortController().signal, lastAttempt: false };

describe('picture sync asks the error policy what a failed photo read means', () => {
  it('cuts the due users into batches of ids', async () => {
    expect(await service(new MemoryPictureStore(users), null, 2).dueBatches()).toEqual([['a', 'b'], ['c']]);
  });

  it('leaves a user Graph was too busy for to a later attempt, and stores the others', async () => {
    const store = new MemoryPictureStore(users);
    const result = await service(store, 'retryable').syncBatch(['a', 'b', 'c'], open);
    expect(result).toMatchObject({ due: 3, checked: 2, changed: 2, retry: ['b'] });
    expect(store.recorded.map((r) => r.hrUserId)).toEqual(['a', 'c']);
  });

  it('on the last attempt only moves that user to the back of the queue, keeping its stored picture', async () => {
    const store = new MemoryPictureStore(users);
    const result = await service(store, 'retryable').syncBatch(['b'], { ...open, lastAttempt: true });
    expect(result.retry).toEqual([]);
    expect(store.recorded).toEqual([{ hrUserId: 'b', picture: null, changed: false }]);
  });

  it('skips a user Graph no longer has as checked', async () => {
    const store = new MemoryPictureStore(users);
    expect(await service(store, 'not-found').syncBatch(['b'], open)).toMatchObject({ checked: 1, retry: [] });
    expect(store.recorded).toEqual([{ hrUserId: 'b', picture: null, changed: false }]);
  });

  it('stops the batch at a missing permission: the users not read stay due', async () => {
    const store = new MemoryPictureStore(users);
    const result = await service(store, 'permission-missing').syncBatch(['a', 'b', 'c'], open);
    expect(result).toMatchObject({ stoppedBy: 'permission-missing', checked: 1, retry: [] });
    expect(await store.dueUserIds(10)).toEqual(['b', 'c']);
  });

  it('reads only the users of the batch that are still due', async () => {
    const store = new MemoryPictureStore(users);
    await store.record([{ hrUserId: 'a', picture: null, changed: false }]);
    expect(await service(store, null).syncBatch(['a', 'c'], open)).toMatchObject({ due: 1, checked: 1 });
  });
});
