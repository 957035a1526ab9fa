import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { EmulatorControlClient } from '../../src/emulator/control-client.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ADMIN_TOKEN, testServiceEnv } from '../support/service.js';

interface Run {
  id: string;
  trigger: string;
  status: string;
  requestedBy: string | null;
  counts: Record<string, number>;
}

/** The first sync is a "sync now" the service asks for itself: manual, requested by no one. */
const isFirstSync = (run: Run) => run.trigger === 'manual' && run.requestedBy === null;

/** The service as a process of its own, logging at info, so a test reads what a new admin reads. */
function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/service-process.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  createInterface({ input: child.stderr }).on('line', (line) => lines.push(line));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = async (pattern: RegExp, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.find((l) => pattern.test(l));
      if (found) return JSON.parse(found) as Record<string, string>;
      if (Date.now() > deadline) throw new Error(`no line matching ${pattern} in:\n${lines.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return {
    lines,
    line,
    async url() {
      return (await line(/"msg":"service listening"/)).url!;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const api = async <T>(url: string, path: string, init: { method?: string; json?: unknown } = {}): Promise<T> => {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(init.json === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
};
const runs = async (url: string) => (await api<{ items: Run[] }>(url, '/api/admin/sync/runs?limit=50')).items;
async function finishedRun(url: string, match: (run: Run) => boolean): Promise<Run> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const run = (await runs(url)).find((r) => match(r) && r.status !== 'queued' && r.status !== 'running');
    if (run) return run;
    if (Date.now() > deadline) throw new Error('no such run finished within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
const activeUsers = async (url: string) =>
  (await api<{ items: Array<{ email: string }> }>(url, '/api/admin/users?active=true&limit=500')).items;

describe('demo mode on a first day', () => {
  let db: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'ehc-demo-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the first sync at start, prints where the control API is, and a restart keeps HR but regenerates the tenant', async () => {
    const port = await freePort();
    const env = testServiceEnv(db.url, dataDir, {
      DEMO_MODE: 'on',
      DEMO_USERS: '60',
      DEMO_EMULATOR_PORT: String(port),
      LOG_LEVEL: 'info',
    });
    const first = startProcess(env);
    try {
      const url = await first.url();
      // The first sync needs no admin action: it is queued at start (its run id in the log) and fills HR.
      const queued = await first.line(/first sync of the demo tenant runs now/);
      const startup = await finishedRun(url, isFirstSync);
      expect(startup.id).toBe(queued.runId);
      expect(startup.status).toBe('succeeded');
      expect(startup.counts.created).toBeGreaterThan(40);
      expect((await activeUsers(url)).length).toBeGreaterThan(40);

      // The control API is at the documented, fixed port, and the log says how to call it.
      const control = await first.line(/control API/);
      expect(control.control).toBe(`https://127.0.0.1:${port}/_control`);
      expect(control.example).toContain(join(dataDir, 'demo-emulator-ca.pem'));
      const ca = readFileSync(join(dataDir, 'demo-emulator-ca.pem'), 'utf8');
      const emulator = new EmulatorControlClient(`https://127.0.0.1:${port}`, ca);
      const engineering = await emulator.findGroup('Engineering Department');
      const added = await emulator.createUser({
        displayName: 'Nova Demo',
        givenName: 'Nova',
        surname: 'Demo',
        mail: 'nova.demo@contoso.com',
        userPrincipalName: 'nova.demo@contoso.com',
        accountEnabled: true,
        groups: [engineering!.id],
      });
      expect(added.id).toBeTruthy();
      const asked = await api<{ runId: string; joined: boolean }>(url, '/api/admin/sync/run', {
        method: 'POST',
        json: {},
      });
      expect(asked.joined).toBe(false);
      const manual = await finishedRun(url, (r) => r.id === asked.runId);
      expect(manual).toMatchObject({ status: 'succeeded', counts: { created: 1 } });
      expect((await activeUsers(url)).map((u) => u.email)).toContain('nova.demo@contoso.com');
    } finally {
      await first.stop();
    }

    // A restart: the same seed gives the same tenant (the HR users stay linked), the control API's
    // changes are gone, and no second first sync is queued: the database has synced.
    const second = startProcess(env);
    try {
      const url = await second.url();
      await second.line(/control API/);
      expect(existsSync(join(dataDir, 'demo-emulator-ca.pem'))).toBe(true);
      const before = (await activeUsers(url)).length;
      const asked = await api<{ runId: string }>(url, '/api/admin/sync/run', { method: 'POST', json: {} });
      const afterRestart = await finishedRun(url, (r) => r.id === asked.runId);
      expect(afterRestart).toMatchObject({ status: 'succeeded', counts: { created: 0, deactivated: 1 } });
      expect((await activeUsers(url)).length).toBe(before - 1);
      expect((await runs(url)).filter(isFirstSync)).toHaveLength(1);
      expect(second.lines.join('\n')).not.toMatch(/first sync of the demo tenant/);
    } finally {
      await second.stop();
    }
  }, 150_000);

  it('without demo mode, the start log says what to do for a first sync', async () => {
    const fresh = await createTestDatabase();
    const run = startProcess(
      testServiceEnv(fresh.url, mkdtempSync(join(tmpdir(), 'ehc-plain-')), { LOG_LEVEL: 'info' }),
    );
    try {
      await run.url();
      const hint = (await run.line(/no sync has run yet/, 5_000)).msg!;
      expect(hint).toMatch(
        /1\. connect Entra.*2\. choose the synced groups.*3\. sync now \(POST \/api\/admin\/sync\/run\)/,
      );
      expect(run.lines.join('\n')).not.toMatch(/first sync of the demo tenant/);
    } finally {
      await run.stop();
      await fresh.drop();
    }
  }, 60_000);
});
