/**
 * Measures the emulator alone: time to generate N users, time to start with them, heap after load,
 * and the time to serve 999-user pages (in the server, and as seen by a client on loopback).
 *
 *   node_modules/.bin/node --expose-gc --import tsx scripts/emulator-measure.ts [--users 100000]
 */
import tls from 'node:tls';
import { parseArgs } from 'node:util';
import { startEmulator } from '../src/emulator/index.js';
import { generateTenant } from '../src/emulator/tenant-generator.js';

const { values } = parseArgs({ options: { users: { type: 'string', default: '100000' } } });
const USERS = Number(values.users);
const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);

async function main(): Promise<void> {
  let started = performance.now();
  generateTenant({ users: USERS, seed: 42, domains: ['contoso.com', 'fabrikam.com'] });
  console.log(`generate ${USERS} users: ${Math.round(performance.now() - started)} ms`);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  started = performance.now();
  const emulator = await startEmulator({ seed: { users: USERS } });
  console.log(`startEmulator with ${USERS} users: ${Math.round(performance.now() - started)} ms`);
  gc();
  console.log(
    `heap held by the tenant: ${mb(process.memoryUsage().heapUsed - heapBefore)} MB (rss ${mb(process.memoryUsage().rss)} MB)`,
  );
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), emulator.caCertPem]);
  const tokenReply = await fetch(`${emulator.authority}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: 'demo-client-id',
      client_secret: 'demo-client-secret',
      grant_type: 'client_credentials',
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  const { access_token: token } = (await tokenReply.json()) as { access_token: string };
  let url: string | undefined =
    `${emulator.url}/v1.0/users?$select=id,displayName,mail,userPrincipalName,employeeId,department,jobTitle,accountEnabled&$top=999`;
  const clientMs: number[] = [];
  let users = 0;
  while (url) {
    const t = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { value: unknown[]; '@odata.nextLink'?: string };
    clientMs.push(performance.now() - t);
    users += body.value.length;
    url = body['@odata.nextLink'];
  }
  const stats = await emulator.control.stats();
  clientMs.sort((a, b) => a - b);
  const p95 = clientMs[Math.ceil(clientMs.length * 0.95) - 1] ?? 0;
  console.log(
    `paged ${users} users in ${clientMs.length} pages; server p95 ${stats.servePageP95Ms} ms, client p95 ${p95.toFixed(1)} ms`,
  );
  await emulator.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
