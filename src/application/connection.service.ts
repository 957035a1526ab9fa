import { createPrivateKey } from 'node:crypto';
import {
  DEFAULT_AUTHORITY_HOST,
  DEFAULT_GRAPH_BASE_URL,
  hostsNotAllowed,
  type ConnectionProbe,
  type GraphConnectionOptions,
  type GraphCredential,
} from '../gateways/graph/index.js';
import { AppError } from './app-error.js';
import {
  ADDRESS_FIELDS,
  describeChange,
  sameAddress,
  sameSecret,
  trimSlash,
  type ConnectionState,
} from './connection-change.js';
import {
  featuresFromSettings,
  type StoredCredential,
  openCredential,
  sealCredential,
  secretExpiryWarning,
  type CredentialSealer,
} from './connection-credential.js';
import type { ConnectionSource, EntraConnection } from './entra-connection.js';
import type { StoredConnection } from './ports/connection.port.js';
import type { Repositories } from './ports/repositories.port.js';

export interface ConnectionView {
  connected: boolean;
  source: ConnectionSource | null;
  tenantId: string | null;
  clientId: string | null;
  credentialKind: 'secret' | 'certificate' | null;
  clientSecretExpiresAt: string | null;
  secretExpiryWarning: string | null;
  lastTestedAt: string | null;
}

export interface ConnectionInput {
  tenantId: string;
  clientId: string;
  /** Absent: keep the stored secret or certificate (the admin changes only ids, dates or hosts). */
  credential?: GraphCredential;
  /** Absent: keep the stored date while the stored secret is kept; null: no date. */
  clientSecretExpiresAt?: string | null;
  /** Absent: the configured host (GRAPH_AUTHORITY_HOST), else Microsoft's global cloud. */
  authorityHost?: string;
  graphBaseUrl?: string;
}

export interface ConnectionTestView {
  ok: boolean;
  missingPermissions: string[];
  grantedPermissions: string[];
  requiredPermissions: string[];
  probes: ConnectionProbe[];
  credentialError?: { failure: string; code: string; message: string };
  problems: string[];
  warnings: string[];
  testedAt: string;
}

export interface ConnectionServiceDeps {
  connection: EntraConnection;
  box: CredentialSealer;
  /**
   * Hosts beyond Microsoft's clouds that the connection may use, because the configuration names
   * them (GRAPH_AUTHORITY_HOST, GRAPH_BASE_URL) or the service runs its own demo emulator.
   */
  hosts?: TrustedGraphHosts;
  now?: () => Date;
}

/** What the configuration says about Graph hosts; the API can never add to it. */
export interface TrustedGraphHosts {
  /** Default for a connection set without an authority host. */
  authorityHost?: string;
  /** Default for a connection set without a Graph URL. */
  graphBaseUrl?: string;
  /** Every non-Microsoft URL allowed (the two above, the demo emulator). */
  trusted(): readonly string[];
}

/**
 * The Entra connection as the admin manages it (rules 1.2-1.4): set it, test it, disconnect it.
 * The running EntraConnection changes with the stored row, in the same transaction, so what the
 * admin sees is what the jobs use. Secrets are sealed before they reach the database and never
 * leave this class in a view, an error or a log line.
 */
export class ConnectionService {
  /** Test time of a connection that has no row (configuration or demo). */
  private lastTestedInMemory: { tenantId: string; at: Date } | null = null;
  private readonly now: () => Date;

