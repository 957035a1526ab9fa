// Jest's own test runner, minus the test files that hold none of the tests Stryker asked for.
// For each mutant Stryker runs `--findRelatedTests <mutated file>` with a testNamePattern naming
// the tests that cover the mutant; Jest then loads every related file (20 for the HR field
// catalogue) only to skip most of them, and under native ESM loading a file costs more than
// running its tests. This runner remembers which file holds which test, from each run that names
// no pattern (Stryker's first run, of every related test), and leaves out a file only when none of
// its known tests matches, as Jest would (jest-circus: `new RegExp(testNamePattern, 'i')` against
// the test's full name). A file it knows nothing of still runs, and outside a mutant's run (Stryker
// names the active mutant in the environment) nothing is left out. docs/testing.md (Running it).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INSTRUMENTER_CONSTANTS } from '@stryker-mutator/api/core';
import jestRunner from 'jest-runner';

// jest-runner is CommonJS compiled from ES modules: its class is the `default` of the exports.
const JestRunner = jestRunner.default;

export default class StrykerJestRunner extends JestRunner {
  async runTests(tests, watcher, options) {
    const pattern = this._globalConfig.testNamePattern;
    const mutantRun = process.env[INSTRUMENTER_CONSTANTS.ACTIVE_MUTANT_ENV_VARIABLE] !== undefined;
    const namesFile = join(
      tmpdir(),
      `stryker-test-names-${createHash('sha256').update(this._globalConfig.rootDir).digest('hex').slice(0, 16)}.json`,
    );
    if (!mutantRun && !pattern) return this.#runRecordingNames(tests, watcher, options, namesFile);
    if (!mutantRun || !pattern) return super.runTests(tests, watcher, options);
    const namesByFile = readNames(namesFile);
    const matches = new RegExp(pattern, 'i');
    const selected = tests.filter((test) => {
      const names = namesByFile[test.path];
      return names === undefined || names.some((name) => matches.test(name));
    });
    return super.runTests(selected, watcher, options);
  }

  /** Names are recorded without a mutant only: a mutant could change the names a table of tests makes. */
  async #runRecordingNames(tests, watcher, options, namesFile) {
    const namesByFile = readNames(namesFile);
    const unsubscribe = this.on('test-file-success', ([test, result]) => {
      namesByFile[test.path] = result.testResults.map((testResult) => testResult.fullName);
    });
    try {
      return await super.runTests(tests, watcher, options);
    } finally {
      unsubscribe();
      writeFileSync(namesFile, JSON.stringify(namesByFile));
    }
  }
}

function readNames(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}
