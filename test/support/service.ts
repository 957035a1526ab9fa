import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { startService, type RunningService, type ServiceOverrides } from '../../src/service.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestService extends RunningService {
  db: TestDatabase;
  /** Calls the API as the bootstrap administrator unless another token is given. */
  api(path: string, init?: RequestInit & { token?: string | null; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** The settings every test service runs with (also for a service started as a process of its own). */
export function testServiceEnv(
  databaseUrl: string,
  dataDir: string,
  env: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    ADMIN_TOKEN,
    DEMO_MODE: 'off',
    DEMO_EMULATOR_PORT: '0',
    JOB_POLL_INTERVAL: '1 second',
    RATE_LIMIT_PER_MINUTE: '100000',
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...env,
  };
}

/** Starts the whole service in-process on a database of its own, the way main.ts does. */
export async function startTestService(
  options: { env?: Record<string, string>; db?: TestDatabase; overrides?: ServiceOverrides } = {},
): Promise<TestService> {
  const db = options.db ?? (await createTestDatabase());
  const dataDir = mkdtempSync(join(tmpdir(), 'ehc-test-'));
  const config: AppConfig = loadConfig(testServiceEnv(db.url, dataDir, options.env));
  const service = await startService(config, pino({ level: config.LOG_LEVEL }), options.overrides);
  return {
    ...service,
    db,
    async api(path, init = {}) {
      const headers = new Headers(init.headers);
      const token = init.token === undefined ? ADMIN_TOKEN : init.token;
      if (token) headers.set('Authorization', `Bearer ${token}`);
      let bodyInit = init.body;
      if (init.json !== undefined) {
        headers.set('Content-Type', 'application/json');
        bodyInit = JSON.stringify(init.json);
      }
      return fetch(`${service.url}${path}`, { ...init, headers, body: bodyInit });
    },
    async close() {
      await service.stop();
      if (!options.db) await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
