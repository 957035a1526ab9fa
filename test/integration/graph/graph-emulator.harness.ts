import tls from 'node:tls';
import { pino } from 'pino';
import { startEmulator } from '../../../src/emulator/index.js';
import {
  GraphConnectionTester,
  GraphDirectoryGateway,
  GraphGroupsGateway,
  GraphSession,
  GraphUserWritesGateway,
  GraphUsersGateway,
  type GraphConnectionOptions,
} from '../../../src/gateways/graph/index.js';

export type RunningEmulator = Awaited<ReturnType<typeof startEmulator>>;

/**
 * Starts the emulator in this process and trusts its self-signed certificate, the way the
 * composition root does for a configured CA (tls.setDefaultCACertificates, Node 24). The gateway
 * itself knows nothing of it: it only gets the URLs below as options.
 */
export async function startTrustedEmulator(
  options: Parameters<typeof startEmulator>[0] = {},
): Promise<RunningEmulator> {
  const emulator = await startEmulator(options);
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), emulator.caCertPem]);
  return emulator;
}

/** Records the waits instead of sleeping, so retry tests run instantly. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; slept: number[] } {
  const slept: number[] = [];
  return { slept, sleep: async (ms) => void slept.push(ms) };
}

export function gatewayOptions(
  emulator: RunningEmulator,
  overrides: Partial<GraphConnectionOptions> = {},
): GraphConnectionOptions {
  return {
    tenantId: emulator.tenantId,
    clientId: 'demo-client-id',
    credential: { kind: 'secret', clientSecret: 'demo-client-secret' },
    authorityHost: emulator.url,
    graphBaseUrl: emulator.url,
    logger: pino({ level: 'silent' }),
    ...overrides,
  };
}

export interface GraphGateways {
  directory: GraphDirectoryGateway;
  users: GraphUsersGateway;
  groups: GraphGroupsGateway;
  writes: GraphUserWritesGateway;
  tester: GraphConnectionTester;
}

/** Every gateway of one connection over one session, as the composition root opens them. */
export function openGateways(options: GraphConnectionOptions): GraphGateways {
  const session = new GraphSession(options);
  return {
    directory: new GraphDirectoryGateway(session),
    users: new GraphUsersGateway(session),
    groups: new GraphGroupsGateway(session),
    writes: new GraphUserWritesGateway(session),
    tester: new GraphConnectionTester(session),
  };
}

/** Collects an async iterator of pages (fine for small test tenants only). */
export async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const all: T[][] = [];
  for await (const page of pages) all.push(page);
  return all;
}
