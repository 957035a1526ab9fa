/** What every benchmark shares: the emulator as a separate process, peak memory, and the report. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import pg from 'pg';

/** The PostgreSQL server the benchmarks create their databases on. */
export const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

export interface EmulatorReady {
  url: string;
  caFile: string;
  tenantId: string;
}

export interface Figure {
  label: string;
  value: number;
  unit: string;
  bar: number;
  /** 'max': value must stay below bar; 'min': at least bar; 'eq': exactly bar; 'info': no bar (a floor, for comparison). */
  rule: 'max' | 'min' | 'eq' | 'info';
}

export function spawnEmulator(
  users: number,
  extraArgs: string[] = [],
): Promise<{ child: ChildProcess; ready: EmulatorReady }> {
  const child = spawn('npx', ['tsx', 'src/emulator/cli.ts', '--port', '0', '--users', String(users), ...extraArgs], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.trim().startsWith('{')) return;
      const ready = JSON.parse(line) as EmulatorReady;
      if (ready.url && ready.caFile) resolve({ child, ready });
    });
    child.once('exit', (code) => reject(new Error(`emulator exited early with code ${code}`)));
  });
}

/** Stops a process started with `detached: true` and everything it started (npx does not pass signals on). */
export async function stopTree(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  // A process ended by a signal has a signalCode and no exitCode; its 'exit' event has already been
  // emitted, so waiting for it again would wait for ever (the --embedded run hung here).
  const running = child.exitCode === null && child.signalCode === null;
  const exited = running ? new Promise((resolve) => child.once('exit', resolve)) : Promise.resolve();
  try {
    // The whole group: what the leader started may outlive it.
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return; // the whole group is gone
  }
  await exited;
}

/** Largest VmHWM (peak resident set) among a process and its descendants (npx → tsx → node). */
export function peakRssOfTree(rootPid: number): number {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  const tree = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (tree.has(parent) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let peak = 0;
  for (const pid of tree) {
    try {
      const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      peak = Math.max(peak, Number(kb ?? 0) * 1024);
    } catch {
      // gone
    }
  }
  return peak;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export function mb(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}

/** Prints each figure beside its bar; sets a failing exit code when one falls short. */
export function report(figures: Figure[]): void {
  let failed = 0;
  for (const figure of figures) {
    const ok =
      figure.rule === 'info' ||
      (figure.rule === 'max'
        ? figure.value <= figure.bar
        : figure.rule === 'min'
          ? figure.value >= figure.bar
          : figure.value === figure.bar);
    if (!ok) failed++;
    const sign = { max: '<=', min: '>=', eq: '=', info: '' }[figure.rule];
    // Small fractions (requests per calendar) keep four places, so a figure and its bar never print alike.
    const shown = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(Math.abs(n) < 1 ? 4 : 2));
    const value = shown(figure.value);
    const unit = figure.unit ? ` ${figure.unit}` : '';
    const bar = figure.rule === 'info' ? '(no bar)' : `(bar ${sign} ${shown(figure.bar)}${unit}) ${ok ? 'OK' : 'FAIL'}`;
    console.log(`${figure.label}: ${value}${unit} ${bar}`);
  }
  if (failed > 0) {
    console.error(`${failed} figure(s) fell short`);
    process.exitCode = 1;
  }
}

export interface ServiceProcess {
  child: ChildProcess;
  /** Log lines at level error or fatal (pino levels 50, 60). */
  errors: string[];
}

/**
 * The service as a new user starts it (`npm start`), detached so that its whole process group can be
 * stopped, with `env` on top of this process's environment. Each log line goes to `onLine` too.
 */
export function startService(env: Record<string, string>, onLine?: (line: string) => void): ServiceProcess {
  const child = spawn('npm', ['start', '--silent'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ADMIN_TOKEN, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', ...env },
  });
  const errors: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (process.env.BENCH_LOG_LEVEL) console.log(line);
    if (/"level":(50|60)/.test(line)) errors.push(line);
    onLine?.(line);
  });
  return { child, errors };
}

/** The settings that point the service at the emulator's tenant, as an admin would set them. */
export function emulatorTenantEnv(ready: EmulatorReady): Record<string, string> {
  return {
    ENTRA_TENANT_ID: ready.tenantId,
    ENTRA_CLIENT_ID: 'demo-client-id',
    ENTRA_CLIENT_SECRET: 'demo-client-secret',
    GRAPH_AUTHORITY_HOST: ready.url,
    GRAPH_BASE_URL: ready.url,
    GRAPH_CA_CERT_FILE: ready.caFile,
  };
}

/** Waits until the service on `port` answers /readyz with 200 (at most two minutes). */
export async function waitReady(port: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the service did not become ready');
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** One statement on the server's `postgres` database (create or drop a benchmark database). */
export async function adminSql(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: SERVER_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** SERVER_URL with another database. */
export function databaseUrl(database: string): string {
  const parsed = new URL(SERVER_URL);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Calls the admin API of the service on `port` with the benchmarks' admin token. */
export type Api = (path: string, init?: RequestInit) => Promise<Response>;
export function adminApi(port: number): Api {
  return (path, init = {}) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json', ...init.headers },
    });
}

/** Sync now through the admin API, and wait for that run to succeed. */
export async function syncNow(api: Api): Promise<void> {
  const before = ((await (await api('/api/admin/sync/runs?limit=1')).json()) as { items: Array<{ id: string }> })
    .items[0]?.id;
  await call(api, 'POST', '/api/admin/sync/run', {});
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const run = (
      (await (await api('/api/admin/sync/runs?limit=1')).json()) as { items: Array<{ id: string; status: string }> }
    ).items[0];
    if (run && run.id !== before && run.status !== 'running' && run.status !== 'queued') {
      if (run.status !== 'succeeded') throw new Error(`first sync ended ${run.status}`);
      return;
    }
  }
}

/** One admin API call that must succeed; its JSON answer. */
export async function call(api: Api, method: string, path: string, body: unknown): Promise<unknown> {
  const res = await api(path, { method, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/**
 * What every benchmark does at its end, whatever happened: the service and the emulator stopped,
 * the database dropped and the data directory removed (both kept with BENCH_KEEP_DB).
 */
export async function cleanUp(what: {
  db: pg.Client;
  service: ServiceProcess | undefined;
  emulator: ChildProcess;
  database: string;
  dataDir: string;
}): Promise<void> {
  await what.db.end().catch(() => undefined);
  if (what.service) await stopTree(what.service.child);
  await stopTree(what.emulator);
  if (!process.env.BENCH_KEEP_DB) {
    await adminSql(`drop database if exists ${what.database} with (force)`).catch(() => undefined);
    rmSync(what.dataDir, { recursive: true, force: true });
  } else console.log(`kept database ${what.database}`);
}
