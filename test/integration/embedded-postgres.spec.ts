import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { isAlive, processStartTime, StartupError } from '../../src/gateways/db/data-dir-lock.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/gateways/db/embedded-postgres.js';

const running: EmbeddedPostgres[] = [];
const dirs: string[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ehc-embedded-'));
  dirs.push(dir);
  return dir;
}

async function start(dir: string): Promise<EmbeddedPostgres> {
  const embedded = await startEmbeddedPostgres({ dataDir: dir });
  running.push(embedded);
  return embedded;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A process of its own holds the database; the returned pids let the test kill it as a crash would. */
async function holder(dir: string): Promise<{ pid: number; serverPid: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/embedded-holder.ts', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
  });
  return { pid: child.pid!, serverPid: (JSON.parse(line) as { serverPid: number }).serverPid };
}

afterEach(async () => {
  for (const embedded of running.splice(0)) await embedded.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the embedded database', () => {
  it('is a PostgreSQL server with many concurrent connections, advisory locks and LISTEN/NOTIFY', async () => {
    const embedded = await start(dataDir());
    const pool = new pg.Pool({ connectionString: embedded.url, max: 20 });
    // A connection still closing when afterEach stops the server hears "terminating connection": not this test's concern.
    pool.on('error', () => {});
    try {
      // Twenty connections, each running its own extended-protocol statements at once: every
      // answer is its own (PGlite's socket server mixed them up: see docs/embedded-database.md).
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) => pool.query<{ n: number }>('select $1::int as n, pg_sleep(0.001)', [i])),
      );
      expect(answers.map((a) => a.rows[0]!.n)).toEqual(Array.from({ length: 200 }, (_, i) => i));
      const a = await pool.connect();
      const b = await pool.connect();
      try {
        expect((await a.query('select pg_try_advisory_lock(42) as got')).rows[0].got).toBe(true);
        expect((await b.query('select pg_try_advisory_lock(42) as got')).rows[0].got).toBe(false);
        await b.query('listen ehc_test');
        const heard = new Promise<string>((resolve) => b.once('notification', (n) => resolve(n.payload!)));
        await a.query(`notify ehc_test, 'hello'`);
        expect(await heard).toBe('hello');
      } finally {
        a.release();
        b.release();
      }
    } finally {
      await pool.end();
    }
  });

  it('keeps its data across a restart, behind a password, in files only the service can read', async () => {
    const dir = dataDir();
    const first = await start(dir);
    await query(first.url, `create table kept (v text); insert into kept values ('still here')`);
    await first.close();
    running.splice(running.indexOf(first), 1);
    const second = await start(dir);
    expect(await query(second.url, 'select v from kept')).toEqual([{ v: 'still here' }]);
    const withoutPassword = new URL(second.url);
    withoutPassword.password = '';
    await expect(query(withoutPassword.toString(), 'select 1')).rejects.toThrow(/password/);
    // Nobody but the service (and, run as root, the server's own account passing through) may read it.
    expect(statSync(dir).mode & 0o077).toBe(process.getuid?.() === 0 ? 0o010 : 0);
    for (const file of readdirSync(dir))
      expect({ file, others: statSync(join(dir, file)).mode & 0o077 }).toEqual({ file, others: 0 });
  });

  it('refuses a second opening of the same data directory with one clear line', async () => {
    const dir = dataDir();
    await start(dir);
    const second = startEmbeddedPostgres({ dataDir: dir });
    await expect(second).rejects.toThrow(StartupError);
    await expect(second).rejects.toThrow(
      `The embedded database in ${dir} is in use by another process of this service (pid ${process.pid})`,
    );
  });

  it('starts after its previous process was killed with SIGKILL: the orphaned server is stopped and every committed row is there', async () => {
    const dir = dataDir();
    const killed = await holder(dir);
    process.kill(killed.pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(isAlive(killed.serverPid)).toBe(true); // the server outlives its parent

    const embedded = await start(dir);
    expect(isAlive(killed.serverPid)).toBe(false);
    expect(await query(embedded.url, 'select note from survivor')).toEqual([{ note: 'committed before the kill' }]);
  }, 60_000);

  it('takes over a lock file whose pid now belongs to another program', async () => {
    const dir = dataDir();
    // A live pid (Jest's parent process) with another start time: the owner died and its pid was reused.
    writeFileSync(join(dir, 'service.lock'), JSON.stringify({ pid: process.ppid, started: 'not-the-same-process' }));
    expect(processStartTime(process.ppid)).not.toBeNull();
    const embedded = await start(dir);
    expect(await query(embedded.url, 'select 1 as one')).toEqual([{ one: 1 }]);
  });
});
