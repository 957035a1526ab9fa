import { describe, expect, it } from '@jest/globals';
import { INBOUND_CHANNEL_ID } from '../../../src/sync/kernel/channel-id.js';
import { NO_CURSOR } from '../../../src/sync/kernel/channel-state.ports.js';
import { changedSince, currentSeq, mirrored, page, sortedPairs, useBackend, user } from './contract-support.js';
import type { BackendFactory } from './inbound-backend.js';

/** The directory mirror (DirectoryMirror, and the mirror reads of HrSyncStore): what each implementation must do. */
export function directoryMirrorContract(make: BackendFactory): void {
  describe('the directory mirror', () => {
    const backend = useBackend(make);

    it('stores a page of new users, each numbered as a change, with its properties, manager and removal', async () => {
      const { mirror } = backend().stores();
      await mirror.storeUsers(
        [
          user('u-1', { displayName: 'Ada', mail: 'ada@contoso.test', employeeId: 'E1' }),
          user('u-2', { displayName: 'Bob' }, { managerId: 'u-1' }),
          user('u-3', {}, { removed: 'deleted' }),
          user('u-4', {}, { managerId: 'not-mirrored' }),
        ],
        page(),
      );
      expect(await changedSince(backend(), 0)).toEqual(['u-1', 'u-2', 'u-3', 'u-4']);
      expect(await mirrored(backend())).toEqual([
        {
          entraId: 'u-1',
          properties: { displayName: 'Ada', mail: 'ada@contoso.test', employeeId: 'E1' },
          removed: null,
          manager: null,
          groups: [],
        },
        {
          entraId: 'u-2',
          properties: { displayName: 'Bob' },
          removed: null,
          manager: { id: 'u-1', mail: 'ada@contoso.test', employeeId: 'E1' },
          groups: [],
        },
        { entraId: 'u-3', properties: {}, removed: 'deleted', manager: null, groups: [] },
        // A manager the mirror does not hold is no manager yet.
        { entraId: 'u-4', properties: {}, removed: null, manager: null, groups: [] },
      ]);
      expect([await mirror.hasUser('u-3'), await mirror.hasUser('u-9')]).toEqual([true, false]);
      expect(await mirror.countUsers({ afterSeq: 0, uptoSeq: await currentSeq(backend()), all: false })).toBe(4);
    });

    it('windows while reading: a window skips users whose manager is not mirrored yet; the pass after skips what windows applied', async () => {
      const { mirror, hr } = backend().stores();
      const ids = async (range: Parameters<typeof mirror.countUsers>[0]) => {
        const users = await hr.changedUsers({ ...range, afterId: '', limit: 1000, closure: [] });
        expect(await mirror.countUsers(range)).toBe(users.length);
        return users.map((u) => u.entraId);
      };
      const start = await currentSeq(backend());
      // A window: r-1's manager is listed after it, r-2 has none, r-3's manager m-0 came first, and
      // r-4's manager m-4 comes later within the same window.
      await mirror.storeUsers(
        [user('m-0'), user('r-1', {}, { managerId: 'm-1' }), user('r-2'), user('r-4', {}, { managerId: 'm-4' })],
        page(),
      );
      await mirror.storeUsers([user('r-3', {}, { managerId: 'm-0' }), user('m-4')], page());
      const window = await currentSeq(backend());
      expect(await ids({ afterSeq: start, uptoSeq: window, all: false, managerInMirror: true })).toEqual([
        'm-0',
        'm-4',
        'r-2',
        'r-3',
        'r-4',
      ]);
      // Then r-1's manager arrives, and m-0 changes after r-3 was applied: the pass after the read
      // takes r-1 (skipped), r-3 (its manager changed since), m-0 and m-1 (after the windows), and
      // none of m-4, r-2, r-4 (applied by the window with everything they need).
      await mirror.storeUsers([user('m-1'), user('m-0', { jobTitle: 'Boss' })], page());
      const end = await currentSeq(backend());
      expect(await ids({ afterSeq: start, uptoSeq: end, all: false, windowEnds: [window] })).toEqual([
        'm-0',
        'm-1',
        'r-1',
        'r-3',
      ]);
      // A full pass after windows: everyone the windows did not apply with a known manager.
      expect(await ids({ afterSeq: start, uptoSeq: end, all: true, windowEnds: [window] })).toEqual([
        'm-0',
        'm-1',
        'r-1',
        'r-3',
      ]);
    });

    it('numbers a user again only when a page changes it: properties merged, the manager when named, a removal once', async () => {
      const { mirror } = backend().stores();
      await mirror.storeUsers(
        [user('u-1', { displayName: 'Ada', jobTitle: 'Engineer' }, { managerId: 'm-1' }), user('u-2')],
        page(),
      );
      let seq = await currentSeq(backend());
      await mirror.storeUsers([user('u-1', { jobTitle: 'Engineer' }), user('u-2', {}, { managerId: null })], page());
      expect(await changedSince(backend(), seq)).toEqual([]);

      await mirror.storeUsers([user('u-1', { jobTitle: 'Lead' }), user('u-2', {}, { managerId: 'u-1' })], page());
      expect(await changedSince(backend(), seq)).toEqual(['u-1', 'u-2']);
      const [ada] = await mirrored(backend());
      expect(ada!.properties).toEqual({ displayName: 'Ada', jobTitle: 'Lead' });

      // A removal keeps the last known properties and the manager; the same removal again is no change.
      seq = await currentSeq(backend());
      await mirror.storeUsers([user('u-1', { jobTitle: 'ignored' }, { removed: 'deleted' })], page());
      expect(await changedSince(backend(), seq)).toEqual(['u-1']);
      seq = await currentSeq(backend());
      await mirror.storeUsers([user('u-1', {}, { removed: 'deleted' })], page());
      expect(await changedSince(backend(), seq)).toEqual([]);
      expect((await mirrored(backend()))[0]).toMatchObject({
        properties: { displayName: 'Ada', jobTitle: 'Lead' },
        removed: 'deleted',
      });

      // Back again: a change, with what was known before.
      await mirror.storeUsers([user('u-1')], page());
      expect(await changedSince(backend(), seq)).toEqual(['u-1']);
      expect((await mirrored(backend()))[0]).toMatchObject({
        properties: { displayName: 'Ada', jobTitle: 'Lead' },
        removed: null,
      });
    });

    it('saves the cursor with its page: a page that cannot be stored stores nothing and leaves the cursor', async () => {
      const { mirror, channels } = backend().stores();
      const cursors = channels.cursors(INBOUND_CHANNEL_ID);
      expect(await cursors.cursor('users')).toEqual(NO_CURSOR);
      await mirror.storeUsers([user('u-1')], page('https://graph.test/next/1'));
      // An id longer than an object id can be: the page fails as a whole.
      await expect(
        mirror.storeUsers([user('u-2'), user('x'.repeat(65))], page('https://graph.test/next/2')),
      ).rejects.toThrow();
      expect(await cursors.cursor('users')).toEqual(page('https://graph.test/next/1'));
      expect(await mirror.hasUser('u-2')).toBe(false);
      // A user read directly, outside any round, leaves the cursor alone.
      await mirror.storeUsers([user('u-3')], null);
      expect([await mirror.hasUser('u-3'), (await cursors.cursor('users')).cursor]).toEqual([
        true,
        'https://graph.test/next/1',
      ]);
      await mirror.storeGroups([], { cursor: 'https://graph.test/groups/delta', inRound: false, fullRound: 7 });
      expect(await cursors.cursor('groups')).toEqual({
        cursor: 'https://graph.test/groups/delta',
        inRound: false,
        fullRound: 7,
      });
    });

    it('gives each user the roots of the group closure it is in; nested groups through group members, when followed', async () => {
      const { mirror, hr } = backend().stores();
      await mirror.storeUsers([user('u-1'), user('u-2'), user('u-3')], page());
      await mirror.storeGroups(
        [
          {
            id: 'staff',
            displayName: 'Staff',
            membersAdded: [
              { id: 'u-1', type: 'user' },
              { id: 'team', type: 'group' },
            ],
            membersRemoved: [],
          },
          { id: 'team', membersAdded: [{ id: 'u-2', type: 'user' }], membersRemoved: [] },
          { id: 'admins', membersAdded: [{ id: 'u-2', type: 'user' }], membersRemoved: [] },
        ],
        page(),
      );
      const nested = await hr.groupClosure(['staff', 'admins', 'unknown'], true);
      expect(sortedPairs(nested)).toEqual([
        { root: 'admins', group: 'admins' },
        { root: 'staff', group: 'staff' },
        { root: 'staff', group: 'team' },
        { root: 'unknown', group: 'unknown' },
      ]);
      expect(sortedPairs(await hr.groupClosure(['staff', 'admins'], false))).toEqual([
        { root: 'admins', group: 'admins' },
        { root: 'staff', group: 'staff' },
      ]);
      expect((await mirrored(backend(), nested)).map((u) => u.groups)).toEqual([['staff'], ['admins', 'staff'], []]);
    });

    it('marks the users below a membership change changed in an incremental round, nested too; a full round does not', async () => {
      const { mirror } = backend().stores();
      await mirror.storeUsers([user('u-1'), user('u-2'), user('u-3')], page());
      const member = (id: string, type: 'user' | 'group' = 'user') => ({ id, type });
      await mirror.storeGroups(
        [
          { id: 'staff', membersAdded: [member('u-1'), member('team', 'group')], membersRemoved: [] },
          { id: 'team', membersAdded: [member('u-2')], membersRemoved: [] },
        ],
        page(),
      );
      let seq = await currentSeq(backend());
      await mirror.storeGroups([{ id: 'team', membersAdded: [member('u-3')], membersRemoved: [] }], page());
      expect(await changedSince(backend(), seq)).toEqual(['u-3']);
      seq = await currentSeq(backend());
      await mirror.storeGroups([{ id: 'staff', membersAdded: [], membersRemoved: [member('team', 'group')] }], page());
      expect(await changedSince(backend(), seq)).toEqual(['u-2', 'u-3']);
      seq = await currentSeq(backend());
      await mirror.storeGroups(
        [{ id: 'admins', membersAdded: [member('u-1')], membersRemoved: [] }],
        page(undefined, 5),
      );
      expect(await changedSince(backend(), seq)).toEqual([]);
      // A group removed: its memberships go, and its members are changed.
      await mirror.storeGroups([{ id: 'admins', removed: 'deleted', membersAdded: [], membersRemoved: [] }], page());
      expect(await changedSince(backend(), seq)).toEqual(['u-1']);
      const closure = [{ root: 'admins', group: 'admins' }];
      expect((await mirrored(backend(), closure)).map((u) => u.groups)).toEqual([[], [], []]);
    });

    it('ends a full round: users it did not see are missing (once), memberships it did not see are gone', async () => {
      const { mirror, channels } = backend().stores();
      await mirror.storeUsers([user('u-1'), user('u-2'), user('u-3', {}, { removed: 'deleted' })], page());
      await mirror.storeGroups(
        [
          {
            id: 'g',
            membersAdded: [
              { id: 'u-1', type: 'user' },
              { id: 'u-2', type: 'user' },
            ],
            membersRemoved: [],
          },
        ],
        page(),
      );
      const round = await channels.cursors(INBOUND_CHANNEL_ID).startFullRound();
      await mirror.storeUsers([user('u-1')], page(undefined, round));
      await mirror.storeGroups(
        [{ id: 'g', membersAdded: [{ id: 'u-1', type: 'user' }], membersRemoved: [] }],
        page(undefined, round),
      );

      let seq = await currentSeq(backend());
      await mirror.finishFullRound('users', round);
      expect(await changedSince(backend(), seq)).toEqual(['u-2', 'u-3']);
      expect((await mirrored(backend())).map((u) => u.removed)).toEqual([null, 'missing', 'missing']);
      seq = await currentSeq(backend());
      await mirror.finishFullRound('users', round);
      expect(await changedSince(backend(), seq)).toEqual([]);

      await mirror.finishFullRound('groups', round);
      expect(await changedSince(backend(), seq)).toEqual(['u-2']);
      expect((await mirrored(backend(), [{ root: 'g', group: 'g' }])).map((u) => u.groups)).toEqual([['g'], [], []]);
    });

    it('pages by id after the last one, and limits a range to some users or to the changes up to a number', async () => {
      const { mirror, hr } = backend().stores();
      await mirror.storeUsers(
        ['u-1', 'u-2', 'u-3', 'u-4', 'u-5'].map((id) => user(id)),
        page(),
      );
      const upto = await currentSeq(backend());
      await mirror.storeUsers([user('u-6')], page());
      const pageAfter = async (afterId: string) =>
        (await hr.changedUsers({ afterSeq: 0, uptoSeq: upto, all: false, afterId, limit: 2, closure: [] })).map(
          (u) => u.entraId,
        );
      expect([await pageAfter(''), await pageAfter('u-2'), await pageAfter('u-4'), await pageAfter('u-5')]).toEqual([
        ['u-1', 'u-2'],
        ['u-3', 'u-4'],
        ['u-5'],
        [],
      ]);
      const only = { afterSeq: 0, uptoSeq: 0, all: true, onlyIds: ['u-2', 'u-6', 'u-9'] };
      expect(await mirror.countUsers(only)).toBe(2);
      const users = await hr.changedUsers({ ...only, afterId: '', limit: 10, closure: [] });
      expect(users.map((u) => u.entraId)).toEqual(['u-2', 'u-6']);
      expect(await mirror.countUsers({ afterSeq: 0, uptoSeq: upto, all: false })).toBe(5);
    });
  });
}
