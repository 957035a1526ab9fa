import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { generateTenant, VERIFIED_DOMAINS } from '../../src/emulator/index.js';
import { USER_SLICES } from '../../src/gateways/graph/graph-full-round.reader.js';
import { waitForRun } from '../support/entra.js';
import { InboundWorld, spawnService, ZERO, type HrUserRow, type ServiceProcess } from './inbound-support.js';

interface RunProgress {
  id: string;
  status: string;
  error: string | null;
  progress: { stage: string; processed: number; pages: number };
}

/** Graph refuses old cursors (docs/graph.md §5.4); the run starts a full round and loses nothing. */
describe('inbound sync: an expired delta cursor', () => {
  let w: InboundWorld;
  beforeAll(async () => {
    w = await InboundWorld.start();
  });
  afterAll(async () => w.close());

  it('an expired delta cursor leads to a full resync with nothing lost and nothing changed twice', async () => {
    const people = [];
    for (const name of ['Ann', 'Ben', 'Cid', 'Dot', 'Eli']) people.push(await w.person(name, 'Cursor'));
    const [ann, ben, cid, dot, eli] = people as [
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
    ];
    const group = await w.group(
      'Cursor group',
      people.map((p) => p.id),
    );
    await w.addSyncedGroup(group);
    await w.sync();
    const before = await w.hrUsers();

    // Changes made while the connector's cursor goes stale.
    const newcomer = await w.person('Neo', 'Cursor');
    await w.control.addMember(group, newcomer.id);
    await w.control.updateUser(ann.id, { jobTitle: 'Renamed while stale' });
    await w.control.removeMember(group, ben.id);
    await w.control.deleteUser(cid.id);
    await w.control.disableUser(dot.id);
    await w.control.expireDeltaTokens();

    await w.control.resetStats();
    const run = await w.sync();
    // Graph did refuse the stored cursors (docs/graph.md §5.4), so this was a full round.
    const refused = Object.entries((await w.control.stats()).byStatus).filter(
      ([status]) => status === '400' || status === '410',
    );
    expect(refused.reduce((n, [, count]) => n + count, 0)).toBeGreaterThanOrEqual(1);
    expect(run.counts).toEqual({ ...ZERO, created: 1, updated: 1, deactivated: 3 });
    expect(await w.hrUser(newcomer.mail)).toMatchObject({ active: true, entraId: newcomer.id });
    expect(await w.hrUser(ann.mail)).toMatchObject({ active: true, jobTitle: 'Renamed while stale' });
    expect(await w.hrUser(ben.mail)).toMatchObject({ active: false, deactivatedReason: 'left-synced-groups' });
    expect(await w.hrUser(cid.mail)).toMatchObject({ active: false, deactivatedReason: 'deleted-in-entra' });
    expect(await w.hrUser(dot.mail)).toMatchObject({ active: false, deactivatedReason: 'disabled-in-entra' });
    // The user nothing happened to is untouched.
    const unchanged = before.find((u) => u.entraId === eli.id);
    expect(await w.hrUser(eli.mail)).toEqual(unchanged);

    // The full round listed the users and took its cursors with $deltatoken=latest (docs/graph.md §5.1).
    expect((await w.control.stats()).byRoute['GET /users']).toBeGreaterThan(0);
    // Its end state is the one a full round asked for reaches: a full run finds nothing to change.
    const afterResync = await w.hrUsers();
    expect((await w.sync('succeeded', 'full')).counts).toEqual(ZERO);
    expect(await w.hrUsers()).toEqual(afterResync);

    // The new cursor works: the next change arrives incrementally.
    await w.control.updateUser(eli.id, { department: 'After resync' });
    await w.control.resetStats();
    const next = await w.sync();
    expect(next.counts).toEqual({ ...ZERO, updated: 1 });
    // An incremental run reads delta pages only.
    expect(Object.keys((await w.control.stats()).byRoute).sort()).toEqual(['GET /groups/delta', 'GET /users/delta']);
  });
});

