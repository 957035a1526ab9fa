import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { createTestDatabase } from '../support/database.js';

/** The README's start command, as a new user runs it: `npm start` with nothing configured. */
function npmStart(env: Record<string, string>) {
  const child = spawn('npm', ['start', '--silent'], {
    detached: true,
    env: {
      ...process.env,
      DATABASE_URL: '',
      ENTRA_TENANT_ID: '',
      ENTRA_CLIENT_ID: '',
      ENTRA_CLIENT_SECRET: '',
      DEMO_EMULATOR_PORT: '0',
      ...env,
    },
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  createInterface({ input: child.stderr }).on('line', (line) => lines.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    stop: () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* gone */
      }
    },
  };
}

async function waitForLine(lines: string[], pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = lines.find((l) => pattern.test(l));
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no line matching ${pattern} in:\n${lines.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What in DATA_DIR its group or others may read, write or enter: "path mode" of each such entry below it. */
function openToOthers(dataDir: string): string[] {
  const open: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const bits = lstatSync(path).mode & 0o077;
      if (bits !== 0) open.push(`${relative(dataDir, path)} ${bits.toString(8)}`);
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(dataDir);
  return open;
}

const asRoot = process.getuid?.() === 0;

/** A process's state and parent from /proc/<pid>/stat (fields 3 and 4); null once it is gone. */
function stat(pid: number): { state: string; ppid: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return null;
  }
}

describe('the start command', () => {
  it('brings the service up on the embedded database with the demo tenant, and schedules the sync', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ehc-start-'));
    // A directory the user made as usual (0755), holding the lock of a dead service whose pid now
    // belongs to another live program (this test's process, started at another time).
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'service.lock'), JSON.stringify({ pid: process.pid, started: '1' }), { mode: 0o644 });
    const run = npmStart({ PORT: '0', DATA_DIR: dataDir, DEMO_USERS: '50', LOG_LEVEL: 'info' });
    try {
      const listening = await waitForLine(run.lines, /"msg":"service listening"/, 60_000);
      const url = (JSON.parse(listening) as { url: string }).url;
      expect(await waitForLine(run.lines, /using the embedded database/, 1)).toBeTruthy();
      expect(await waitForLine(run.lines, /demo mode: no Entra credentials configured/, 1)).toBeTruthy();
      expect(await waitForLine(run.lines, /"msg":"entra-sync scheduled"/, 1)).toMatch(/"interval":"30 minutes"/);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
      const status = (await (
        await fetch(`${url}/api/admin/sync/status`, { headers: { Authorization: `Bearer ${token}` } })
      ).json()) as { nextRunAt: string; connected: boolean };
      expect(status.connected).toBe(true);
      expect(Date.parse(status.nextRunAt)).toBeGreaterThan(Date.now());
      // The token itself is never logged; only the file that holds it is named.
      expect(run.lines.join('\n')).not.toContain(token);
      // DATA_DIR and everything in it (token, key, database, demo certificate, lock) are the service's user's
      // alone; run as root, the database server's account may pass through DATA_DIR to its own directory.
      expect(statSync(dataDir).mode & 0o077).toBe(asRoot ? 0o010 : 0);
      expect(openToOthers(dataDir)).toEqual([]);
      expect(JSON.parse(readFileSync(join(dataDir, 'service.lock'), 'utf8'))).toMatchObject({
        pid: (JSON.parse(listening) as { pid: number }).pid,
      });
      // SIGTERM to the service process itself (pino logs its pid): it drains and exits 0, and npm with it.
      process.kill((JSON.parse(listening) as { pid: number }).pid, 'SIGTERM');
      expect(await run.exited).toBe(0);
      expect(await waitForLine(run.lines, /stopping: no new work/, 1)).toBeTruthy();
    } finally {
      run.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it('refuses a second service on the same data directory with one line, and starts after a kill -9 without a manual step, even before the killed process is reaped', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ehc-start-'));
    const env = { PORT: '0', DATA_DIR: dataDir, DEMO_USERS: '20', LOG_LEVEL: 'info' };
    const first = npmStart(env);
    let again: ReturnType<typeof npmStart> | undefined;
    let parent: number | undefined;
    try {
      const listening = JSON.parse(await waitForLine(first.lines, /"msg":"service listening"/, 60_000)) as {
        url: string;
        pid: number;
      };

      const second = npmStart(env);
      expect(await second.exited).toBe(1);
      const said = second.lines.filter((l) => l.trim() !== '');
      expect(said).toHaveLength(1);
      expect(said[0]).toContain(
        `The embedded database in ${dataDir} is in use by another process of this service (pid ${listening.pid})`,
      );
      expect((await fetch(`${listening.url}/readyz`)).status).toBe(200);

      // A crash: the service dies at once, its database server is left behind. Its parent has not
      // reaped it yet (held still here), so it lingers as a zombie that signal 0 still reaches.
      parent = stat(listening.pid)!.ppid;
      process.kill(parent, 'SIGSTOP');
      process.kill(listening.pid, 'SIGKILL');
      while (stat(listening.pid)?.state !== 'Z') await new Promise((resolve) => setTimeout(resolve, 50));
      again = npmStart(env);
      const restarted = JSON.parse(await waitForLine(again.lines, /"msg":"service listening"/, 60_000)) as {
        url: string;
      };
      expect(
        await waitForLine(again.lines, /stopping the embedded database server left running by a previous process/, 1),
      ).toBeTruthy();
      expect((await fetch(`${restarted.url}/readyz`)).status).toBe(200);
      process.kill(parent, 'SIGCONT');
      parent = undefined;
      await first.exited;
    } finally {
      if (parent) process.kill(parent, 'SIGCONT');
      first.stop();
      again?.stop();
      if (again) await again.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 150_000);

  it("keeps DATA_DIR to the service's user also beside a DATABASE_URL, and stops cleanly on a SIGTERM as soon as it listens", async () => {
    const db = await createTestDatabase();
    const parent = mkdtempSync(join(tmpdir(), 'ehc-start-'));
    const dataDir = join(parent, 'data'); // made by the service, under the usual umask
    const run = npmStart({ PORT: '0', DATA_DIR: dataDir, DATABASE_URL: db.url, DEMO_MODE: 'off', LOG_LEVEL: 'info' });
    try {
      const listening = JSON.parse(await waitForLine(run.lines, /"msg":"service listening"/, 60_000)) as {
        pid: number;
      };
      expect(readdirSync(dataDir).sort()).toEqual(['admin-token', 'encryption.key']);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(openToOthers(dataDir)).toEqual([]);
      // At once, while the start still finishes its last steps: a clean stop, not a kill by the signal.
      process.kill(listening.pid, 'SIGTERM');
      expect(await run.exited).toBe(0);
      expect(await waitForLine(run.lines, /"msg":"stopped"/, 1)).toBeTruthy();
    } finally {
      run.stop();
      await run.exited;
      await db.drop();
      rmSync(parent, { recursive: true, force: true });
    }
  }, 90_000);

  it("says in one line that the demo emulator's port is taken, not that a pool was used after its end", async () => {
    const db = await createTestDatabase();
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'ehc-start-'));
    const run = npmStart({ PORT: '0', DATA_DIR: dataDir, DATABASE_URL: db.url, DEMO_EMULATOR_PORT: String(port) });
    try {
      expect(await run.exited).toBe(1);
      expect(run.lines.filter((l) => !l.startsWith('{'))).toEqual([
        `DEMO_EMULATOR_PORT ${port} is in use (another demo service?): stop it, or set DEMO_EMULATOR_PORT to a free port (0 picks one)`,
      ]);
    } finally {
      run.stop();
      busy.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it('refuses a bad configuration value with one line naming the variable, before doing anything', async () => {
    const run = npmStart({ PORT: 'eighty', DATA_DIR: join(tmpdir(), 'ehc-never-created') });
    const code = await run.exited;
    expect(code).toBe(78);
    expect(run.lines.filter((l) => l.trim() !== '')).toEqual(['Invalid configuration: PORT expects a number']);
  }, 60_000);

  it('refuses an ADMIN_TOKEN that authentication could never match (a space) with one line, exit 78', async () => {
    const run = npmStart({
      ADMIN_TOKEN: 'an admin token with spaces in it',
      DATA_DIR: join(tmpdir(), 'ehc-never-created'),
    });
    expect(await run.exited).toBe(78);
    const lines = run.lines.filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: ADMIN_TOKEN expects only letters, digits .*no spaces$/);
    expect(lines[0]).not.toContain('with spaces in it');
  }, 60_000);
});
