// `npm run test:mutation [-- domain planner graph-policy] [--concurrency N] [--full] [--static]`: Stryker on each
// group in turn (stryker.config.json holds the common setup), then each group's mutation score beside
// its bar (docs/testing.md). Exits 1 when a group is under its bar. Incremental by default: a rerun
// tests only the mutants whose code or covering tests changed (reports/mutation/<group>.incremental.json);
// --full tests every mutant again. Static mutants (a module-level constant: every test of the unit
// project must run for each) are left out unless --static says otherwise: they cost more than half the
// time, and the tables they mutate are asserted row by row.
import { Stryker } from '@stryker-mutator/core';

const GROUPS = {
  domain: { bar: 90, mutate: ['src/domain/**/*.ts'] },
  planner: {
    bar: 90,
    mutate: [
      'src/sync/inbound/user-page.planner.ts',
      'src/sync/calendars/event-page.planner.ts',
      'src/sync/write-back/write-back.round.ts',
    ],
  },
  'graph-policy': {
    bar: 85,
    mutate: [
      'src/gateways/graph/graph-error.mapper.ts',
      'src/gateways/graph/graph-retry.policy.ts',
      'src/gateways/graph/graph-retry.middleware.ts',
      'src/gateways/graph/graph-failure.classifier.ts',
      'src/sync/kernel/error-policy.ts',
    ],
  },
};

const args = process.argv.slice(2);
const names = args.filter((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--concurrency');
const unknown = names.filter((name) => !(name in GROUPS));
if (unknown.length > 0) {
  console.error(`Unknown group ${unknown.join(', ')}; groups: ${Object.keys(GROUPS).join(', ')}`);
  process.exit(2);
}
const concurrencyAt = args.indexOf('--concurrency');
const concurrency = concurrencyAt >= 0 ? Number(args[concurrencyAt + 1]) : undefined;
const full = args.includes('--full');
const withStatic = args.includes('--static');

// Killed and timed-out mutants count as detected; compile and runtime errors and ignored mutants
// are not valid mutants (https://stryker-mutator.io/docs/mutation-testing-elements/mutant-states-and-metrics/).
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

const rows = [];
for (const name of names.length > 0 ? names : Object.keys(GROUPS)) {
  const group = GROUPS[name];
  const started = Date.now();
  const results = await new Stryker({
    mutate: group.mutate,
    ...(concurrency ? { concurrency } : {}),
    incremental: true,
    incrementalFile: `reports/mutation/${name}${withStatic ? '.static' : ''}.incremental.json`,
    force: full,
    ignoreStatic: !withStatic,
    appendPlugins: ['./scripts/stryker-survivors.reporter.mjs'],
    reporters: ['clear-text', 'progress', 'html', 'json', 'survivors'],
    htmlReporter: { fileName: `reports/mutation/${name}.html` },
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
  }).runMutationTest();
  const count = (states) => results.filter((result) => states.has(result.status)).length;
  const detected = count(DETECTED);
  const undetected = count(UNDETECTED);
  const score = (100 * detected) / Math.max(1, detected + undetected);
  const survived = results.filter((result) => result.status === 'Survived').length;
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  rows.push({ name, score, bar: group.bar, detected, survived, noCoverage: undetected - survived, minutes });
}

console.log('\ngroup          score   bar   killed survived no-coverage  minutes');
for (const row of rows) {
  const mark = row.score >= row.bar ? 'ok' : 'UNDER THE BAR';
  console.log(
    `${row.name.padEnd(14)} ${row.score.toFixed(1).padStart(5)} % ${String(row.bar).padStart(3)} % ` +
      `${String(row.detected).padStart(6)} ${String(row.survived).padStart(8)} ${String(row.noCoverage).padStart(11)}` +
      `  ${row.minutes.padStart(7)}  ${mark}`,
  );
}
process.exitCode = rows.every((row) => row.score >= row.bar) ? 0 : 1;
