import { describe, expect, it } from '@jest/globals';
import { INTERRUPTED_BY_DEATH } from '../../../src/gateways/db/sync-run.repository.js';
import type { PagePlan, UserOutcome } from '../../../src/sync/inbound/apply.ports.js';
import { INITIAL_PROGRESS } from '../../../src/sync/inbound/sync-run.ports.js';
import { useBackend } from './contract-support.js';
import type { BackendFactory } from './inbound-backend.js';

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const outcome = (kind: UserOutcome['outcome'], email: string, reason: string | null = null): UserOutcome => ({
  hrUserId: null,
  entraId: null,
  email,
  outcome: kind,
  changes: [],
  reason,
});
export const emptyPlan = (more: Partial<PagePlan> = {}): PagePlan => ({
  creates: [],
  updates: [],
  roleGrants: [],
  roleRevokes: [],
  deactivations: [],
  outcomes: [],
  ...more,
});

/** Sync runs (SyncRunStore): lifecycle, progress, counts and held deactivations. */
export function syncRunContract(make: BackendFactory): void {
  describe('sync runs', () => {
    const backend = useBackend(make);

    it('starts a run at once, recorded running with empty counts', async () => {
      const { runs } = backend().stores();
      const id = await runs.start('preview', 'full', null, 'instance-a');
      const run = await runs.get(id);
      expect(run).toEqual({
        id,
        trigger: 'preview',
        mode: 'full',
        status: 'running',
        startedAt: expect.stringMatching(ISO_MS),
        finishedAt: null,
        counts: { created: 0, updated: 0, deactivated: 0, reactivated: 0, skipped: 0, failed: 0 },
        progress: { ...INITIAL_PROGRESS, stage: 'starting' },
        error: null,
        requestedBy: null,
        cancelledBy: null,
        throttleWaitMs: 0,
      });
    });

    it('claims a queued run in its mode, once; a run still marked running is failed: its process died', async () => {
      const { runs } = backend().stores();
      const queued = await backend().seed.queuedRun('schedule', 'full');
      expect(await runs.get(queued)).toMatchObject({ status: 'queued', progress: INITIAL_PROGRESS });
      const dead = await runs.start('user', 'incremental', null, 'gone');
      expect(await runs.claim(queued, 'instance-a')).toEqual({ mode: 'full', requestedBy: null });
      expect(await runs.get(queued)).toMatchObject({ status: 'running', progress: { stage: 'starting' } });
      expect(await runs.get(dead)).toMatchObject({
        status: 'failed',
        error: INTERRUPTED_BY_DEATH,
        finishedAt: expect.stringMatching(ISO_MS),
      });
      expect(await runs.claim(queued, 'instance-b')).toBeNull();
      // Starting another run fails the claimed one too: only the lock holder starts runs.
      await runs.start('preview', 'incremental', null, 'instance-a');
      expect(await runs.get(queued)).toMatchObject({ status: 'failed' });
    });

    it('records progress and answers whether an admin asked the run to stop', async () => {
      const { runs } = backend().stores();
      const queued = await backend().seed.queuedRun('manual', 'incremental');
      await runs.claim(queued, 'instance-a');
      const progress = { stage: 'apply', pages: 3, processed: 10, total: 20, unchanged: 4, notInScope: 1 };
      expect(await runs.progress(queued, progress, 1234.6)).toEqual({ cancelRequested: false });
      expect(await runs.get(queued)).toMatchObject({ progress, throttleWaitMs: 1235 });
      expect(await runs.cancelRequested(queued)).toBe(false);
      await backend().seed.requestCancel(queued);
      expect(await runs.cancelRequested(queued)).toBe(true);
      expect(await runs.progress(queued, progress, 0)).toEqual({ cancelRequested: true });
    });

    it('finishes a run with counts from its outcomes; lists its failures in the order they came', async () => {
      const { runs, hr } = backend().stores();
      const id = await runs.start('manual', 'incremental', null, 'instance-a');
      const outcomes = [
        outcome('failed', 'a@x.test', 'first'),
        outcome('created', 'b@x.test'),
        outcome('failed', 'c@x.test', 'second'),
        outcome('skipped', 'd@x.test'),
        outcome('failed', 'e@x.test', 'third'),
      ];
      await hr.writePlan(emptyPlan({ outcomes }), id, false);
      expect(await runs.failures(id, 2)).toEqual([
        { email: 'a@x.test', reason: 'first' },
        { email: 'c@x.test', reason: 'second' },
      ]);
      expect(await runs.outcomeCount(id, 'failed')).toBe(3);
      const run = await runs.finish(id, 'completed-with-failures', 'some failed');
      expect(run).toMatchObject({
        status: 'completed-with-failures',
        error: 'some failed',
        finishedAt: expect.stringMatching(ISO_MS),
        counts: { created: 1, updated: 0, deactivated: 0, reactivated: 0, skipped: 1, failed: 3 },
      });
      expect(await runs.get(id)).toEqual(run);
    });

    it('counts the users a run could deactivate, and applies its pending deactivations to those still active', async () => {
      const { runs, hr } = backend().stores();
      const { seed } = backend();
      const ada = await seed.hrUser({ email: 'ada@x.test', entraId: 'e-ada' });
      // Bob is no longer active by the time the deactivations are applied.
      const bob = await seed.hrUser({ email: 'bob@x.test', entraId: 'e-bob', active: false });
      await seed.hrUser({ email: 'cy@x.test' });
      await seed.hrUser({ email: 'dee@x.test', entraId: 'e-dee' });
      expect([await runs.activeSyncedUsers(false, false), await runs.activeSyncedUsers(true, false)]).toEqual([2, 3]);

      const id = await runs.start('manual', 'incremental', null, 'instance-a');
      const leave = (hrUserId: string, email: string) => ({
        hrUserId,
        entraId: null,
        email,
        reason: 'left-synced-groups',
      });
      await hr.writePlan(emptyPlan({ deactivations: [leave(ada, 'ada@x.test'), leave(bob, 'bob@x.test')] }), id, true);
      // The same user twice is one pending deactivation.
      await hr.writePlan(emptyPlan({ deactivations: [leave(ada, 'ada@x.test')] }), id, true);
      expect(await runs.pendingCount(id)).toBe(2);

      expect(await runs.applyPendingDeactivations(id)).toBe(1);
      expect(await runs.pendingCount(id)).toBe(0);
      expect(await backend().hrUser(ada)).toMatchObject({
        active: false,
        deactivatedReason: 'left-synced-groups',
        lastChangeOrigin: 'entra',
      });
      expect(await runs.outcomeCount(id, 'deactivated')).toBe(1);
      expect((await runs.finish(id, 'succeeded')).counts.deactivated).toBe(1);
    });

    it('drops the pending deactivations of a run that died', async () => {
      const { runs, hr } = backend().stores();
      const ada = await backend().seed.hrUser({ email: 'ada@x.test', entraId: 'e-ada' });
      const dead = await runs.start('manual', 'incremental', null, 'gone');
      const deactivation = { hrUserId: ada, entraId: 'e-ada', email: 'ada@x.test', reason: 'deleted-in-entra' };
      await hr.writePlan(emptyPlan({ deactivations: [deactivation] }), dead, true);
      await runs.start('manual', 'incremental', null, 'instance-a');
      expect(await runs.pendingCount(dead)).toBe(0);
      expect(await backend().hrUser(ada)).toMatchObject({ active: true });
    });
  });
}
