/**
 * Benchmark of the SCIM endpoint (issue 12, performance section).
 *
 *   npm run bench:scim [-- --users 100000] [-- --connections 8]
 *
 * Replays the initial provisioning cycle of Entra's provisioning service (Microsoft Learn, "How
 * application provisioning works", https://learn.microsoft.com/entra/identity/app-provisioning/how-provisioning-works):
 * for each user the match look-up (`GET /Users?filter=userName eq "..."`), which finds nothing,
 * then `POST /Users`; then a `PATCH` for 10% of them. The service runs in its own process
 * (`npm start`, userSource push) on this machine's PostgreSQL; this process is the client, with a
 * fixed number of keep-alive connections, each sending its next request when the last one answered.
 * Each figure is printed beside its bar; the exit code is 1 when one falls short.
 */
import http from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  percentile,
  report,
  stopTree,
  type Figure,
  adminSql,
  databaseUrl as serverDatabaseUrl,
  freePort,
  startService as startServiceProcess,
  waitReady,
  ADMIN_TOKEN,
  type ServiceProcess,
} from './bench-support.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    connections: { type: 'string', default: '8' },
  },
});
const USERS = Number(args.users);
const CONNECTIONS = Number(args.connections);
const SCIM = '/scim/v2';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

interface Answer {
  status: number;
  body: string;
}

async function main(): Promise<void> {
  const database = `ehc_bench_scim_${Date.now()}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'ehc-bench-scim-'));
  await adminSql(`create database ${database}`);
  const databaseUrl = serverDatabaseUrl(database);
  let service: ServiceProcess | undefined;
  const figures: Figure[] = [];
  try {
    const port = await freePort();
    service = startService(port, databaseUrl, dataDir);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const call = (method: string, path: string, token: string, body?: unknown) =>
      request(agent, port, method, path, token, body);
    await waitReady(port);
    await expectOk(call('PATCH', '/api/admin/settings', ADMIN_TOKEN, { userSource: 'push' }));
    const me = JSON.parse((await expectOk(call('GET', '/api/me', ADMIN_TOKEN))).body) as { userId: string };
    const issued = await expectOk(
      call('POST', `/api/admin/users/${me.userId}/tokens`, ADMIN_TOKEN, { name: 'Entra provisioning', scope: 'scim' }),
    );
    const token = (JSON.parse(issued.body) as { token: string }).token;
    const load = loadavg()[0]!;

    const latencies: number[] = [];
    const failures: string[] = [];
    const ids = new Array<string>(USERS);
    const timed = async (method: string, path: string, body: unknown, expected: number): Promise<Answer> => {
      const start = performance.now();
      const answer = await call(method, `${SCIM}${path}`, token, body);
      latencies.push(performance.now() - start);
      if (answer.status !== expected && failures.length < 1000)
        failures.push(`${method} ${path}: ${answer.status} ${answer.body.slice(0, 200)}`);
      return answer;
    };
    const cpuBefore = cpuSeconds(service.child.pid!, database);
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    // Entra's initial cycle: match, then create (how-provisioning-works.md, "Provisioning cycles").
    await inParallel(USERS, async (i) => {
      const userName = userNameOf(i);
      const found = await timed(
        'GET',
        `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
        undefined,
        200,
      );
      if (found.status === 200 && (JSON.parse(found.body) as { totalResults: number }).totalResults !== 0)
        failures.push(`the look-up of ${userName} found a user before it was created`);
      const created = await timed('POST', '/Users', entraUser(i), 201);
      if (created.status === 201) ids[i] = (JSON.parse(created.body) as { id: string }).id;
    });
    // Then 10% change (the doc's PATCH: a replaced e-mail... here the title and surname).
    const patched = Math.floor(USERS / 10);
    await inParallel(patched, async (n) => {
      const i = n * 10;
      await timed(
        'PATCH',
        `/Users/${ids[i] ?? 'missing'}`,
        {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [
            { op: 'Replace', path: 'title', value: `Senior Engineer ${i}` },
            { op: 'Replace', path: 'name.familyName', value: `Changed${i}` },
          ],
        },
        200,
      );
    });
    const seconds = (performance.now() - started) / 1000;
    const requests = latencies.length;
    const cpuAfter = cpuSeconds(service.child.pid!, database);
    const serviceCpuMs = ((cpuAfter.service - cpuBefore.service) * 1000) / requests;
    const databaseCpuMs = ((cpuAfter.database - cpuBefore.database) * 1000) / requests;
    const clientUsed = process.cpuUsage(clientBefore);
    const clientCpuMs = (clientUsed.user + clientUsed.system) / 1000 / requests;

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const pushed = Number(
      (await db.query("select count(*) from hr_user where origin = 'scim' and scim_user_name is not null")).rows[0]
        .count,
    );
    const changed = Number(
      (await db.query("select count(*) from hr_user where origin = 'scim' and job_title like 'Senior Engineer %'"))
        .rows[0].count,
    );
    await db.end();
    console.log(
      `${requests} requests in ${seconds.toFixed(1)} s over ${CONNECTIONS} connections; load average at start ${load.toFixed(2)}, at end ${loadavg()[0]!.toFixed(2)} (${availableParallelism()} cores)`,
    );
    for (const line of failures.slice(0, 5)) console.error(line);
    figures.push(
      { label: 'requests per second', value: Math.round(requests / seconds), unit: 'req/s', bar: 800, rule: 'min' },
      { label: 'p99 latency', value: round1(percentile(latencies, 99)), unit: 'ms', bar: 50, rule: 'max' },
      { label: 'p50 latency', value: round1(percentile(latencies, 50)), unit: 'ms', bar: 0, rule: 'info' },
      // On a shared machine the rate says more about the neighbours than about the service: the CPU
      // each request costs (service process and its PostgreSQL backends) is the figure that travels.
      { label: 'service CPU per request', value: round1(serviceCpuMs), unit: 'ms', bar: 0, rule: 'info' },
      { label: 'PostgreSQL CPU per request', value: round1(databaseCpuMs), unit: 'ms', bar: 0, rule: 'info' },
      // Entra calls from elsewhere; here the client shares the cores, and this is what it takes of them.
      { label: 'this client CPU per request', value: round1(clientCpuMs), unit: 'ms', bar: 0, rule: 'info' },
      {
        label:
          'rate the CPU allows on an idle machine, the client elsewhere (cores / service and PostgreSQL CPU per request)',
        value: Math.round((availableParallelism() * 1000) / (serviceCpuMs + databaseCpuMs)),
        unit: 'req/s',
        bar: 0,
        rule: 'info',
      },
      { label: 'pushed users in the database', value: pushed, unit: '', bar: USERS, rule: 'eq' },
      { label: 'users the PATCHes changed', value: changed, unit: '', bar: patched, rule: 'eq' },
      { label: 'requests answered otherwise than Entra expects', value: failures.length, unit: '', bar: 0, rule: 'eq' },
      { label: 'errors in the service log', value: service.errors.length, unit: '', bar: 0, rule: 'eq' },
    );
    for (const line of service.errors.slice(0, 5)) console.error(line);
    agent.destroy();
  } finally {
    if (service) await stopTree(service.child);
    if (!process.env.BENCH_KEEP_DB) {
      await adminSql(`drop database if exists ${database} with (force)`).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    } else console.log(`kept database ${database}`);
  }
  report(figures);
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * CPU seconds (user + system, from /proc) of the service's process tree and of the PostgreSQL
 * backends serving the bench database (their command line names it).
 */
