import { describe, expect, it } from '@jest/globals';
import { decideFailure, type UpstreamFailureKind } from '../../../src/sync/kernel/error-policy.js';
import { MAX_ATTEMPTS, planRound, settleRound } from '../../../src/sync/write-back/write-back.round.js';
import type { DirectoryWriteResult, PendingUser } from '../../../src/sync/write-back/write-back.ports.js';

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
): DirectoryWriteResult => ({
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
});
