/**
 * Benchmark of the Graph gateway against the emulator running as a separate process.
 *
 *   npm run bench:graph [-- --users 100000 --latency-ms 100]
 *
 * Starts `tsx src/emulator/cli.ts` with N users, trusts its CA file, then pages through all users at
 * $top=999 through GraphUsersGateway twice: once with no added latency and once with latency on every
 * request (set through the control API). Prints each figure beside its bar and exits 1 when one
 * falls short.
 */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { EmulatorControlClient } from '../src/emulator/control-client.js';
import { GraphSession, GraphUsersGateway } from '../src/gateways/graph/index.js';
import { mb, peakRssOfTree, percentile, report, spawnEmulator, stopTree, type Figure } from './bench-support.js';

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
    const gateway = new GraphUsersGateway(
      new GraphSession({
        tenantId: ready.tenantId,
        clientId: 'demo-client-id',
        credential: { kind: 'secret', clientSecret: 'demo-client-secret' },
        authorityHost: ready.url,
        graphBaseUrl: ready.url,
      }),
    );
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
        {
          label: `[${name}] client page p95`,
          value: percentile(run.pageMs, 95),
          unit: 'ms',
          bar: latency + 100,
          rule: 'max',
        },
        {
          label: `[${name}] emulator 999-user page p95`,
          value: stats.servePageP95Ms,
          unit: 'ms',
          bar: 50,
          rule: 'max',
        },
      );
    }
    collectGarbage();
    figures.push(
      // The pages are streamed: what survives the run is the 100k-id Set this script keeps to
      // check for duplicates, not the users.
      {
        label: 'bench heap in use after the runs (after GC)',
        value: mb(process.memoryUsage().heapUsed),
        unit: 'MB',
        bar: 64,
        rule: 'max',
      },
      {
        label: 'bench process peak RSS',
        value: mb(process.resourceUsage().maxRSS * 1024),
        unit: 'MB',
        bar: 400,
        rule: 'max',
      },
      {
        label: 'emulator process peak RSS',
        value: mb(peakRssOfTree(child.pid ?? 0)),
        unit: 'MB',
        bar: 1000,
        rule: 'max',
      },
    );
  } finally {
    await stopTree(child);
  }
  report(figures);
}

async function pageThroughUsers(
  gateway: GraphUsersGateway,
): Promise<{ users: number; pages: number; ms: number; pageMs: number[] }> {
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

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
