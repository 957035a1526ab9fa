import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { SortedIdList } from '../../../src/emulator/core/sorted-id-list.js';
import { pageIds } from '../../../src/emulator/odata/id-pager.js';

describe('SortedIdList and id paging', () => {
  it('keeps ids sorted and unique under inserts and removals', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.string({ maxLength: 4 }))), (ops) => {
        const list = new SortedIdList();
        const model = new Set<string>();
        for (const [add, id] of ops) {
          if (add) {
            list.insert(id);
            model.add(id);
          } else {
            list.remove(id);
            model.delete(id);
          }
        }
        expect([...list.values()]).toEqual([...model].sort());
      }),
    );
  });

  it('pages cover every accepted id exactly once whatever the page size', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom('a', 'b', 'c', '1', '2') })),
        fc.integer({ min: 1, max: 7 }),
        (ids, top) => {
          const sorted = [...ids].sort();
          const seen: string[] = [];
          let after: string | undefined;
          for (;;) {
            const page = pageIds(sorted, after, top, (id) => !id.startsWith('a'));
            seen.push(...page.ids);
            if (!page.more) break;
            after = page.ids[page.ids.length - 1];
          }
          expect(seen).toEqual(sorted.filter((id) => !id.startsWith('a')));
        },
      ),
    );
  });
});
