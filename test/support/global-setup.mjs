// Jest's globalSetup loads files as CommonJS; our sources are ESM TypeScript. So the database is
// prepared by a tsx child process, which hands back the variables every test worker inherits.
import { execFileSync } from 'node:child_process';

export default async function globalSetup() {
  const out = execFileSync('node_modules/.bin/tsx', ['test/support/prepare-database.ts'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const env = JSON.parse(out.trim().split('\n').pop());
  if (env.EHC_TEST_NOTICE) console.error(`\n${env.EHC_TEST_NOTICE}\n`);
  if (!process.env.MONGODB_URL) console.error('\nMONGODB_URL is not set: tests against MongoDB are skipped.\n');
  Object.assign(process.env, env);
}
