import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ADMIN_TOKEN, testServiceEnv } from '../support/service.js';

const EMULATOR = pathToFileURL(join(process.cwd(), 'src/emulator/')).href;
const RECORDER = pathToFileURL(join(process.cwd(), 'test/support/record-loaded-modules.mjs')).href;

/** Runs `args` under node with tsx and the module recorder; answers the URLs of the modules it loaded. */
async function loadedModules(dir: string, args: string[], env: Record<string, string>, untilListening: boolean) {
  const record = join(dir, 'modules.txt');
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', RECORDER, ...args], {
    env: { ...process.env, ...env, RECORD_LOADED_MODULES: record },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (untilListening) {
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', (line) =>
        resolve((JSON.parse(line) as { url: string }).url),
      );
      child.once('exit', (code) => reject(new Error(`the service process exited (${code}) before it listened`)));
    });
    // An admin call goes through the whole HTTP stack: anything it loads on demand is loaded now.
    const status = await fetch(`${url}/api/admin/sync/status`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(status.status).toBe(200);
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  return readFileSync(record, 'utf8').split('\n').filter(Boolean);
}

/**
 * Issue 15: with demo mode off the emulator is not loaded at all. The composition root imports
 * src/demo-tenant.ts (the one module that imports the emulator) dynamically, in demo mode only; a
 * static import anywhere on the way would load src/emulator in every production process.
 */
describe('the service without demo mode', () => {
  let db: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'ehc-modules-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the recorder sees the emulator when a process loads it (the check below can fail)', async () => {
    const modules = await loadedModules(
      dir,
      ['--input-type=module', '-e', "await import('./src/demo-tenant.ts')"],
      {},
      false,
    );
    expect(modules.filter((url) => url.startsWith(EMULATOR)).length).toBeGreaterThan(5);
    rmSync(join(dir, 'modules.txt'));
  });

  it('started with an Entra connection in its settings, never loads a module of src/emulator', async () => {
    const env = testServiceEnv(db.url, join(dir, 'data'), {
      // Demo mode decides by itself (auto), as in production: the Entra settings turn it off.
      DEMO_MODE: 'auto',
      ENTRA_TENANT_ID: '00000000-0000-4000-8000-000000000001',
      ENTRA_CLIENT_ID: '00000000-0000-4000-8000-000000000002',
      ENTRA_CLIENT_SECRET: 'not-a-real-secret',
      // Nothing listens there: a Graph call the service might make fails at once.
      GRAPH_AUTHORITY_HOST: 'https://127.0.0.1:9',
      GRAPH_BASE_URL: 'https://127.0.0.1:9',
    });
    const modules = await loadedModules(dir, ['test/support/service-process.ts'], env, true);
    expect(modules).toContain(pathToFileURL(join(process.cwd(), 'src/service.ts')).href);
    expect(modules.filter((url) => url.startsWith(EMULATOR) || url.endsWith('/src/demo-tenant.ts'))).toEqual([]);
  });
});
