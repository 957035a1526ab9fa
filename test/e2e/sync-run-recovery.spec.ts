import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { waitForRun } from '../support/entra.js';
import { startTestService, type TestService } from '../support/service.js';
import { InboundWorld, spawnService, ZERO, type RunRecordView, type ServiceProcess } from './inbound-support.js';

/** Every delta request (users and groups) hangs: the Graph call of a run that never answers. */
const HANG = [{ pathRegex: 'delta', ms: 120_000 }];

type StatusView = {
  running: number;
  queued: number;
  activeRun: { id: string; status: string } | null;
  lastRun: RunRecordView | null;
};

/**
 * Runs whose process stops under them: SIGTERM with a run stuck on Graph, kill -9, and a second
 * live instance that must never be mistaken for a dead one. The service runs as a process of its
 * own, on the test's database, so that it can be signalled and killed.
 */
describe('sync runs when the process running them stops', () => {
  jest.setTimeout(120_000);
  let w: InboundWorld;
  let child: ServiceProcess | null = null;
  let group: string;
  const people: Array<{ id: string; mail: string }> = [];

  beforeAll(async () => {
    w = await InboundWorld.start();
    for (const name of ['Ann', 'Ben', 'Cid']) people.push(await w.person(name, 'Stopped'));
    group = await w.group(
      'Stopped runs',
      people.map((p) => p.id),
    );
    await w.addSyncedGroup(group);
    expect((await w.sync()).counts).toEqual({ ...ZERO, created: 3 });
    await w.h.stopService();
  });
  afterAll(async () => {
    await child?.kill();
    await w.control.setLatency(0);
    await w.close();
  });

  /** Starts a run in the child process that hangs on its first Graph call; answers its id once it runs. */
  async function stuckRun(service: ServiceProcess): Promise<string> {
    await w.control.setLatency(HANG);
    const res = await service.api('/api/admin/sync/run', { method: 'POST', json: {} });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const run = (await (await service.api(`/api/admin/sync/runs/${runId}`)).json()) as RunRecordView;
      if (run.status === 'running' && run.progress.stage === 'fetch') return runId;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the run never started');
  }

  it('SIGTERM stops the service within SHUTDOWN_TIMEOUT_MS although a Graph call never answers, and the run is marked interrupted', async () => {
    const dan = await w.person('Dan', 'Stopped');
    await w.control.addMember(group, dan.id);
    child = await spawnService(w.h, { SHUTDOWN_TIMEOUT_MS: '4000' });
    const runId = await stuckRun(child);
    const stopped = await child.terminate();
    child = null;
    // eslint-disable-next-line no-console
    console.info(
      `SIGTERM with a run stuck on Graph: the process exited after ${stopped.ms} ms (SHUTDOWN_TIMEOUT_MS=4000)`,
    );
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(4000);

    await w.control.setLatency(0);
    await w.h.restart();
    expect(await w.run(runId)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^interrupted: the service was shut down/),
    });
    // The next run resumes from the stored cursor: Dan arrives, nobody twice.
    const next = await w.sync();
    expect(next.counts).toEqual({ ...ZERO, created: 1 });
    expect(await w.hrUser(dan.mail)).toMatchObject({ active: true, entraId: dan.id });
    await w.h.stopService();
  });

  it('a run left running by a killed process is failed when a service starts, its job lock released, and the next run resumes', async () => {
    const eve = await w.person('Eve', 'Stopped');
    await w.control.addMember(group, eve.id);
    child = await spawnService(w.h);
    const runId = await stuckRun(child);
    await child.kill();
    child = null;
    await w.control.setLatency(0);

    await w.h.restart();
    // At once, before any new run: the dead run is failed with the reason, and nothing reports it running.
    expect(await w.run(runId)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/interrupted: the service process running it stopped/),
    });
    const status = await w.ok<StatusView>('/api/admin/sync/status');
    expect(status).toMatchObject({ running: 0, activeRun: null, lastRun: { id: runId, status: 'failed' } });

    const next = await w.sync();
    expect(next.counts).toEqual({ ...ZERO, created: 1 });
    expect(await w.hrUser(eve.mail)).toMatchObject({ active: true, entraId: eve.id });
    await w.h.stopService();
  });

  it('a second live instance never fails the run another live instance is running: it joins it, and fails it only once that process is dead', async () => {
    const fay = await w.person('Fay', 'Stopped');
    await w.control.addMember(group, fay.id);
    child = await spawnService(w.h);
    const runId = await stuckRun(child);

    // Another instance starts on the same database while the child's run is stuck on Graph.
    const other: TestService = await startTestService({ env: w.h.entraEnv, db: w.h.db });
    try {
      const view = async () => (await (await other.api(`/api/admin/sync/runs/${runId}`)).json()) as RunRecordView;
      expect(await view()).toMatchObject({ status: 'running', error: null });
      // "Sync now" there joins the running run rather than failing it or starting a second one.
      const joined = await other.api('/api/admin/sync/run', { method: 'POST', json: {} });
      expect(await joined.json()).toMatchObject({ runId, joined: true });
      expect(await view()).toMatchObject({ status: 'running' });

      await child.kill();
      child = null;
      await w.control.setLatency(0);
      // Now its process is gone: the next "sync now" fails it and starts a run of its own.
      const res = await other.api('/api/admin/sync/run', { method: 'POST', json: {} });
      const fresh = (await res.json()) as { runId: string; joined: boolean };
      expect(fresh).toMatchObject({ joined: false });
      expect(fresh.runId).not.toBe(runId);
      expect(await view()).toMatchObject({ status: 'failed', error: expect.stringMatching(/interrupted/) });
      const done = await waitForRun(other, fresh.runId);
      expect(done).toMatchObject({ status: 'succeeded', counts: { ...ZERO, created: 1 } });
    } finally {
      await other.close();
    }
  });
});
