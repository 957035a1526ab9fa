/**
 * Benchmark of the Graph gateway against the emulator running as a separate process.
 *
 *   npm run bench:graph [-- --users 100000 --latency-ms 100]
 *
 * Starts `tsx src/emulator/cli.ts` with N users, trusts its CA file, then pages through all users at
 * $top=999 through GraphGateway twice: once with no added latency and once with latency on every
 * request (set through the control API). Prints each figure beside its bar and exits 1 when one
 * falls short.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import tls from 'node:tls';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { EmulatorControlClient } from '../src/emulator/control-client.js';
import { GraphGateway } from '../src/gateways/graph/index.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    'latency-ms': { type: 'string', default: '100' },
  },
});
const USERS = Number(args.users);
const LATENCY_MS = Number(args['latency-ms']);
const PAGE = 999;
const PAGES = Math.ceil(USERS / PAGE);
const SELECT = ['displayName', 'mail', 'userPrincipalName', 'employeeId', 'department', 'jobTitle', 'accountEnabled'];

interface Ready {
  url: string;
  caFile: string;
  tenantId: string;
}

interface Figure {
  label: string;
  value: number;
  unit: string;
  bar: number;
  /** 'max': value must stay below bar; 'min': at least bar; 'eq': exactly bar. */
  rule: 'max' | 'min' | 'eq';
}

const figures: Figure[] = [];

/** A full GC on demand, so the heap that survives the run can be told from allocator slack in RSS. */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

async function main(): Promise<void> {
  const started = performance.now();
  const { child, ready } = await spawnEmulator(USERS);
  const setupMs = performance.now() - started;
  try {
    const caCertPem = readFileSync(ready.caFile, 'utf8');
    // What the composition root does with a configured CA; the gateway only gets URLs.
    tls.setDefaultCACertificates([...tls.getCACertificates('default'), caCertPem]);
    const control = new EmulatorControlClient(ready.url, caCertPem);
    const gateway = new GraphGateway({
      tenantId: ready.tenantId,
      clientId: 'demo-client-id',
      credential: { kind: 'secret', clientSecret: 'demo-client-secret' },
      authorityHost: ready.url,
      graphBaseUrl: ready.url,
    });
    console.log(`emulator with ${USERS} users ready in ${Math.round(setupMs)} ms at ${ready.url}`);

    for (const latency of [0, LATENCY_MS]) {
      await control.setLatency(latency);
      await control.resetStats();
      const run = await pageThroughUsers(gateway);
      const stats = await control.stats();
      const name = latency === 0 ? 'no latency' : `${latency} ms latency`;
      const floorMs = PAGES * latency;
      figures.push(
        { label: `[${name}] users read`, value: run.users, unit: '', bar: USERS, rule: 'eq' },
        { label: `[${name}] pages`, value: run.pages, unit: '', bar: PAGES, rule: 'eq' },
        { label: `[${name}] Graph requests seen by emulator`, value: stats.requests, unit: '', bar: PAGES, rule: 'eq' },
        // Pages are sequential (each needs the previous nextLink): latency adds up page by page.
        { label: `[${name}] wall time`, value: run.ms, unit: 'ms', bar: floorMs + 5_000, rule: 'max' },
        { label: `[${name}] client page p95`, value: percentile(run.pageMs, 95), unit: 'ms', bar: latency + 100, rule: 'max' },
        { label: `[${name}] emulator 999-user page p95`, value: stats.servePageP95Ms, unit: 'ms', bar: 50, rule: 'max' },
      );
    }
    collectGarbage();
    figures.push(
      // The pages are streamed: what survives the run is the 100k-id Set this script keeps to
      // check for duplicates, not the users.
      { label: 'bench heap in use after the runs (after GC)', value: mb(process.memoryUsage().heapUsed), unit: 'MB', bar: 64, rule: 'max' },
      { label: 'bench process peak RSS', value: mb(process.resourceUsage().maxRSS * 1024), unit: 'MB', bar: 400, rule: 'max' },
      { label: 'emulator process peak RSS', value: mb(peakRssOfTree(child.pid ?? 0)), unit: 'MB', bar: 1000, rule: 'max' },
    );
  } finally {
    await stopEmulator(child);
  }
  report();
}

/** npx does not pass signals on to its children: end the whole process group it leads. */
async function stopEmulator(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  await exited;
}

async function pageThroughUsers(gateway: GraphGateway): Promise<{ users: number; pages: number; ms: number; pageMs: number[] }> {
  const seen = new Set<string>();
  const pageMs: number[] = [];
  let pages = 0;
  let users = 0;
  const start = performance.now();
  let last = start;
  for await (const page of gateway.listUsers(SELECT, { top: PAGE })) {
    const now = performance.now();
    pageMs.push(now - last);
    last = now;
    pages++;
    users += page.length;
    for (const user of page) seen.add(user.id);
  }
  if (seen.size !== users) throw new Error(`duplicate users across pages: ${users - seen.size}`);
  return { users, pages, ms: performance.now() - start, pageMs };
}

function spawnEmulator(users: number): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = spawn('npx', ['tsx', 'src/emulator/cli.ts', '--port', '0', '--users', String(users)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.trim().startsWith('{')) return;
      const ready = JSON.parse(line) as Ready;
      if (ready.url && ready.caFile) resolve({ child, ready });
    });
    child.once('exit', (code) => reject(new Error(`emulator exited early with code ${code}`)));
  });
}

/** Largest VmHWM (peak resident set) among a process and its descendants (npx → tsx → node). */
function peakRssOfTree(rootPid: number): number {
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
  for (let grew = true; grew; ) {
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

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function mb(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}

function report(): void {
  let failed = 0;
  for (const figure of figures) {
    const ok = figure.rule === 'max' ? figure.value < figure.bar : figure.rule === 'min' ? figure.value >= figure.bar : figure.value === figure.bar;
    if (!ok) failed++;
    const sign = figure.rule === 'max' ? '<' : figure.rule === 'min' ? '>=' : '=';
    const value = Number.isInteger(figure.value) ? figure.value : figure.value.toFixed(1);
    console.log(`${figure.label}: ${value}${figure.unit ? ` ${figure.unit}` : ''} (bar ${sign} ${figure.bar}${figure.unit ? ` ${figure.unit}` : ''}) ${ok ? 'OK' : 'FAIL'}`);
  }
  if (failed > 0) {
    console.error(`${failed} figure(s) fell short`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
