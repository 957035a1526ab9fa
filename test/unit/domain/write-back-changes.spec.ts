import { describe, expect, it } from '@jest/globals';
import { decideUserWork, type PendingChange } from '../../../src/domain/write-back-changes.js';

const update = (id: string, ...fields: string[]): PendingChange => ({ id, action: 'update', fields });
const create = (id: string): PendingChange => ({ id, action: 'create', fields: [] });
const remove = (id: string): PendingChange => ({ id, action: 'delete', fields: [] });

describe('coalescing the changes waiting for one user', () => {
  it('makes several updates one update of the union of their fields', () => {
    expect(decideUserWork([update('1', 'jobTitle'), update('2', 'department', 'jobTitle')], true)).toEqual({
      work: { kind: 'update', ids: ['1', '2'], fields: ['jobTitle', 'department'] },
      skipped: [],
    });
  });

  it('sends nothing for a user no longer linked to Entra, and says why', () => {
    const decision = decideUserWork([update('1', 'jobTitle')], false);
    expect(decision.work).toBeNull();
    expect(decision.skipped).toEqual([{ id: '1', reason: expect.stringContaining('not linked') }]);
  });

  it('a deletion makes the other changes moot', () => {
    const decision = decideUserWork([update('1', 'jobTitle'), remove('2'), update('3', 'city')], true);
    expect(decision.work).toEqual({ kind: 'delete', ids: ['2'] });
    expect(decision.skipped.map((s) => s.id)).toEqual(['1', '3']);
  });

  it('creates an unlinked user once; a linked one has nothing to create', () => {
    expect(decideUserWork([create('1'), create('2')], false)).toEqual({
      work: { kind: 'create', ids: ['1'] },
      skipped: [{ id: '2', reason: expect.stringContaining('same') }],
    });
    const linked = decideUserWork([create('1'), update('2', 'city')], true);
    expect(linked.work).toEqual({ kind: 'update', ids: ['2'], fields: ['city'] });
    expect(linked.skipped).toEqual([{ id: '1', reason: expect.stringContaining('already linked') }]);
  });

  it('deletes nothing for a user no longer linked, and skips every change it had', () => {
    expect(decideUserWork([update('1', 'city'), remove('2')], false)).toEqual({
      work: null,
      skipped: [
        { id: '1', reason: expect.stringContaining('not linked') },
        { id: '2', reason: expect.stringContaining('not linked') },
      ],
    });
    expect(decideUserWork([remove('1'), update('2', 'city')], true).skipped).toEqual([
      { id: '2', reason: expect.stringContaining('deleted by a later change') },
    ]);
  });

  it('creates an unlinked user first: its updates wait for no link and are skipped', () => {
    expect(decideUserWork([update('1', 'city'), create('2'), create('3')], false)).toEqual({
      work: { kind: 'create', ids: ['2'] },
      skipped: [
        { id: '3', reason: expect.stringContaining('same') },
        { id: '1', reason: expect.stringContaining('not linked') },
      ],
    });
  });

  it('sends nothing for a creation alone of a user already linked', () => {
    expect(decideUserWork([create('1')], true)).toEqual({
      work: null,
      skipped: [{ id: '1', reason: expect.stringContaining('already linked') }],
    });
    expect(decideUserWork([], true)).toEqual({ work: null, skipped: [] });
  });
});
