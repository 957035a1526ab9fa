import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { pino } from 'pino';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { createTestDatabase, endPool, type TestDatabase } from '../support/database.js';

// Runs only where a MongoDB is reachable (production's job store); global-setup says once when skipped.
const mongoUrl = process.env.MONGODB_URL;
const describeMongo = mongoUrl ? describe : describe.skip;

describeMongo('the job store on MongoDB', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let scheduler: Scheduler;
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    scheduler = await Scheduler.create({
      pool,
      mongoUrl,
      processEvery: '1 second',
      notifications: false,
      instanceName: 'mongo-test',
      logger: pino({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await scheduler.shutdown(1000, 500);
    await endPool(pool);
    await db.drop();
  });

  it('schedules the recurring sync and runs a queued job', async () => {
    const ran: string[] = [];
    scheduler.define('entra-sync', async (payload) => {
      ran.push(payload.trigger);
      return { status: 'done' };
    });
    await scheduler.start();
    await scheduler.every('30 minutes', 'entra-sync', { trigger: 'schedule' });
    await scheduler.now('entra-sync', { trigger: 'manual' });
    const deadline = Date.now() + 10_000;
    while (!ran.includes('manual') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ran).toContain('manual');
    expect((await scheduler.status('entra-sync')).nextRunAt).not.toBeNull();
  });
});
