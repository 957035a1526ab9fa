import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { pino } from 'pino';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import type { JobOutcome } from '../../src/jobs/job-registry.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { waitForRun } from '../support/entra.js';
import { createTestDatabase, endPool, type TestDatabase } from '../support/database.js';
import { startTestService, type TestService } from '../support/service.js';

const PHOTO = Buffer.from('ffd8ffe000104a464946000101' + '07'.repeat(32) + 'ffd9', 'hex');
const USERS = 24;
const BATCH = 3;

async function until<T>(probe: () => Promise<T | null>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('two service instances on one database share the jobs a fan-out queues', () => {
  let emulator: RunningEmulator;
  let db: TestDatabase;
  const services: TestService[] = [];
  beforeAll(async () => {
    emulator = await startEmulator({ quota: false });
    const caFile = join(tmpdir(), `ehc-shared-jobs-ca-${process.pid}.pem`);
    writeFileSync(caFile, emulator.caCertPem);
    const env = {
      ENTRA_TENANT_ID: emulator.tenantId,
      ENTRA_CLIENT_ID: 'demo-client-id',
      ENTRA_CLIENT_SECRET: 'demo-client-secret',
      GRAPH_AUTHORITY_HOST: emulator.url,
      GRAPH_BASE_URL: emulator.url,
      GRAPH_CA_CERT_FILE: caFile,
    };
    db = await createTestDatabase();
    for (const instanceName of ['instance-a', 'instance-b'])
      services.push(await startTestService({ env, db, overrides: { instanceName, pictureBatchSize: BATCH } }));
  });
  afterAll(async () => {
    for (const service of services) await service.close();
    await db.drop();
    await emulator.close();
  });

  it('spreads the picture batches of one fan-out over both instances, each batch done once', async () => {
    const c = emulator.control;
    const ids: string[] = [];
    for (let i = 0; i < USERS; i += 1) {
      const mail = `pic.${i}@contoso.com`;
      const user = await c.createUser({
        displayName: `Pic ${i}`,
        givenName: 'Pic',
        surname: `Number${i}`,
        mail,
        userPrincipalName: mail,
        accountEnabled: true,
      });
      await c.setPhoto(user.id, { base64: PHOTO.toString('base64'), contentType: 'image/jpeg' });
      ids.push(user.id);
    }
    const group = await c.createGroup({ displayName: 'Pictured', members: ids });
    const [a] = services;
    expect((await a!.api('/api/admin/synced-groups', { method: 'PUT', json: { groupIds: [group.id] } })).status).toBe(
      200,
    );
    // Each photo read takes a while, so a batch is still running when the next ones are queued.
    await c.setLatency([{ ms: 150, pathRegex: 'photo' }]);
    const res = await a!.api('/api/admin/sync/run', { method: 'POST', json: {} });
    const { runId } = (await res.json()) as { runId: string };
    expect((await waitForRun(a!, runId)).status).toBe('succeeded');

    // The run created the users, so a picture-sync job fanned their pictures out in batches of ids.
    await until(async () => {
      const [row] = await query<{ n: string }>(
        db.url,
        'select count(*) as n from hr_user_picture where bytes is not null',
      );
      return Number(row!.n) === USERS ? true : null;
    });
    const batches = await until(async () => {
      const rows = await query<{ ids: string[]; by: string; finished: boolean }>(
        db.url,
        `select data->'hrUserIds' as ids, last_modified_by as by, last_finished_at is not null as finished
           from agenda_jobs where name = 'picture-batch'`,
      );
      return rows.length === USERS / BATCH && rows.every((r) => r.finished) ? rows : null;
    });
    // Every HR user in exactly one batch, every batch of at most BATCH ids.
    const batched = batches.flatMap((b) => b.ids);
    expect(new Set(batched).size).toBe(USERS);
    expect(batched).toHaveLength(USERS);
    expect(Math.max(...batches.map((b) => b.ids.length))).toBeLessThanOrEqual(BATCH);
    // Both instances took batches from the shared store.
    expect(new Set(batches.map((b) => b.by))).toEqual(new Set(['instance-a', 'instance-b']));
  });
});

describe('retry-later', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let scheduler: Scheduler;
  const outcomes: JobOutcome[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 3 });
    scheduler = await Scheduler.create({
      pool,
      processEvery: '1 second',
      notifications: true,
      instanceName: 'retry-test',
      logger: pino({ level: 'silent' }),
      onJobFinished: (name, outcome) => {
        if (name === 'picture-batch') outcomes.push(outcome);
      },
    });
  });
  afterAll(async () => {
    await scheduler.shutdown(1000, 500);
    await endPool(pool);
    await db.drop();
  });

  it('queues the job again after its delay with the payload the handler gave, and is no failure', async () => {
    const runs: Array<{ at: number; payload: { hrUserIds: string[]; attempt?: number } }> = [];
    scheduler.define('picture-batch', async (payload) => {
      runs.push({ at: Date.now(), payload });
      if (runs.length === 1) return { status: 'retry-later', delayMs: 1500, payload: { hrUserIds: ['b'], attempt: 2 } };
      return { status: 'done' };
    });
    await scheduler.start();
    await scheduler.now('picture-batch', { hrUserIds: ['a', 'b'] });
    await until(async () => (runs.length >= 2 ? true : null), 20_000);
    expect(runs.map((r) => r.payload)).toEqual([{ hrUserIds: ['a', 'b'] }, { hrUserIds: ['b'], attempt: 2 }]);
    expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(1400);
    await until(async () => (outcomes.length >= 2 ? true : null), 5_000);
    expect(outcomes).toEqual(['retry-later', 'done']);
    // Agenda recorded no failure: neither job has a fail reason.
    const failed = await query<{ n: string }>(
      db.url,
      `select count(*) as n from agenda_jobs where name = 'picture-batch' and fail_reason is not null`,
    );
    expect(Number(failed[0]!.n)).toBe(0);
  });
});