/**
 * A full round lists the directory after taking its delta cursors ($deltatoken=latest), so a change
 * made while it lists comes in the next run (docs/graph.md §5.1).
 */
describe('inbound sync: a user changed while the first round reads', () => {
  let w: InboundWorld;
  beforeAll(async () => {
    w = await InboundWorld.start();
  });
  afterAll(async () => w.close());

  it('is in HR after the next run', async () => {
    const ann = await w.person('Ann', 'Reading', { jobTitle: 'Before' });
    const ben = await w.person('Ben', 'Reading');
    await w.addSyncedGroup(await w.group('Reading group', [ann.id, ben.id]));
    // Groups answer slowly, so the round is still reading when the users have all been listed.
    await w.control.setLatency([{ pathRegex: '^/groups', ms: 1500 }]);
    await w.control.resetStats();
    const started = await w.h.service.api('/api/admin/sync/run', { method: 'POST', json: {} });
    const { runId } = (await started.json()) as { runId: string };
    // Every slice of the users and the id listing answered (one page each in this small tenant).
    const deadline = Date.now() + 30_000;
    while (((await w.control.stats()).byRoute['GET /users'] ?? 0) < USER_SLICES + 1) {
      if (Date.now() > deadline) throw new Error('the round did not list the users within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await w.control.updateUser(ann.id, { jobTitle: 'Changed while reading' });
    expect((await w.run(runId)).status).toBe('running');
    await w.control.setLatency(0);
    const first = await waitForRun(w.h.service, runId);
    expect(first.status).toBe('succeeded');
    // The round had read Ann before the change.
    expect(await w.hrUser(ann.mail)).toMatchObject({ jobTitle: 'Before' });

    const next = await w.sync();
    expect(next.counts).toEqual({ ...ZERO, updated: 1 });
    expect(await w.hrUser(ann.mail)).toMatchObject({ jobTitle: 'Changed while reading' });
  });
});

/**
 * A run whose process dies (SIGKILL, as an OOM kill or a crash) is finished by the next run: the
 * service runs as a process of its own on the test's database, is killed mid-run, and the
 * in-process service takes over the same database.
 */
describe('inbound sync: a run whose process is killed midway', () => {
  const USERS = 3000;
  // Two service processes start and are killed here: a safety net for a loaded machine, not a speed bar.
  jest.setTimeout(180_000);
  let w: InboundWorld;
  let child: ServiceProcess | null = null;
  beforeAll(async () => {
    w = await InboundWorld.start({ emulator: { seed: { users: USERS } } });
  });
  afterAll(async () => {
    await child?.kill();
    await w.close();
  });

  it('a run killed midway is completed by the next run with no duplicates and nothing lost, and is marked interrupted', async () => {
    const allStaff = (await w.control.findGroup('All Staff'))!;
    await w.setSyncedGroups([allStaff.id]);
    await w.h.stopService();

    const interrupted: string[] = [];
    const createdBeforeKill: number[] = [];
    // Killed once while reading Graph (slowed down, so the kill lands mid-round), once while writing HR
    // users (which starts while Graph is still being read: src/sync/inbound/read-while-applying.ts).
    const kills = [
      { latencyMs: 40, when: (p: RunProgress) => p.progress.stage === 'fetch' && p.progress.pages >= 20 },
      { latencyMs: 0, when: (p: RunProgress) => p.progress.processed >= 1000 },
    ];
    for (const { latencyMs, when: killWhen } of kills) {
      await w.control.setLatency(latencyMs);
      child = await spawnService(w.h);
      expect((await child.api('/api/admin/sync/run', { method: 'POST', json: {} })).status).toBe(202);
      const run = await waitFor(child, killWhen, interrupted);
      await child.kill();
      child = null;
      interrupted.push(run.id);
      createdBeforeKill.push(await countSyncedUsers(w.h.db.url));
    }
    // The kills really came mid-run: some but not all created after the first page of writes.
    expect(createdBeforeKill[1]).toBeGreaterThan(0);
    expect(createdBeforeKill[1]).toBeLessThan(eligibleMembers(USERS, w.h.emulator.tenantId).emails.size);

    // The run killed while writing HR users left the inbound channel mid-run (reading, or applying).
    expect(await channelState(w.h.db.url)).toMatchObject({
      stage: expect.stringMatching(/^(fetching|applying)$/),
      failures_in_row: 0,
    });

    await w.h.restart();
    const final = await w.sync();
    // The next run started the channel over and ended it well.
    expect(await channelState(w.h.db.url)).toMatchObject({ stage: 'idle', failures_in_row: 0 });
    expect((await channelState(w.h.db.url)).last_success_at).not.toBeNull();
    for (const id of interrupted) {
      expect(await w.run(id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/interrupted/) });
    }

    const expected = eligibleMembers(USERS, w.h.emulator.tenantId);
    const synced = (await w.hrUsers()).filter((u) => u.origin === 'entra');
    const emails = synced.map((u) => u.email.toLowerCase());
    expect(new Set(emails).size).toBe(emails.length);
    expect(new Set(synced.map((u) => u.entraId)).size).toBe(synced.length);
    expect(emails.sort()).toEqual([...expected.emails].sort());
    for (const user of synced) expect(expected.ids.has(user.entraId!)).toBe(true);
    expect(synced.every((u: HrUserRow) => u.active)).toBe(true);
    // Every user was created by one run or another, never twice.
    const created = new Map<string, number>();
    for (const runId of [...interrupted, final.id]) {
      for (const o of await w.outcomes(runId))
        if (o.outcome === 'created') created.set(o.entraId!, (created.get(o.entraId!) ?? 0) + 1);
    }
    expect([...created.values()].every((n) => n === 1)).toBe(true);

    // Nothing left for a full reconciliation to do.
    const full = await w.sync('succeeded', 'full');
    expect(full.counts).toMatchObject({ created: 0, updated: 0, deactivated: 0, reactivated: 0, failed: 0 });
  });
});

/** Polls the process's newest run (not one of `earlier`) until `when` holds; fails if the run ends first. */
async function waitFor(
  service: ServiceProcess,
  when: (run: RunProgress) => boolean,
  earlier: string[],
): Promise<RunProgress> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const res = await service.api('/api/admin/sync/runs?limit=1');
    const [run] = ((await res.json()) as { items: RunProgress[] }).items;
    if (run && !earlier.includes(run.id) && run.status !== 'queued') {
      if (run.status !== 'running')
        throw new Error(`the run ended (${run.status}: ${run.error}) before it could be killed`);
      if (when(run)) return run;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the run never reached the point to kill it');
}

/** The inbound channel's state, read straight from its table (the API does not show it). */
async function channelState(
  databaseUrl: string,
): Promise<{ stage: string; failures_in_row: number; last_success_at: Date | null }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select stage, failures_in_row, last_success_at from sync_channel where id = 'entra-inbound'`,
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

/** Read straight from the table while no service runs: the API is down between the kill and the restart. */
async function countSyncedUsers(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`select count(*) as n from hr_user where origin = 'entra'`);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

/**
 * The users the generated tenant's 'All Staff' group (department groups, nested) should bring in,
 * from the generator itself (the emulator's tenant is generated with the same seed): every user
 * with a given name, a surname and an enabled account; two mails that differ only in case are one
 * HR user.
 */
function eligibleMembers(users: number, tenantId: string): { ids: Set<string>; emails: Set<string> } {
  const tenant = generateTenant({
    users,
    seed: 42,
    domains: [...VERIFIED_DOMAINS, `${tenantId.slice(0, 8)}.onmicrosoft.com`],
  });
  const eligible = tenant.users.filter((u) => u.p['givenName'] && u.p['surname'] && u.p['accountEnabled'] === true);
  return {
    ids: new Set(eligible.map((u) => u.id)),
    emails: new Set(eligible.map((u) => String(u.p['mail']).toLowerCase())),
  };
}
