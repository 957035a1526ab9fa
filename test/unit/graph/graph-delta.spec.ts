import { describe, expect, it } from '@jest/globals';
import { mergeGroupDeltaItems } from '../../../src/gateways/graph/graph-delta.merge.js';
import { GraphDeltaReader } from '../../../src/gateways/graph/graph-delta.reader.js';
import type { GraphPage, GraphRequestExecutor } from '../../../src/gateways/graph/graph-request.executor.js';
import { isPlaceholderImage } from '../../../src/gateways/graph/graph-users.gateway.js';

const user = (id: string) => ({ '@odata.type': '#microsoft.graph.user', id });

describe('mergeGroupDeltaItems', () => {
  it('merges the members@delta slices of one group on a page', () => {
    const merged = mergeGroupDeltaItems([
      { id: 'g1', displayName: 'HR', description: 'People', 'members@delta': [user('u1'), user('u2')] },
      {
        id: 'g2',
        'members@delta': [
          { '@odata.type': '#microsoft.graph.group', id: 'g9' },
          { '@odata.type': '#microsoft.graph.device', id: 'd1' },
        ],
      },
      { id: 'g1', 'members@delta': [user('u3'), { ...user('u2'), '@removed': { reason: 'deleted' } }] },
    ]);
    expect(merged).toEqual([
      {
        id: 'g1',
        displayName: 'HR',
        properties: { description: 'People' },
        membersAdded: [
          { id: 'u1', type: 'user' },
          { id: 'u3', type: 'user' },
        ],
        membersRemoved: [{ id: 'u2', type: 'user' }],
      },
      {
        id: 'g2',
        properties: {},
        membersAdded: [
          { id: 'g9', type: 'group' },
          { id: 'd1', type: 'other' },
        ],
        membersRemoved: [],
      },
    ]);
  });

  it('reads a removed group', () => {
    expect(mergeGroupDeltaItems([{ id: 'g1', '@removed': { reason: 'changed' } }])[0]).toMatchObject({
      id: 'g1',
      removed: 'changed',
    });
  });
});

/** A fake executor replaying pages, recording the first URL and whether it was a token URL. */
function replay(pages: GraphPage<Record<string, unknown>>[]) {
  const seen: { url: string; onTokenUrl: boolean | undefined }[] = [];
  const executor = {
    async *pages(url: string, options: { onTokenUrl?: boolean }) {
      seen.push({ url, onTokenUrl: options.onTokenUrl });
      yield* pages;
    },
  } as unknown as GraphRequestExecutor;
  return { reader: new GraphDeltaReader(executor), seen };
}

describe('GraphDeltaReader.readUsersDelta', () => {
  it('starts a full round with $select, yields cursors, and reads removals and managers', async () => {
    const { reader, seen } = replay([
      {
        value: [
          { id: 'u1', displayName: 'Ada', 'manager@delta': [user('m1')] },
          { id: 'u2', '@removed': { reason: 'deleted' } },
        ],
        nextLink: 'https://g/v1.0/users/delta?$skiptoken=a',
        deltaLink: undefined,
      },
      {
        value: [
          { id: 'u3', 'manager@delta': [{ ...user('m1'), '@removed': { reason: 'deleted' } }] },
          { id: 'u4', '@removed': {} },
        ],
        nextLink: undefined,
        deltaLink: 'https://g/v1.0/users/delta?$deltatoken=b',
      },
    ]);
    const pages = [];
    for await (const page of reader.readUsersDelta(null, ['displayName', 'manager'])) pages.push(page);
    expect(seen).toEqual([{ url: '/users/delta?$select=id,displayName,manager', onTokenUrl: false }]);
    expect(pages).toEqual([
      {
        users: [
          { id: 'u1', properties: { displayName: 'Ada' }, managerId: 'm1' },
          { id: 'u2', properties: {}, removed: 'deleted' },
        ],
        cursor: 'https://g/v1.0/users/delta?$skiptoken=a',
        done: false,
      },
      {
        users: [
          { id: 'u3', properties: {}, managerId: null },
          { id: 'u4', properties: {}, removed: 'changed' },
        ],
        cursor: 'https://g/v1.0/users/delta?$deltatoken=b',
        done: true,
      },
    ]);
  });

  it('resumes from a stored cursor as a token URL', async () => {
    const { reader, seen } = replay([
      { value: [], nextLink: undefined, deltaLink: 'https://g/v1.0/users/delta?$deltatoken=c' },
    ]);
    for await (const page of reader.readUsersDelta('https://g/v1.0/users/delta?$deltatoken=b', ['displayName'])) {
      expect(page).toEqual({ users: [], cursor: 'https://g/v1.0/users/delta?$deltatoken=c', done: true });
    }
    expect(seen).toEqual([{ url: 'https://g/v1.0/users/delta?$deltatoken=b', onTokenUrl: true }]);
  });
});

describe('GraphDeltaReader.readGroupsDelta', () => {
  it('tracks members and filters on at most 50 ids', async () => {
    const { reader, seen } = replay([
      { value: [], nextLink: undefined, deltaLink: 'https://g/v1.0/groups/delta?$deltatoken=x' },
    ]);
    for await (const page of reader.readGroupsDelta(null, { groupIds: ['a', 'b'] })) expect(page.done).toBe(true);
    expect(seen[0]?.url).toBe(
      "/groups/delta?$select=id,displayName,members&$filter=id%20eq%20'a'%20or%20id%20eq%20'b'",
    );
    const tooMany = Array.from({ length: 51 }, (_, i) => `g${i}`);
    await expect(reader.readGroupsDelta(null, { groupIds: tooMany }).next()).rejects.toMatchObject({
      kind: 'bad-request',
    });
  });
});

describe('isPlaceholderImage', () => {
  it('recognises 1x1 GIF and PNG placeholders only', () => {
    const gif = (w: number, h: number) => Uint8Array.from([...Buffer.from('GIF89a'), w, 0, h, 0, 0, 0]);
    const png = (w: number, h: number) => {
      const bytes = new Uint8Array(24);
      bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 0);
      bytes.set(Buffer.from('IHDR'), 12);
      new DataView(bytes.buffer).setUint32(16, w);
      new DataView(bytes.buffer).setUint32(20, h);
      return bytes;
    };
    expect(isPlaceholderImage(gif(1, 1))).toBe(true);
    expect(isPlaceholderImage(gif(48, 48))).toBe(false);
    expect(isPlaceholderImage(png(1, 1))).toBe(true);
    expect(isPlaceholderImage(png(240, 240))).toBe(false);
    expect(isPlaceholderImage(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe(false);
  });
});
