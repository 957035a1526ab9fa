import { describe, expect, it } from '@jest/globals';
import { decideFailure, type UpstreamFailureKind } from '../../../src/sync/kernel/error-policy.js';
import { MAX_ATTEMPTS, planRound, settleFailure, settleRound } from '../../../src/sync/write-back/write-back.round.js';
import type {
  DirectoryWriteFailure,
  DirectoryWriteResult,
  PendingUser,
} from '../../../src/sync/write-back/write-back.ports.js';

const settings = {
  update: true,
  create: false,
  delete: false,
  permittedFields: ['jobTitle', 'managerEntraId'],
  createDomain: null,
  createGroupId: null,
};
const user = (id: string, over: Partial<PendingUser> = {}): PendingUser => ({
  hrUserId: `hr-${id}`,
  entraId: `entra-${id}`,
  email: `${id}@contoso.com`,
  changes: [{ id, action: 'update', fields: ['jobTitle'] }],
  attempts: 0,
  values: { jobTitle: `Title ${id}`, managerEntraId: 'boss' },
  onPremisesSyncEnabled: null,
  managerUnlinked: false,
  person: null,
  creating: null,
  ...over,
});
/** The error policy over a fake classifier: the "error" is the kind itself. */
const decide = (error: unknown) => ({
  kind: error as UpstreamFailureKind,
  ...decideFailure(error as UpstreamFailureKind, 'item'),
});
const refused = (
  key: string,
  kind: UpstreamFailureKind,
  status: number,
  retryAfterMs?: number,
): DirectoryWriteFailure => ({
  key,
  ok: false,
  error: kind,
  failure: {
    status,
    code: kind === 'retryable' ? 'TooManyRequests' : 'Request_BadRequest',
    message: 'no',
    ...(retryAfterMs ? { retryAfterMs } : {}),
  },
});

