import { describe, expect, it } from '@jest/globals';
import { mergePages } from '../../../src/gateways/graph/merged-pages.js';

/** A source of `pages` pages named `${name}${i}`; counts the reads in flight at once. */
function source(name: string, pages: number, load: { now: number; max: number }, fail?: Error) {
  return async function* () {
    for (let i = 0; i < pages; i += 1) {
      load.now += 1;
      load.max = Math.max(load.max, load.now);
      await new Promise((resolve) => setTimeout(resolve, 1));
      load.now -= 1;
      if (fail && i === pages - 1) throw fail;
      yield `${name}${i}`;
    }
  };
}

async function collect(pages: AsyncIterable<string>, onPage?: () => Promise<void>): Promise<string[]> {
  const all: string[] = [];
  for await (const page of pages) {
    all.push(page);
    await onPage?.();
  }
  return all;
}

describe('mergePages: several paged sources read at once, their pages taken one at a time', () => {
  it('yields every page of every source once, with at most `concurrency` reads in flight', async () => {
    const load = { now: 0, max: 0 };
    const sources = ['a', 'b', 'c', 'd', 'e'].map((name) => source(name, 3, load));
    const pages = await collect(mergePages(sources, { concurrency: 2, buffer: 4 }));
    expect(pages.sort()).toEqual(['a', 'b', 'c', 'd', 'e'].flatMap((n) => [0, 1, 2].map((i) => `${n}${i}`)).sort());
    expect(load.max).toBe(2);
  });

  it('ends when sources that were waiting for room end instead of filling it (many one-page sources)', async () => {
    const load = { now: 0, max: 0 };
    const sources = Array.from({ length: 45 }, (_, i) => source(`s${i}-`, i === 44 ? 3 : 1, load));
    const slowConsumer = () => new Promise<void>((resolve) => setTimeout(resolve, 2));
    const pages = await collect(mergePages(sources, { concurrency: 12, buffer: 8 }), slowConsumer);
    expect(pages).toHaveLength(47);
  });

  it('keeps at most `buffer` pages waiting for a slow consumer', async () => {
    let produced = 0;
    const counting = async function* () {
      for (let i = 0; i < 50; i += 1) {
        produced += 1;
        yield `p${i}`;
      }
    };
    const iterator = mergePages([counting], { concurrency: 4, buffer: 3 })[Symbol.asyncIterator]();
    await iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The one taken, three waiting, one read and holding for room.
    expect(produced).toBeLessThanOrEqual(5);
    await iterator.return(undefined);
  });

  it("ends with the first source's failure", async () => {
    const load = { now: 0, max: 0 };
    const boom = new Error('Graph said no');
    const sources = [source('a', 5, load), source('b', 2, load, boom)];
    await expect(collect(mergePages(sources, { concurrency: 2, buffer: 2 }))).rejects.toBe(boom);
  });
});
