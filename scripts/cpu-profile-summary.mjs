// Where a service spent its CPU, from the .cpuprofile that `node --cpu-prof` writes (the largest file
// in the directory is the service's own process):
//
//   BENCH_SERVICE_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof' npm run bench:scim -- --users 10000
//   node scripts/cpu-profile-summary.mjs /tmp/prof
//
// Prints the share of each part (self time, by package or by part of src/) of the time the process
// was busy, leaving out idle time and the loading of modules at start. Time inside a socket write is
// wall time: on a loaded machine it includes waiting for a core, so /proc's CPU figures (which the
// benchmarks print) are the cost; this says where it goes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/cpu-profile-summary.mjs <directory of .cpuprofile files>');
  process.exit(2);
}
const file = readdirSync(dir)
  .filter((name) => name.endsWith('.cpuprofile'))
  .map((name) => join(dir, name))
  .sort((a, b) => statSync(b).size - statSync(a).size)[0];
if (!file) {
  console.error(`no .cpuprofile in ${dir}`);
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
const ancestors = function* (id) {
  for (let at = id; at !== undefined; at = parents.get(at)) yield nodes.get(at).callFrame;
};

const PARTS = [
  [/pino|redact/, 'logging (pino, pino-http)'],
  [/mikro-orm|kysely/, 'MikroORM and Kysely'],
  [/^pg($|-)/, 'pg driver (protocol, rows)'],
  [/prom-client/, 'metrics'],
  [/./, 'Express and other middleware (helmet, rate limits, body parser, router...)'],
];

function partOf(id) {
  const { functionName, url } = nodes.get(id).callFrame;
  if (functionName === '(idle)') return null;
  for (const frame of ancestors(id))
    if (
      /node:internal\/modules|\/tsx\/|\/esbuild\//.test(frame.url) ||
      frame.functionName === 'compileSourceTextModule'
    )
      return null;
  if (['writev', 'writeBuffer', 'writeUtf8String'].includes(functionName))
    return [...ancestors(id)].some((frame) => /node_modules\/pg\//.test(frame.url))
      ? 'socket writes to PostgreSQL (wall time)'
      : 'socket writes of HTTP answers (wall time)';
  if (functionName === '(garbage collector)') return 'garbage collection';
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return PARTS.find(([pattern]) => pattern.test(pkg))[1];
  const own = /\/src\/(\w+)\//.exec(url)?.[1];
  if (own) return `src/${own}`;
  if (functionName === 'structuredClone') return 'structuredClone';
  if (/crypto/.test(url)) return 'crypto (hashes)';
  if (url.startsWith('node:')) return 'Node.js core (http, streams, events...)';
  return 'other';
}

const totals = new Map();
profile.samples.forEach((id, i) => {
  const part = partOf(id);
  if (part) totals.set(part, (totals.get(part) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const busy = [...totals.values()].reduce((sum, t) => sum + t, 0);
console.log(`${file}: busy ${(busy / 1000).toFixed(0)} ms (idle and module loading left out)`);
for (const [part, time] of [...totals].sort((a, b) => b[1] - a[1]))
  console.log(`${((100 * time) / busy).toFixed(1).padStart(5)}% ${(time / 1000).toFixed(0).padStart(7)} ms  ${part}`);
