/**
 * Runs the Graph emulator on its own:
 *
 *   npm run emulator -- [--port 8443] [--users 200] [--seed 42] [--latency-ms 0] [--quota true|false]
 *                       [--ca-file path] [--host 127.0.0.1] [--tenant-id GUID]
 *
 * Each flag can also come from the environment (EMULATOR_PORT, EMULATOR_USERS, EMULATOR_SEED,
 * EMULATOR_LATENCY_MS, EMULATOR_QUOTA, EMULATOR_CA_FILE, EMULATOR_HOST, EMULATOR_TENANT_ID). Prints the
 * connection details, then one JSON line `{"ready":true,...}` that scripts wait for.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    users: { type: 'string' },
    seed: { type: 'string' },
    'latency-ms': { type: 'string' },
    quota: { type: 'string' },
    'ca-file': { type: 'string' },
    host: { type: 'string' },
    'tenant-id': { type: 'string' },
  },
  allowPositionals: false,
});

const env = process.env;
const port = Number(values.port ?? env['EMULATOR_PORT'] ?? 8443);
const users = Number(values.users ?? env['EMULATOR_USERS'] ?? 200);
const seed = Number(values.seed ?? env['EMULATOR_SEED'] ?? 42);
const latencyMs = Number(values['latency-ms'] ?? env['EMULATOR_LATENCY_MS'] ?? 0);
const quota = (values.quota ?? env['EMULATOR_QUOTA'] ?? 'true') !== 'false';
const host = values.host ?? env['EMULATOR_HOST'] ?? '127.0.0.1';
const tenantId = values['tenant-id'] ?? env['EMULATOR_TENANT_ID'];

async function main(): Promise<void> {
  const started = performance.now();
  const emulator = await startEmulator({
    host,
    port,
    quota,
    ...(tenantId ? { tenantId } : {}),
    ...(users > 0 ? { seed: { users, seed } } : {}),
  });
  if (latencyMs > 0) await emulator.control.setLatency(latencyMs);
  const caFile =
    values['ca-file'] ?? env['EMULATOR_CA_FILE'] ?? join(tmpdir(), `graph-emulator-ca-${emulator.port}.pem`);
  writeFileSync(caFile, emulator.caCertPem);
  const readyMs = Math.round(performance.now() - started);
  console.log(
    `Graph emulator listening on ${emulator.url} (Graph base ${emulator.url}/v1.0), ${users} users, seed ${seed}, quota ${quota ? 'on' : 'off'}, ready in ${readyMs} ms`,
  );
  console.log(`  tenant id:     ${emulator.tenantId}`);
  console.log(`  authority:     ${emulator.authority}  (knownAuthorities: ["${emulator.host}:${emulator.port}"])`);
  console.log('  client id:     demo-client-id');
  console.log('  client secret: demo-client-secret');
  console.log(`  CA file:       ${caFile}  (trust it with NODE_EXTRA_CA_CERTS=${caFile})`);
  console.log(`  control API:   ${emulator.url}/_control/summary`);
  console.log(
    JSON.stringify({
      ready: true,
      url: emulator.url,
      caFile,
      tenantId: emulator.tenantId,
      authority: emulator.authority,
      clientId: 'demo-client-id',
      clientSecret: 'demo-client-secret',
      users,
      readyMs,
    }),
  );
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