  constructor(private readonly deps: ConnectionServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async view(repos: Repositories): Promise<ConnectionView> {
    const live = this.deps.connection.describe();
    if (live && live.source !== 'admin') {
      const tested = this.lastTestedInMemory?.tenantId === live.tenantId ? this.lastTestedInMemory.at : null;
      return this.toView({ ...live, connected: true, lastTestedAt: tested });
    }
    const row = await repos.connection.read();
    if (live) return this.toView({ ...live, connected: true, lastTestedAt: row?.lastTestedAt ?? null });
    return this.toView({
      connected: false,
      source: null,
      tenantId: row?.tenantId ?? null,
      clientId: row?.clientId ?? null,
      credentialKind: null,
      clientSecretExpiresAt: null,
      lastTestedAt: row?.lastTestedAt ?? null,
    });
  }

  /**
   * Sets the connection. The stored secret is kept only while it would go to the same place: a
   * change of tenant, client id, authority host or Graph URL must bring the secret (or certificate)
   * again, so nobody can redirect a secret they do not know. Hosts outside Microsoft's clouds are
   * refused unless the configuration names them.
   */
  async set(repos: Repositories, input: ConnectionInput, actorId: string): Promise<ConnectionView> {
    this.refuseWhenConfigured('changed');
    const hosts = {
      authorityHost: trimSlash(input.authorityHost ?? this.deps.hosts?.authorityHost ?? DEFAULT_AUTHORITY_HOST),
      graphBaseUrl: trimSlash(input.graphBaseUrl ?? this.deps.hosts?.graphBaseUrl ?? DEFAULT_GRAPH_BASE_URL),
    };
    const refused = hostsNotAllowed(hosts, this.deps.hosts?.trusted() ?? []);
    if (refused.length) {
      throw new AppError(
        'validation_failed',
        `Only Microsoft's cloud hosts may be set here (${refused.join(', ')}); another host must be named in the configuration (GRAPH_AUTHORITY_HOST, GRAPH_BASE_URL)`,
        refused.map((field) => ({
          path: `body.${field}`,
          message: 'not a Microsoft cloud host and not one the configuration names',
        })),
      );
    }
    await repos.transaction(async (tx) => {
      const row = await tx.connection.lock();
      const stored = row?.sealedCredential ? this.openStored(row.sealedCredential) : null;
      const before = row && stored ? stateOf(row, stored) : null;
      const credential = input.credential ?? this.storedCredential(before, stored, input, hosts);
      const sameCredential = stored !== null && sameSecret(stored.credential, credential);
      const expiresAt = secretExpiry(
        credential,
        input.clientSecretExpiresAt,
        sameCredential ? before!.clientSecretExpiresAt : null,
      );
      if (credential.kind === 'certificate') assertReadableKey(credential.privateKeyPem);
      const options: GraphConnectionOptions = {
        tenantId: input.tenantId,
        clientId: input.clientId,
        credential,
        ...hosts,
      };
      const sealed = sealCredential(this.deps.box, { credential, ...hosts });
      await tx.connection.save({
        tenantId: input.tenantId,
        clientId: input.clientId,
        credentialKind: credential.kind,
        sealedCredential: sealed,
        certificateThumbprint: credential.kind === 'certificate' ? credential.thumbprintSha256 : null,
        clientSecretExpiresAt: expiresAt,
      });
      const after: ConnectionState = {
        tenantId: input.tenantId,
        clientId: input.clientId,
        ...hosts,
        credentialKind: credential.kind,
        clientSecretExpiresAt: expiresAt,
      };
      const change = describeChange(before, after, !sameCredential, row?.connected ?? false);
      await audit(tx, actorId, 'entra-connection.set', change.oldValue, change.newValue);
      // Last, so a refusal rolls the row back; the gateway validates the options once more.
      this.connectOrRefuse(options, expiresAt);
    });
    return this.view(repos);
  }

  /** Rule 1.4: the next sync finds no connection and is skipped; HR users stay as they are. */
  async disconnect(repos: Repositories, actorId: string): Promise<ConnectionView> {
    this.refuseWhenConfigured('disconnected');
    await repos.transaction(async (tx) => {
      const before = await tx.connection.lock();
      await tx.connection.disconnect();
      const live = this.deps.connection.describe();
      await audit(
        tx,
        actorId,
        'entra-connection.disconnect',
        live ? { tenantId: live.tenantId, clientId: live.clientId, source: live.source } : before && publicPart(before),
        {
          connected: false,
          credential: before?.sealedCredential ? '[erased]' : null,
        },
      );
      this.deps.connection.disconnect();
    });
    this.lastTestedInMemory = null;
    return this.view(repos);
  }

  /** Rule 1.3: proves the credential and names each missing permission. */
  async test(repos: Repositories, actorId: string): Promise<ConnectionTestView> {
    const tester = this.deps.connection.tester();
    const live = this.deps.connection.describe();
    if (!tester || !live) throw new AppError('conflict', 'No Entra connection is configured');
    const settings = await repos.settings.read();
    const groups = await repos.syncedGroups.ids();
    const expiresAt = live.clientSecretExpiresAt ? new Date(`${live.clientSecretExpiresAt}T00:00:00Z`) : undefined;
    const result = await tester.testConnection(featuresFromSettings(settings), groups, expiresAt);
    const testedAt = this.now();
    if (live.source === 'admin') {
      await repos.connection.markTested(live.tenantId, testedAt);
    } else {
      this.lastTestedInMemory = { tenantId: live.tenantId, at: testedAt };
    }
    const { credentials } = result;
    await audit(repos, actorId, 'entra-connection.test', null, {
      tenantId: live.tenantId,
      clientId: live.clientId,
      source: live.source,
      ok: result.ok,
      missingPermissions: result.missingPermissions,
      ...(credentials.ok ? {} : { credentialFailure: credentials.failure }),
    });
    return {
      ok: result.ok,
      missingPermissions: result.missingPermissions,
      grantedPermissions: result.grantedPermissions,
      requiredPermissions: result.requiredPermissions,
      probes: result.probes,
      ...(credentials.ok
        ? {}
        : { credentialError: { failure: credentials.failure, code: credentials.code, message: credentials.message } }),
      problems: result.problems,
      warnings: result.warnings,
      testedAt: testedAt.toISOString(),
    };
  }

  /**
   * Start-up (after configuration, before demo mode): connects the stored admin connection.
   * 'disconnected' when an admin disconnected it, so the caller does not fall back to a demo
   * tenant whose sync would meet the real tenant's HR users.
   */
  async restore(repos: Repositories): Promise<'connected' | 'disconnected' | 'none'> {
    const row = await repos.connection.read();
    if (!row) return 'none';
    if (!row.connected || !row.sealedCredential) return 'disconnected';
    const stored = openCredential(this.deps.box, row.sealedCredential);
    const refused = hostsNotAllowed(stateOf(row, stored), this.deps.hosts?.trusted() ?? []);
    // A host the configuration trusted when the connection was set, and no longer names.
    if (refused.length)
      throw new Error(
        `The stored Entra connection uses a host the configuration no longer allows (${refused.join(', ')})`,
      );
    this.deps.connection.connect(
      { tenantId: row.tenantId, clientId: row.clientId, ...stored },
      'admin',
      row.clientSecretExpiresAt,
    );
    return 'connected';
  }

  /**
   * The stored secret or certificate, when the input sends it where it already goes; else a 400
   * naming the field to give and what changed.
   */
  private storedCredential(
    before: ConnectionState | null,
    stored: StoredCredential | null,
    input: ConnectionInput,
    hosts: Pick<ConnectionState, 'authorityHost' | 'graphBaseUrl'>,
  ): GraphCredential {
    if (!before || !stored) {
      throw new AppError('validation_failed', 'Give a clientSecret or a certificate', [
        { path: 'body.clientSecret', message: 'required: no credential is stored' },
      ]);
    }
    const next = { tenantId: input.tenantId, clientId: input.clientId, ...hosts };
    const changed = ADDRESS_FIELDS.filter((field) => !sameAddress(field, before[field], next[field]));
    if (changed.length) {
      const field = stored.credential.kind === 'certificate' ? 'body.certificate' : 'body.clientSecret';
      throw new AppError(
        'validation_failed',
        `Changing ${changed.join(', ')} needs the ${stored.credential.kind === 'certificate' ? 'certificate' : 'client secret'} again; nothing was changed`,
        [{ path: field, message: `required when ${changed.join(', ')} change${changed.length === 1 ? 's' : ''}` }],
      );
    }
    return stored.credential;
  }

  /** A stored credential that cannot be opened (ENCRYPTION_KEY changed) counts as none: the admin gives it again. */
  private openStored(sealed: string): StoredCredential | null {
    try {
      return openCredential(this.deps.box, sealed);
    } catch {
      return null;
    }
  }

  private connectOrRefuse(options: GraphConnectionOptions, expiresAt: string | null): void {
    try {
      this.deps.connection.connect(options, 'admin', expiresAt);
    } catch (error) {
      // The gateway's message names option paths only, never their values.
      const detail = error instanceof TypeError ? error.message : 'The connection options are not valid';
      throw new AppError('validation_failed', detail);
    }
  }

  private refuseWhenConfigured(what: string): void {
    if (this.deps.connection.describe()?.source === 'configuration') {
      throw new AppError(
        'conflict',
        `The Entra connection comes from the configuration (ENTRA_*) and cannot be ${what} here; change the configuration instead`,
      );
    }
  }

  private toView(
    v: Omit<ConnectionView, 'secretExpiryWarning' | 'lastTestedAt'> & { lastTestedAt: Date | string | null },
  ): ConnectionView {
    const expiresAt = v.credentialKind === 'secret' ? v.clientSecretExpiresAt : null;
    return {
      connected: v.connected,
      source: v.source,
      tenantId: v.tenantId,
      clientId: v.clientId,
      credentialKind: v.credentialKind,
      clientSecretExpiresAt: expiresAt,
      secretExpiryWarning: secretExpiryWarning(expiresAt, this.now()),
      lastTestedAt: v.lastTestedAt === null ? null : new Date(v.lastTestedAt).toISOString(),
    };
  }
}

function publicPart(row: StoredConnection) {
  return {
    tenantId: row.tenantId,
    clientId: row.clientId,
    credentialKind: row.credentialKind,
    clientSecretExpiresAt: row.clientSecretExpiresAt,
  };
}

function secretExpiry(
  credential: GraphCredential,
  expiresAt: string | null | undefined,
  kept: string | null,
): string | null {
  if (credential.kind === 'secret') return expiresAt === undefined ? kept : expiresAt;
  if (!expiresAt) return null;
  throw new AppError('validation_failed', 'clientSecretExpiresAt goes with a client secret, not a certificate', [
    { path: 'body.clientSecretExpiresAt', message: 'only with clientSecret' },
  ]);
}

function stateOf(row: StoredConnection, stored: StoredCredential): ConnectionState {
  return {
    tenantId: row.tenantId,
    clientId: row.clientId,
    // Rows sealed without hosts used Microsoft's global cloud.
    authorityHost: trimSlash(stored.authorityHost ?? DEFAULT_AUTHORITY_HOST),
    graphBaseUrl: trimSlash(stored.graphBaseUrl ?? DEFAULT_GRAPH_BASE_URL),
    credentialKind: row.credentialKind,
    clientSecretExpiresAt: row.clientSecretExpiresAt,
  };
}

function assertReadableKey(privateKeyPem: string): void {
  try {
    createPrivateKey(privateKeyPem);
  } catch {
    // Node's message could quote part of the key: say only what is wrong.
    throw new AppError('validation_failed', 'The certificate private key is not a readable PEM key', [
      { path: 'body.certificate.privateKeyPem', message: 'not a PEM private key' },
    ]);
  }
}

/** Audit rows carry ids, dates and hosts; the credential itself only as '[set]' or '[erased]'. */
async function audit(
  repos: Repositories,
  actorId: string,
  action: string,
  oldValue: unknown,
  newValue: unknown,
): Promise<void> {
  await repos.audit.record([{ actorId, action, target: 'entraConnection', oldValue, newValue }]);
}
