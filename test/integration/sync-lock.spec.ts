import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { EntraSyncRunner } from '../../src/jobs/entra-sync.job.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestService, type TestService } from '../support/service.js';

/**
 * Records every run of every instance, so overlaps can be measured. A fake of the engine port: it
 * starts and ends the queued run it is given, as the engine does, and in between only waits.
 */
class RecordingRunner implements EntraSyncRunner {
  constructor(
    private readonly instance: string,
    private readonly log: Array<{ instance: string; runId: string; start: number; end: number }>,
    private readonly url: () => string,
  ) {}
  async run(request: { runId?: string }): Promise<{ runId: string; status: string }> {
    const start = Date.now();
    await this.sql(`update sync_run set status = 'running' where id = $1 and status = 'queued'`, request.runId!);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await this.sql(`update sync_run set status = 'succeeded', finished_at = now() where id = $1`, request.runId!);
    this.log.push({ instance: this.instance, runId: request.runId!, start, end: Date.now() });
    return { runId: request.runId!, status: 'succeeded' };
  }
  private async sql(text: string, id: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.url() });
    await client.connect();
    try {
      await client.query(text, [id]);
    } finally {
      await client.end();
    }
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
  const runs: Array<{ instance: string; runId: string; start: number; end: number }> = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    for (const name of ['a', 'b']) {
      services.push(
        await startTestService({
          db,
          overrides: { instanceName: name, syncRunner: new RecordingRunner(name, runs, () => db.url) },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const service of services) await service.close();
    await db.drop();
  });

  it('never run a sync twice at the same time: simultaneous requests on both instances join one run', async () => {
    // Rounds of two simultaneous "sync now" requests, one through each instance's API: without the
    // joining, both workers would pick up a job each, and without the lock two syncs would overlap.
    for (let round = 0; round < 3; round += 1) {
      const answers = await Promise.all(
        services.map(async (service) => {
          const res = await service.api('/api/admin/sync/run', { method: 'POST', json: {} });
          expect(res.status).toBe(202);
          return (await res.json()) as { runId: string; joined: boolean };
        }),
      );
      expect(answers[0]!.runId).toBe(answers[1]!.runId);
      expect(answers.filter((a) => a.joined)).toHaveLength(1);
      await waitFor(() => runs.length > round, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const sorted = [...runs].sort((x, y) => x.start - y.start);
    // One run per round, none dropped, none twice.
    expect(sorted).toHaveLength(3);
    expect(new Set(sorted.map((r) => r.runId)).size).toBe(3);
    for (let i = 1; i < sorted.length; i += 1) {
      expect(sorted[i]!.start).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
    }
  });
});
