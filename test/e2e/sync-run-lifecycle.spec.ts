import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { waitForRun } from '../support/entra.js';
import { startTestService } from '../support/service.js';
import { InboundWorld, ZERO, type RunRecordView } from './inbound-support.js';

/** Every delta request (users and groups) hangs: a Graph call that never answers. */
const HANG = [{ pathRegex: 'delta', ms: 120_000 }];

interface SyncNowAnswer {
  runId: string;
  joined: boolean;
  run: RunRecordView;
}
interface AuditItem {
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  target: string | null;
  newValue: { mode: string; joined: boolean };
}

/** Section 1 and 8: runs are asked for, joined, cancelled, bounded in time and in throttling. */
describe('sync run lifecycle through the admin API', () => {
  jest.setTimeout(120_000);
  let w: InboundWorld;
  let group: string;
  let adminId: string;

  beforeAll(async () => {
    w = await InboundWorld.start();
    const people = [];
    for (const name of ['Ann', 'Ben', 'Cid', 'Dot']) people.push(await w.person(name, 'Lifecycle'));
    group = await w.group(
      'Lifecycle',
      people.map((p) => p.id),
    );
    await w.addSyncedGroup(group);
    // Someone outside the synced groups, for the run's accounting.
    await w.person('Out', 'Side');
    expect((await w.sync('succeeded', 'full')).counts).toEqual({ ...ZERO, created: 4 });
    adminId = (await w.ok<{ userId: string }>('/api/me')).userId;
  });
  afterAll(async () => {
    await w.control.setLatency(0);
    await w.control.clearFaults();
    await w.close();
  });

  const syncNow = async (service = w.h.service, json: unknown = {}) => {
    const res = await service.api('/api/admin/sync/run', { method: 'POST', json });
    expect(res.status).toBe(202);
    return (await res.json()) as SyncNowAnswer;
  };
  const cancel = (id: string) =>
    w.api<{ status: string; code?: string; detail?: string; cancelledBy?: string }>(
      `/api/admin/sync/runs/${id}/cancel`,
      'POST',
    );
  const history = async (query = '') => (await w.ok<{ items: RunRecordView[] }>(`/api/admin/sync/runs${query}`)).items;
  const waitUntil = async (runId: string, check: (run: RunRecordView) => boolean) => {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const run = await w.run(runId);
      if (check(run)) return run;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`run ${runId} never got there`);
  };

  it('"sync now" answers with its run id, the run can be read at once, and 20 requests on two instances join one run', async () => {
    const eli = await w.person('Eli', 'Lifecycle');
    await w.control.addMember(group, eli.id);
    // Graph answers slowly, so the run is still going while the requests arrive.
    await w.control.setLatency([{ pathRegex: 'delta', ms: 400 }]);
    const other = await startTestService({ env: w.h.entraEnv, db: w.h.db });
    try {
      const before = (await history()).length;
      const first = await syncNow();
      // Readable at once by its id: queued, or already running.
      expect(['queued', 'running']).toContain((await w.run(first.runId)).status);
      expect(first).toMatchObject({ joined: false, run: { id: first.runId, trigger: 'manual', requestedBy: adminId } });
      const answers = await Promise.all(Array.from({ length: 19 }, (_, i) => syncNow(i % 2 ? w.h.service : other)));
      expect(answers.map((a) => a.runId)).toEqual(Array(19).fill(first.runId));
      expect(answers.every((a) => a.joined)).toBe(true);

      const run = await waitForRun(w.h.service, first.runId);
      expect(run).toMatchObject({ status: 'succeeded', counts: { ...ZERO, created: 1 } });
      expect(await history()).toHaveLength(before + 1);
      // Who asked, each time, in the audit log.
      const audit = (
        await w.ok<{ items: AuditItem[] }>('/api/admin/audit-log?action=sync-run.request&limit=50')
      ).items.filter((a) => a.target === first.runId);
      expect(audit).toHaveLength(20);
      expect(audit.every((a) => a.actorId === adminId && a.actorEmail === 'admin@localhost')).toBe(true);
      expect(audit.filter((a) => !a.newValue.joined)).toHaveLength(1);

      // Once it has ended, the next request makes a new run.
      const next = await syncNow(other);
      expect(next).toMatchObject({ joined: false });
      expect(next.runId).not.toBe(first.runId);
      expect(await waitForRun(other, next.runId)).toMatchObject({ status: 'succeeded', counts: ZERO });
    } finally {
      await w.control.setLatency(0);
      await other.close();
    }
  });

  it('an admin cancels a running run: it stops within a moment, says who cancelled it, and the next run resumes with nothing lost', async () => {
    const fay = await w.person('Fay', 'Lifecycle');
    await w.control.addMember(group, fay.id);
    await w.control.setLatency(HANG);
    const { runId } = await syncNow();
    await waitUntil(runId, (r) => r.status === 'running' && r.progress.stage === 'fetch');
    // Until the fetch stage has ended, nobody knows how many users the run will process.
    expect((await w.run(runId)).progress.total).toBeNull();

    const asked = Date.now();
    const answer = await cancel(runId);
    expect(answer.status).toBe(200);
    const run = await waitUntil(runId, (r) => r.status !== 'running');
    const ms = Date.now() - asked;
    // eslint-disable-next-line no-console
    console.info(`cancel of a run stuck on Graph: recorded as cancelled after ${ms} ms`);
    expect(ms).toBeLessThan(5000);
    expect(run).toMatchObject({
      status: 'cancelled',
      cancelledBy: adminId,
      error: expect.stringMatching(/^cancelled by an administrator/),
    });
    const audit = (await w.ok<{ items: AuditItem[] }>('/api/admin/audit-log?action=sync-run.cancel')).items;
    expect(audit[0]).toMatchObject({ actorId: adminId, target: runId });

    // A finished run cannot be cancelled; an unknown one does not exist.
    expect(await cancel(runId)).toMatchObject({
      status: 409,
      body: { code: 'conflict', detail: expect.stringMatching(/cancelled: only a queued or running run/) },
    });
    expect((await cancel(randomUUID())).status).toBe(404);

    await w.control.setLatency(0);
    expect((await w.sync()).counts).toEqual({ ...ZERO, created: 1 });
    expect(await w.hrUsersWith(fay.mail)).toHaveLength(1);
  });

  it('a queued run that waits for the sync lock is cancelled before it starts, and never runs', async () => {
    await w.control.setLatency(HANG);
    // A preview holds the sync lock while it hangs on Graph, so "sync now" stays queued behind it.
    const preview = w.api('/api/admin/sync/preview', 'POST', {});
    let previewId: string | undefined;
    const deadline = Date.now() + 10_000;
    while (!previewId && Date.now() < deadline) {
      previewId = (await history('?includePreviews=true&status=running'))[0]?.id;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(previewId).toBeDefined();
    const { runId } = await syncNow();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await w.run(runId)).status).toBe('queued');
    expect((await cancel(runId)).body).toMatchObject({
      status: 'cancelled',
      cancelledBy: adminId,
      startedAt: expect.any(String),
    });

    // The preview is a run too: cancelled, its request answers at once.
    expect((await cancel(previewId!)).status).toBe(200);
    expect((await preview).status).toBe(200);
    expect(await w.run(previewId!)).toMatchObject({ status: 'cancelled' });
    await w.control.setLatency(0);
    // Its job comes back for it and finds it cancelled: it never ran.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(await w.run(runId)).toMatchObject({ status: 'cancelled', progress: { stage: 'queued', pages: 0 } });
  });

  it('a run stops at its time limit (SYNC_RUN_TIME_LIMIT) with the reason, and the next run resumes', async () => {
    await w.h.restart({ SYNC_RUN_TIME_LIMIT: '2 seconds' });
    try {
      const gus = await w.person('Gus', 'Lifecycle');
      await w.control.addMember(group, gus.id);
      await w.control.setLatency(HANG);
      const started = Date.now();
      const { runId } = await syncNow();
      const run = await waitForRun(w.h.service, runId, 15_000);
      expect(run).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/^stopped: the run reached its time limit of 2 s/),
      });
      expect(Date.now() - started).toBeLessThan(6000);
      await w.control.setLatency(0);
      expect((await w.sync()).counts).toEqual({ ...ZERO, created: 1 });
      expect(await w.hrUsersWith(gus.mail)).toHaveLength(1);
    } finally {
      await w.control.setLatency(0);
      await w.h.restart();
    }
  });

  it('the total wait for throttling is bounded per run (SYNC_RUN_THROTTLE_WAIT_LIMIT) and shown by the run', async () => {
    await w.h.restart({ SYNC_RUN_THROTTLE_WAIT_LIMIT: '2 seconds' });
    try {
      const hal = await w.person('Hal', 'Lifecycle');
      await w.control.addMember(group, hal.id);
      // Within the budget: one 429 with Retry-After 0.5 s, waited and recorded.
      await w.control.addFault({ kind: 'throttle', path: '/users/delta', count: 1, retryAfterSeconds: 0.5 });
      const patient = await w.run((await w.sync()).id);
      expect(patient).toMatchObject({ status: 'succeeded', throttleWaitMs: 500, counts: { ...ZERO, created: 1 } });

      // Beyond it: each wait alone is short, together they would pass 2 s, so the run stops.
      await w.control.updateUser(hal.id, { jobTitle: 'Throttled' });
      await w.control.addFault({ kind: 'throttle', path: '/users/delta', count: 5, retryAfterSeconds: 0.8 });
      const stopped = await w.run((await w.h.syncNow()).id);
      expect(stopped).toMatchObject({
        status: 'failed',
        throttleWaitMs: 1600,
        error: expect.stringMatching(/^throttled: Microsoft Graph asked the run to wait longer than its budget of 2 s/),
      });
      await w.control.clearFaults();
      const next = await w.run((await w.sync()).id);
      expect(next).toMatchObject({ throttleWaitMs: 0, counts: { ...ZERO, updated: 1 } });
      expect(await w.hrUser(hal.mail)).toMatchObject({ jobTitle: 'Throttled' });
    } finally {
      await w.control.clearFaults();
      await w.h.restart();
    }
  });

  it('a run counts every user it processed: its counts, unchanged and not in scope add up to the total', async () => {
    const ivy = await w.person('Ivy', 'Lifecycle');
    await w.control.addMember(group, ivy.id);
    const full = await w.run((await w.sync('succeeded', 'full')).id);
    const { total, processed, unchanged, notInScope } = full.progress;
    const counted = Object.values(full.counts).reduce((a, b) => a + b, 0);
    expect(full.counts).toEqual({ ...ZERO, created: 1 });
    expect(total).toBe(processed);
    expect(processed).toBe(counted + unchanged + notInScope);
    // The group's members already synced are unchanged; the outsider is not in scope.
    expect(unchanged).toBe((await w.hrUsers()).filter((u) => u.origin === 'entra').length - 1);
    expect(notInScope).toBeGreaterThanOrEqual(1);
    expect(full.progress.stage).toBe('done');
  });

  it('previews stay out of the run history unless asked for', async () => {
    const preview = await w.ok<{ run: { id: string } }>('/api/admin/sync/preview', 'POST', {});
    expect((await history()).map((r) => r.id)).not.toContain(preview.run.id);
    expect((await history('?includePreviews=true')).map((r) => r.id)).toContain(preview.run.id);
    expect((await history('?status=preview')).map((r) => r.id)).toEqual(expect.arrayContaining([preview.run.id]));
    expect((await w.ok<{ lastRun: { trigger: string } }>('/api/admin/sync/status')).lastRun.trigger).not.toBe(
      'preview',
    );
    expect((await w.api('/api/admin/sync/runs?includePreviews=maybe')).status).toBe(400);
  });
});

