import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AppConfig } from './config/config.js';
import type { EntraConnection } from './application/entra-connection.js';
import type { SyncedGroupRepository } from './application/ports/connection.port.js';
import { StartupError } from './gateways/db/data-dir-lock.js';
import { trustCertificateAuthority } from './gateways/graph/tls-trust.js';
import { startEmulator } from './emulator/index.js';

/**
 * Demo mode: the Graph emulator with a generated tenant, and the connection pointed at it exactly as
 * at a real tenant. The only module of the connector that imports the emulator; the composition root
 * loads it only when demo mode is on (README "The demo tenant").
 */
export async function startDemoTenant(deps: {
  config: AppConfig;
  connection: EntraConnection;
  /** The hosts a connection may use: the demo's own emulator joins them. */
  hosts: { add(url: string): void };
  syncedGroups: () => SyncedGroupRepository;
  logger: Logger;
}): Promise<{ close: () => Promise<void>; demo: true }> {
  const { config, connection, hosts, logger } = deps;
  // A fixed port (DEMO_EMULATOR_PORT), so the emulator's control API has an address to write down.
  const emulator = await startEmulator({
    seed: { users: config.DEMO_USERS },
    quota: true,
    port: config.DEMO_EMULATOR_PORT,
  }).catch((error: unknown) => {
    if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
    throw new StartupError(
      `DEMO_EMULATOR_PORT ${config.DEMO_EMULATOR_PORT} is in use (another demo service?): stop it, or set DEMO_EMULATOR_PORT to a free port (0 picks one)`,
    );
  });
  trustCertificateAuthority(emulator.caCertPem);
  // The demo's own emulator is a host the service chose, so an admin may connect to it too.
  hosts.add(emulator.url);
  // The emulator's certificate is new at each start; written beside the data so curl can trust it.
  const caFile = join(config.DATA_DIR, 'demo-emulator-ca.pem');
  mkdirSync(config.DATA_DIR, { recursive: true, mode: 0o700 });
  writeFileSync(caFile, emulator.caCertPem, { mode: 0o600 });
  connection.connect(
    {
      tenantId: emulator.tenantId,
      clientId: 'demo-client-id',
      credential: { kind: 'secret', clientSecret: 'demo-client-secret' },
      authorityHost: emulator.url,
      graphBaseUrl: emulator.url,
    },
    'demo',
  );
  await selectDemoGroup(deps.syncedGroups(), connection);
  logger.info(
    { emulator: emulator.url, users: config.DEMO_USERS },
    'demo mode: no Entra credentials configured, so the service syncs a generated demo tenant served by the built-in Graph emulator',
  );
  logger.info(
    { control: `${emulator.url}/_control`, example: `curl --cacert ${caFile} ${emulator.url}/_control/summary` },
    "demo mode: the emulator's control API (loopback only) changes the demo tenant: add users, move them between groups, inject faults (see the README)",
  );
  return { close: () => emulator.close(), demo: true };
}

/** A fresh demo has something to sync: the tenant's "All Staff" group, read through Graph, until the admin chooses. */
async function selectDemoGroup(groups: SyncedGroupRepository, connection: EntraConnection): Promise<void> {
  if ((await groups.count()) > 0) return;
  for await (const page of connection.groups()!.listGroups({ search: 'All Staff' })) {
    const group = page.find((g) => g.displayName === 'All Staff');
    if (group) {
      await groups.add({ id: group.id, displayName: group.displayName! });
      return;
    }
  }
}