function cpuSeconds(rootPid: number, database: string): { service: number; database: number } {
  const ticks = 100; // USER_HZ on Linux
  const parents = new Map<number, number>();
  const cpu = new Map<number, number>();
  const backends: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      cpu.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / ticks);
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(database)) backends.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  const tree = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parents)
      if (tree.has(parent) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
  }
  const sum = (pids: Iterable<number>) => [...pids].reduce((total, pid) => total + (cpu.get(pid) ?? 0), 0);
  return { service: sum(tree), database: sum(backends) };
}

function userNameOf(i: number): string {
  return `bench.user${i}@contoso.com`;
}

/** The body of Microsoft's "Create User" request (Microsoft Learn, "Tutorial: Develop and plan provisioning for a SCIM endpoint"). */
function entraUser(i: number): Record<string, unknown> {
  const userName = userNameOf(i);
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    externalId: `bench${i}`,
    userName,
    active: true,
    displayName: `Bench User${i}`,
    title: 'Engineer',
    emails: [{ primary: true, type: 'work', value: userName }],
    name: { formatted: `Bench User${i}`, familyName: `User${i}`, givenName: 'Bench' },
    phoneNumbers: [{ type: 'work', value: '+49 30 1234' }],
    addresses: [{ type: 'work', locality: 'Berlin', postalCode: '10115', country: 'DE' }],
    [ENTERPRISE]: { employeeNumber: `E-${i}`, department: 'R&D' },
    meta: { resourceType: 'User' },
    roles: [],
  };
}

/** `count` tasks, CONNECTIONS at a time (each worker takes the next index when its last task is done). */
async function inParallel(count: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

function request(
  agent: http.Agent,
  port: number,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(payload === undefined
            ? {}
            : {
                'Content-Type': path.startsWith(SCIM) ? 'application/scim+json' : 'application/json',
                'Content-Length': Buffer.byteLength(payload),
              }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function expectOk(answer: Promise<Answer>): Promise<Answer> {
  const a = await answer;
  if (a.status >= 300) throw new Error(`the service answered ${a.status}: ${a.body}`);
  return a;
}

function startService(port: number, databaseUrl: string, dataDir: string): ServiceProcess {
  // The service as it is started (`npm start`), without Entra: pushes only, no demo tenant.
  return startServiceProcess({
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    DEMO_MODE: 'off',
    DATA_DIR: dataDir,
    RATE_LIMIT_PER_MINUTE: '100000',
    SCIM_RATE_LIMIT_PER_MINUTE: '1000000',
    // e.g. --cpu-prof --cpu-prof-dir=/tmp/prof, to see where the service spends its time.
    NODE_OPTIONS: process.env.BENCH_SERVICE_NODE_OPTIONS ?? '',
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