describe('one-user sync and Graph failures in admin calls', () => {
  jest.setTimeout(60_000);
  let w: InboundWorld;
  beforeAll(async () => {
    w = await InboundWorld.start();
  });
  afterAll(async () => {
    await w.control.clearFaults();
    await w.close();
  });

  const mirrored = async (id: string) =>
    (await w.sql<{ n: string }>('select count(*) as n from entra_user where entra_id = ?', [id]))[0]!.n;

  it('POST /sync/users/{id} refuses what is not a GUID, answers 404 for a user Entra does not have, and stores nothing', async () => {
    const runsBefore = (await w.ok<{ items: unknown[] }>('/api/admin/sync/runs')).items.length;
    // 36 characters, but not a GUID.
    for (const bad of [
      '------------------------------------',
      'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
      '1234567890123456789012345678901234-5',
    ]) {
      const res = await w.api<{ code: string; errors: Array<{ path: string }> }>(
        `/api/admin/sync/users/${bad}`,
        'POST',
      );
      expect(res.status).toBe(400);
      expect(res.body.errors[0]!.path).toBe('params.entraId');
      expect(await mirrored(bad)).toBe('0');
    }
    const unknown = randomUUID();
    const res = await w.api<{ code: string; detail: string }>(`/api/admin/sync/users/${unknown}`, 'POST');
    expect(res).toMatchObject({ status: 404, body: { code: 'not_found', detail: expect.stringContaining(unknown) } });
    expect(await mirrored(unknown)).toBe('0');
    expect((await w.ok<{ items: unknown[] }>('/api/admin/sync/runs')).items).toHaveLength(runsBefore);

    // A real member syncs; once deleted in Entra, syncing it again records the deletion (not a 404).
    const kim = await w.person('Kim', 'One');
    await w.addSyncedGroup(await w.group('One user', [kim.id]));
    const one = await w.ok<{ run: { status: string; counts: Record<string, number> } }>(
      `/api/admin/sync/users/${kim.id.toUpperCase()}`,
      'POST',
    );
    expect(one.run).toMatchObject({ status: 'succeeded', counts: { ...ZERO, created: 1 } });
    await w.control.deleteUser(kim.id);
    const gone = await w.ok<{ run: { counts: Record<string, number> } }>(`/api/admin/sync/users/${kim.id}`, 'POST');
    expect(gone.run.counts).toEqual({ ...ZERO, deactivated: 1 });
    expect(await w.hrUser(kim.mail)).toMatchObject({ active: false, deactivatedReason: 'deleted-in-entra' });
  });

  it("Graph failing inside admin calls answers 502 upstream_failed with Graph's code and what to do, then works again", async () => {
    const lee = await w.person('Lee', 'Upstream');
    const groupId = await w.group('Upstream', [lee.id]);
    const role = await w.ok<{ id: string }>('/api/admin/roles', 'POST', { name: 'Upstream role' });
    // Graph answers 503 to everything, more often than a request retries.
    await w.control.addFault({ kind: 'unavailable', count: 100, retryAfterSeconds: 0 });
    const calls = [
      () => w.api('/api/admin/groups?search=Upstream'),
      () => w.api('/api/admin/role-mappings', 'POST', { groupId, roleId: role.id }),
      () => w.api(`/api/admin/sync/users/${lee.id}`, 'POST'),
    ];
    for (const call of calls) {
      const res = await call();
      expect(res).toMatchObject({
        status: 502,
        body: {
          code: 'upstream_failed',
          detail: expect.stringMatching(
            /^Microsoft Graph is busy or unreachable; try again.*\(Microsoft Graph: serviceNotAvailable\)$/,
          ),
          upstream: { kind: 'retryable', code: 'serviceNotAvailable', status: 503 },
        },
      });
    }
    await w.control.clearFaults();
    expect((await w.api('/api/admin/groups?search=Upstream')).status).toBe(200);
    expect((await w.api('/api/admin/role-mappings', 'POST', { groupId, roleId: role.id })).status).toBe(201);

    // A wrong client secret: Entra refuses the token; the admin is told to enter the current secret.
    await w.h.restart({ ENTRA_CLIENT_SECRET: 'not-the-secret' });
    const refused = await w.api<{ code: string; detail: string; upstream: { authFailure: string } }>(
      '/api/admin/groups?search=Upstream',
    );
    expect(refused).toMatchObject({
      status: 502,
      body: { code: 'upstream_failed', upstream: { kind: 'auth-failed', authFailure: 'secret-invalid' } },
    });
    expect(refused.body.detail).toMatch(/enter the current secret/);
    expect(JSON.stringify(refused.body)).not.toContain('not-the-secret');
  });
});
