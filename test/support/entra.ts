import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { startTestService, type TestService } from './service.js';

export interface SyncHarness {
  emulator: RunningEmulator;
  service: TestService;
  /** The database the service runs on; it outlives restart() and is dropped by close(). */
  db: TestDatabase;
  /** The Entra settings the service was started with (for a second instance or process). */
  entraEnv: Record<string, string>;
  /** Stops the service (a running job gets the shutdown timeout); the database stays. */
  stopService(): Promise<void>;
  /** Stops the service unless stopped, and starts a new one on the same database. */
  restart(env?: Record<string, string>): Promise<TestService>;
  /** "Sync now" through the admin API, then wait for that run to end; returns the run. */
  syncNow(mode?: 'incremental' | 'full'): Promise<RunView>;
  close(): Promise<void>;
}

export interface RunView {
  id: string;
  status: string;
  trigger: string;
  mode: string;
  counts: Record<string, number>;
  error: string | null;
}

/**
 * The emulator plays Entra; the service is configured for it by settings alone (tenant, client,
 * secret, authority and Graph hosts, and the CA file), exactly as it would be for a real tenant.
 */
export async function startSyncHarness(
  options: { emulator?: EmulatorOptions; env?: Record<string, string> } = {},
): Promise<SyncHarness> {
  const emulator = await startEmulator({ quota: false, ...options.emulator });
  const caFile = join(tmpdir(), `ehc-emulator-ca-${process.pid}-${emulator.port}.pem`);
  writeFileSync(caFile, emulator.caCertPem);
  const entraEnv = {
    ENTRA_TENANT_ID: emulator.tenantId,
    ENTRA_CLIENT_ID: 'demo-client-id',
    ENTRA_CLIENT_SECRET: 'demo-client-secret',
    GRAPH_AUTHORITY_HOST: emulator.url,
    GRAPH_BASE_URL: emulator.url,
    GRAPH_CA_CERT_FILE: caFile,
    ...options.env,
  };
  const db = await createTestDatabase();
  let service = await startTestService({ env: entraEnv, db });
  let running = true;
  const stopService = async () => {
    if (running) await service.close();
    running = false;
  };
  return {
    emulator,
    get service() {
      return service;
    },
    db,
    entraEnv,
    stopService,
    async restart(env = {}) {
      await stopService();
      service = await startTestService({ env: { ...entraEnv, ...env }, db });
      running = true;
      return service;
    },
    async syncNow(mode = 'incremental') {
      const res = await service.api('/api/admin/sync/run', { method: 'POST', json: { mode } });
      if (res.status !== 202) throw new Error(`sync now answered ${res.status}: ${await res.text()}`);
      const { runId } = (await res.json()) as { runId: string };
      return waitForRun(service, runId);
    },
    async close() {
      await stopService();
      await db.drop();
      await emulator.close();
    },
  };
}

/** Polls a run by id until it has ended (neither queued nor running); fails after `timeoutMs`. */
export async function waitForRun(
  service: { api(path: string): Promise<Response> },
  runId: string,
  timeoutMs = 60_000,
): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await service.api(`/api/admin/sync/runs/${runId}`);
    if (res.status !== 200) throw new Error(`reading run ${runId} answered ${res.status}: ${await res.text()}`);
    const run = (await res.json()) as RunView;
    if (run.status !== 'queued' && run.status !== 'running') return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the sync run did not finish within ${timeoutMs / 1000} s`);
}
