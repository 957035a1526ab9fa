import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { pino } from 'pino';
import { AdvisoryChannelLocks } from '../../../src/gateways/db/channel-locks.js';
import { WriteBackWakeups } from '../../../src/gateways/db/write-back-wakeups.js';
import { openOrm, type Orm } from '../../../src/gateways/db/orm.js';
import { repositoriesFor } from '../../../src/gateways/db/repositories.js';
import { PgWriteBackStore } from '../../../src/gateways/db/write-back.repository.js';
import { writeBackDrainJob } from '../../../src/jobs/write-back-drain.job.js';
import { channelLock } from '../../../src/jobs/sync-lock.js';
import { WRITE_BACK_CHANNEL_ID } from '../../../src/sync/kernel/channel-id.js';
import { FailurePolicy } from '../../../src/sync/kernel/error-policy.js';
import type { DirectoryWrite, UserWriter } from '../../../src/sync/write-back/write-back.ports.js';
import { WriteBackService } from '../../../src/sync/write-back/write-back.service.js';
import { createTestDatabase, endPool, type TestDatabase } from '../../support/database.js';

/** A directory that records every write it is sent, after `delayMs`; `crash` makes the next call throw. */
class RecordingWriter {
  readonly sent: DirectoryWrite[] = [];
  crash = false;
  constructor(private readonly delayMs = 0) {}
  async write(writes: readonly DirectoryWrite[]) {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.crash) {
      this.crash = false;
      throw new Error('the process died during the call');
    }
    this.sent.push(...writes);
    return writes.map((write) => ({ key: write.key, ok: true }));
  }
}

/**
 * Write-back's outbox on the real PostgreSQL (docs/rules.md §4): recorded in the transaction of the
 * HR change, only for HR's own changes while update is on; drained once even by two instances; a
 * crash in the middle leaves the change to be sent by the next drain.
 */
describe("write-back's outbox", () => {
  let db: TestDatabase;
  let orm: Orm;
  const repos = () => repositoriesFor(orm.em.fork());
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    orm.em.fork().execute<T[]>(text, params);
  const pending = () =>
    sql<{ id: string; fields: string[]; status: string; attempts: number }>(
      `select id::text, fields, status, attempts from write_back_change order by id`,
    );
  let profileId: string;
  let hrUserId: string;

  const service = (writer: RecordingWriter) =>
    new WriteBackService({
      store: () => new PgWriteBackStore(orm.em.fork()),
      writer: () => writer as unknown as UserWriter,
      failures: new FailurePolicy(() => null),
      logger: pino({ level: 'silent' }),
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openOrm({ clientUrl: db.url, poolSize: 4 });
    hrUserId = (await repos().hrUsers.create(
      { email: 'ada@contoso.com', firstName: 'Ada', lastName: 'Lovelace', displayName: 'Ada Lovelace' },
      'hr',
    ))!;
    await sql(`update hr_user set entra_id = 'entra-ada' where id = ?`, [hrUserId]);
    const created = await repos().employeeProfiles.create({
      email: 'ada.p@contoso.com',
      firstName: 'Ada',
      lastName: 'L',
    });
    profileId = (created as { id: string }).id;
    await repos().employeeProfiles.connect(profileId, hrUserId);
    await repos().settings.write({ writeBackUpdate: true, writeBackFields: ['jobTitle', 'department'] });
  });
  beforeEach(async () => {
    await sql('delete from write_back_change');
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  it('is written in the transaction of the profile change: rolled back together, committed together', async () => {
    await expect(
      repos().transaction(async (tx) => {
        await tx.employeeProfiles.update(profileId, { jobTitle: 'Buyer' }, 'hr');
        throw new Error('the request failed after the change');
      }),
    ).rejects.toThrow('the request failed');
    expect(await pending()).toEqual([]);
    await repos().transaction((tx) => tx.employeeProfiles.update(profileId, { jobTitle: 'Buyer', city: 'Oslo' }, 'hr'));
    // Only the permitted field is recorded; a value sent unchanged is no change.
    expect(await pending()).toEqual([{ id: expect.any(String), fields: ['jobTitle'], status: 'pending', attempts: 0 }]);
    await repos().employeeProfiles.update(profileId, { jobTitle: 'Buyer' }, 'hr');
    expect(await pending()).toHaveLength(1);
  });

  it('wakes a drain once the change commits, within a second, not at the next sweep', async () => {
    const woken: number[] = [];
    const wakeups = await WriteBackWakeups.open(
      db.url,
      async () => void woken.push(Date.now()),
      pino({ level: 'silent' }),
    );
    try {
      let committedAt = 0;
      await repos().transaction(async (tx) => {
        await tx.employeeProfiles.update(profileId, { jobTitle: 'Woken' }, 'hr');
        await new Promise((resolve) => setTimeout(resolve, 300));
        // Not before the commit: a drain woken now would not see the change.
        expect(woken).toEqual([]);
        committedAt = Date.now();
      });
      for (let i = 0; i < 50 && woken.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(woken).toHaveLength(1);
      expect(woken[0]! - committedAt).toBeLessThan(1000);
    } finally {
      await wakeups.close();
    }
  });

  it('records nothing for a change that came from Entra, nor while update is off', async () => {
    await repos().employeeProfiles.update(profileId, { department: 'Sales' }, 'entra');
    await repos().settings.write({ writeBackUpdate: false });
    await repos().employeeProfiles.update(profileId, { department: 'Finance' }, 'hr');
    await repos().settings.write({ writeBackUpdate: true });
    expect(await pending()).toEqual([]);
  });

  it('is drained once by two instances draining at the same time, each with its own lock connection', async () => {
    for (const title of ['A', 'B', 'C']) await repos().employeeProfiles.update(profileId, { jobTitle: title }, 'hr');
    const pools = [
      new pg.Pool({ connectionString: db.url, max: 2 }),
      new pg.Pool({ connectionString: db.url, max: 2 }),
    ];
    const writers = [new RecordingWriter(300), new RecordingWriter(300)];
    try {
      const jobs = pools.map((pool, i) =>
        writeBackDrainJob({
          lock: channelLock(new AdvisoryChannelLocks(pool), WRITE_BACK_CHANNEL_ID),
          drain: (signal) => service(writers[i]!).drain(signal),
          queue: { pending: async () => 2 },
        }),
      );
      const signal = new AbortController().signal;
      const results = await Promise.all(jobs.map((job) => job({}, { jobId: 'j', signal })));
      expect(results.map((r) => r.status).sort()).toEqual(['done', 'skipped']);
    } finally {
      await Promise.all(pools.map(endPool));
    }
    // Three changes of one user: one PATCH, with the value HR holds now.
    const sent = [...writers[0]!.sent, ...writers[1]!.sent];
    expect(sent).toEqual([
      expect.objectContaining({ kind: 'update', userId: 'entra-ada', properties: { jobTitle: 'C' } }),
    ]);
    expect((await pending()).map((row) => row.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('a crash during the call leaves the change pending, and the next drain sends it once', async () => {
    await repos().employeeProfiles.update(profileId, { jobTitle: 'Crash test' }, 'hr');
    const writer = new RecordingWriter();
    writer.crash = true;
    await expect(service(writer).drain()).rejects.toThrow('the process died');
    expect(await pending()).toEqual([expect.objectContaining({ status: 'pending', attempts: 1 })]);
    const summary = await service(writer).drain();
    expect(summary).toMatchObject({ sent: 1, failed: 0, nextDueAt: null });
    expect(writer.sent).toHaveLength(1);
    expect(await pending()).toEqual([expect.objectContaining({ status: 'sent', attempts: 2 })]);
  });
});
