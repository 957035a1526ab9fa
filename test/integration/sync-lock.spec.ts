import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntraSyncRunner } from '../../src/jobs/entra-sync.job.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestService, type TestService } from '../support/service.js';

/** Records every run of every instance, so overlaps can be measured. A fake of the engine port. */
class RecordingRunner implements EntraSyncRunner {
  constructor(private readonly instance: string, private readonly log: Array<{ instance: string; start: number; end: number }>) {}
  async run(): Promise<{ runId: string; status: string }> {
    const start = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    this.log.push({ instance: this.instance, start, end: Date.now() });
    return { runId: `${this.instance}-${start}`, status: 'succeeded' };
  }
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('two service instances on one job store', () => {
  let db: TestDatabase;
  const services: TestService[] = [];
  const runs: Array<{ instance: string; start: number; end: number }> = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    for (const name of ['a', 'b']) {
      services.push(await startTestService({ db, overrides: { instanceName: name, syncRunner: new RecordingRunner(name, runs) } }));
    }
  });
  afterAll(async () => {
    for (const service of services) await service.close();
    await db.drop();
  });

  it('never run a sync twice at the same time', async () => {
    // Rounds of two simultaneous "sync now" requests, one through each instance's API: separate
    // Agenda jobs that both workers pick up, so without the lock two syncs would overlap.
    for (let round = 0; round < 3; round += 1) {
      for (const service of services) {
        expect((await service.api('/api/admin/sync/run', { method: 'POST', json: {} })).status).toBe(202);
      }
      await waitFor(() => runs.length > round, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 2500));
    }
    const sorted = [...runs].sort((x, y) => x.start - y.start);
    expect(sorted.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < sorted.length; i += 1) {
      expect(sorted[i]!.start).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
    }
    const metrics = await (await services[0]!.api('/metrics', { token: null })).text()
      + await (await services[1]!.api('/metrics', { token: null })).text();
    // Both workers took jobs: at least one was skipped because the other instance held the lock.
    expect(metrics).toMatch(/job_runs_total\{job="entra-sync",outcome="skipped"\} [1-9]/);
  });
});