describe('a write-back round', () => {
  it('plans one PATCH per user and a manager reference where the manager changed', () => {
    const round = planRound(
      [user('1'), user('2', { changes: [{ id: '2', action: 'update', fields: ['jobTitle', 'managerEntraId'] }] })],
      settings,
    );
    expect(round.writes).toEqual([
      {
        key: '0:patch',
        kind: 'update',
        userId: 'entra-1',
        properties: { jobTitle: 'Title 1' },
        onPremisesSynced: false,
      },
      {
        key: '1:patch',
        kind: 'update',
        userId: 'entra-2',
        properties: { jobTitle: 'Title 2' },
        onPremisesSynced: false,
      },
      { key: '1:manager', kind: 'manager', userId: 'entra-2', managerId: 'boss', onPremisesSynced: false },
    ]);
  });

  it('settles a hybrid user without a call, skipped with the reason', () => {
    const round = planRound([user('1', { onPremisesSyncEnabled: true })], settings);
    expect(round.writes).toEqual([]);
    expect(round.settledNow).toEqual([{ id: '1', status: 'skipped', reason: expect.stringContaining('rule 4.4') }]);
  });

  it('sent, throttled, gone, refused and unauthorised each end as the error policy says', () => {
    const users = ['1', '2', '3', '4', '5'].map((id) => user(id));
    const round = planRound(users, settings);
    const results: DirectoryWriteResult[] = [
      { key: '0:patch', ok: true },
      refused('1:patch', 'retryable', 429, 7000),
      refused('2:patch', 'not-found', 404),
      refused('3:patch', 'bad-request', 400),
      refused('4:patch', 'permission-missing', 403),
    ];
    const { settled, stop } = settleRound(round, results, decide);
    expect(settled.map((s) => [s.id, s.status])).toEqual([
      ['1', 'sent'],
      ['2', 'retry'],
      ['3', 'skipped'],
      ['4', 'failed'],
      ['5', 'failed'],
    ]);
    expect(settled[1]).toMatchObject({ retryAfterMs: 7000, errorCode: 'TooManyRequests', errorStatus: 429 });
    expect(settled[2]!.reason).toMatch(/^The Entra user no longer exists/);
    expect(settled[3]).toMatchObject({
      errorCode: 'Request_BadRequest',
      reason: expect.stringContaining('Graph answered 400'),
    });
    expect(stop).toBe(true);
  });

  it('the worst of a user’s two writes decides, and a change busy too often fails rather than wait forever', () => {
    const round = planRound(
      [
        user('1', {
          attempts: MAX_ATTEMPTS - 1,
          changes: [{ id: '1', action: 'update', fields: ['jobTitle', 'managerEntraId'] }],
        }),
      ],
      settings,
    );
    const { settled } = settleRound(
      round,
      [{ key: '0:patch', ok: true }, refused('0:manager', 'retryable', 503)],
      decide,
    );
    expect(settled).toEqual([
      expect.objectContaining({
        id: '1',
        status: 'failed',
        reason: expect.stringMatching(/^Gave up after 12 attempts/),
      }),
    ]);
  });

  it('tells the directory which users are synced from on-premises, so it can name a refusal for what it is', () => {
    const leave = { permittedFields: ['leaveDate'] };
    const round = planRound(
      [true, false, null].map((onPremisesSyncEnabled, index) =>
        user(String(index), {
          onPremisesSyncEnabled,
          changes: [{ id: String(index), action: 'update', fields: ['leaveDate'] }],
          values: { leaveDate: '2026-06-30' },
        }),
      ),
      { ...settings, ...leave },
    );
    // The leave date is a cloud attribute, written for a synced user too (rule 4.4).
    expect(round.writes.map((write) => [write.userId, write.onPremisesSynced])).toEqual([
      ['entra-0', true],
      ['entra-1', false],
      ['entra-2', false],
    ]);
  });

  it('creates an Entra user for an HR user not linked, once a domain is chosen and while the HR user exists', () => {
    const ann = { email: 'ann@hr.example', firstName: 'Ann', lastName: 'Lee', displayName: null };
    const creating = (id: string, person: PendingUser['person']) =>
      user(id, { entraId: null, person, attempts: 2, changes: [{ id, action: 'create', fields: [] }] });
    const withDomain = { ...settings, create: true, createDomain: 'contoso.com' };
    const ready = creating('1', ann);
    expect(planRound([ready], withDomain)).toEqual({
      writes: [],
      work: [],
      creates: [{ ids: ['1'], user: ready, attempts: 2 }],
      settledNow: [],
    });
    expect(planRound([creating('2', null)], withDomain).settledNow).toEqual([
      { id: '2', status: 'skipped', reason: expect.stringMatching(/no longer exists/) },
    ]);
    const noDomain = planRound([creating('3', ann)], { ...withDomain, createDomain: null });
    expect(noDomain.creates).toEqual([]);
    expect(noDomain.settledNow).toEqual([
      { id: '3', status: 'skipped', reason: expect.stringMatching(/^No verified domain is chosen/) },
    ]);
  });

  it('settles without any call a user whose changes leave nothing to do', () => {
    const round = planRound([user('1', { changes: [{ id: '1', action: 'create', fields: [] }] })], settings);
    expect(round).toEqual({
      writes: [],
      work: [],
      creates: [],
      settledNow: [{ id: '1', status: 'skipped', reason: expect.stringMatching(/already linked/) }],
    });
  });

  it('deletes a cloud user with one call, and leaves a user synced from on-premises to Active Directory', () => {
    const deleting = (id: string, onPremisesSyncEnabled: boolean | null) =>
      user(id, { onPremisesSyncEnabled, attempts: 1, changes: [{ id, action: 'delete', fields: [] }] });
    const round = planRound([deleting('1', null), deleting('2', true)], { ...settings, delete: true });
    expect(round.writes).toEqual([{ key: '0:delete', kind: 'delete', userId: 'entra-1', onPremisesSynced: false }]);
    expect(round.work).toEqual([
      { ids: ['1'], plan: { patch: {}, sent: [], skipped: [] }, attempts: 1, keys: ['0:delete'] },
    ]);
    expect(round.settledNow).toEqual([
      { id: '2', status: 'skipped', reason: expect.stringMatching(/synced from on-premises Active Directory/) },
    ]);
  });

  it('ends a round with the changes settled without a call first, and goes on when every write is sent', () => {
    const round = planRound(
      [
        user('1'),
        user('2', { onPremisesSyncEnabled: true }),
        user('3', { changes: [{ id: '3', action: 'update', fields: [] }] }),
        user('4', { changes: [{ id: '4', action: 'update', fields: ['jobTitle', 'city'] }] }),
      ],
      settings,
    );
    const sent: DirectoryWriteResult[] = [
      { key: '0:patch', ok: true },
      { key: '3:patch', ok: true },
    ];
    const { settled, stop } = settleRound(round, sent, decide);
    expect(settled).toEqual([
      { id: '2', status: 'skipped', reason: expect.stringContaining('rule 4.4') },
      { id: '3', status: 'skipped', reason: 'Nothing to write.' },
      { id: '1', status: 'sent', reason: null },
      { id: '4', status: 'sent', reason: expect.stringMatching(/^Written: jobTitle\. city left out: /) },
    ]);
    expect(stop).toBe(false);
  });

  describe("a user's two writes (its PATCH and its manager)", () => {
    const both = () =>
      planRound(
        [user('1', { changes: [{ id: '1', action: 'update', fields: ['jobTitle', 'managerEntraId'] }] })],
        settings,
      );

    it('end as the worse failure says, with the answer of that failure, whichever write it was', () => {
      for (const [patch, manager] of [
        [refused('0:patch', 'not-found', 404), refused('0:manager', 'bad-request', 400)],
        [refused('0:patch', 'bad-request', 400), refused('0:manager', 'not-found', 404)],
      ]) {
        const { settled, stop } = settleRound(both(), [patch!, manager!], decide);
        expect(settled).toEqual([expect.objectContaining({ id: '1', status: 'failed', errorStatus: 400 })]);
        expect(stop).toBe(false);
      }
    });

    it('stop the round when either failure says nothing more can succeed now', () => {
      const results = [refused('0:patch', 'bad-request', 400), refused('0:manager', 'permission-missing', 403)];
      expect(settleRound(both(), results, decide).stop).toBe(true);
    });
  });

  it('waits longer after each busy answer Graph gives without a Retry-After, at most 5 minutes', () => {
    const waits = [0, 3, 10].map((attempts) => {
      const round = planRound([user('1', { attempts })], settings);
      const { settled, stop } = settleRound(round, [refused('0:patch', 'retryable', 503)], decide);
      expect(stop).toBe(false);
      return settled[0]!.retryAfterMs;
    });
    expect(waits).toEqual([1000, 8000, 300_000]);
  });

  it('gives up only on busy answers: a skipped change at its last attempt is skipped', () => {
    const round = planRound([user('1', { attempts: MAX_ATTEMPTS - 1 })], settings);
    const { settled } = settleRound(round, [refused('0:patch', 'not-found', 404)], decide);
    expect(settled).toEqual([expect.objectContaining({ status: 'skipped' })]);
  });

  it('says Graph answered nothing when the write got no answer', () => {
    const round = planRound([user('1')], settings);
    const noAnswer: DirectoryWriteResult = {
      key: '0:patch',
      ok: false,
      error: 'fatal',
      failure: { status: null, code: 'ECONNRESET', message: 'socket hang up' },
    };
    expect(settleRound(round, [noAnswer], decide).settled[0]).toMatchObject({
      status: 'failed',
      reason: 'Graph answered nothing ECONNRESET: socket hang up',
      errorStatus: null,
    });
  });

  it('settles a refused creation as any other change', () => {
    expect(settleFailure(3, refused('c', 'retryable', 429), decide)).toEqual({
      change: {
        status: 'retry',
        reason: 'Graph answered 429 TooManyRequests: no',
        retryAfterMs: 8000,
        errorCode: 'TooManyRequests',
        errorStatus: 429,
      },
      stop: false,
    });
    expect(settleFailure(MAX_ATTEMPTS - 1, refused('c', 'retryable', 429), decide).change.status).toBe('failed');
    expect(settleFailure(0, refused('c', 'permission-missing', 403), decide)).toMatchObject({
      change: { status: 'failed' },
      stop: true,
    });
  });
});
