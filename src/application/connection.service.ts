import { createPrivateKey } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  DEFAULT_AUTHORITY_HOST,
  DEFAULT_GRAPH_BASE_URL,
  hostsNotAllowed,
  type ConnectionProbe,
  type GraphConnectionOptions,
  type GraphCredential,
} from '../gateways/graph/index.js';
import { AppError } from './app-error.js';
import { PgAuditLog } from '../gateways/db/audit-log.repository.js';
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
  type FeatureSettings,
} from './connection-credential.js';
import type { ConnectionSource, EntraConnection } from './entra-connection.js';

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

interface ConnectionRow {
  tenant_id: string;
  client_id: string;
  credential_kind: 'secret' | 'certificate';
  credential_encrypted: string;
  client_secret_expires_at: string | null;
  connected: boolean;
  last_tested_at: Date | string | null;
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

const SELECT_ROW = `select tenant_id, client_id, credential_kind, credential_encrypted, to_char(client_secret_expires_at, 'YYYY-MM-DD') as client_secret_expires_at,
  connected, last_tested_at from entra_connection where id = 1`;

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

  async view(em: EntityManager): Promise<ConnectionView> {
    const live = this.deps.connection.describe();
    if (live && live.source !== 'admin') {
      const tested = this.lastTestedInMemory?.tenantId === live.tenantId ? this.lastTestedInMemory.at : null;
      return this.toView({ ...live, connected: true, lastTestedAt: tested });
    }
    const row = await readRow(em);
    if (live) return this.toView({ ...live, connected: true, lastTestedAt: row?.last_tested_at ?? null });
    return this.toView({
      connected: false,
      source: null,
      tenantId: row?.tenant_id ?? null,
      clientId: row?.client_id ?? null,
      credentialKind: null,
      clientSecretExpiresAt: null,
      lastTestedAt: row?.last_tested_at ?? null,
    });
  }

  /**
   * Sets the connection. The stored secret is kept only while it would go to the same place: a
   * change of tenant, client id, authority host or Graph URL must bring the secret (or certificate)
   * again, so nobody can redirect a secret they do not know. Hosts outside Microsoft's clouds are
   * refused unless the configuration names them.
   */
  async set(em: EntityManager, input: ConnectionInput, actorId: string): Promise<ConnectionView> {
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
    await em.transactional(async (tx) => {
      const row = (await tx.execute<ConnectionRow[]>(`${SELECT_ROW} for update`))[0] ?? null;
      const stored = row?.credential_encrypted ? this.openStored(row.credential_encrypted) : null;
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
      await tx.execute(
        `insert into entra_connection (id, tenant_id, client_id, credential_kind, credential_encrypted, certificate_thumbprint, client_secret_expires_at, connected, last_tested_at, updated_at)
         values (1, ?, ?, ?, ?, ?, ?::date, true, null, now())
         on conflict (id) do update set tenant_id = excluded.tenant_id, client_id = excluded.client_id, credential_kind = excluded.credential_kind,
           credential_encrypted = excluded.credential_encrypted, certificate_thumbprint = excluded.certificate_thumbprint,
           client_secret_expires_at = excluded.client_secret_expires_at, connected = true, last_tested_at = null, updated_at = now()`,
        [
          input.tenantId,
          input.clientId,
          credential.kind,
          sealed,
          credential.kind === 'certificate' ? credential.thumbprintSha256 : null,
          expiresAt,
        ],
      );
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
    return this.view(em);
  }

  /** Rule 1.4: the next sync finds no connection and is skipped; HR users stay as they are. */
  async disconnect(em: EntityManager, actorId: string): Promise<ConnectionView> {
    this.refuseWhenConfigured('disconnected');
    await em.transactional(async (tx) => {
      const before = (await tx.execute<ConnectionRow[]>(`${SELECT_ROW} for update`))[0] ?? null;
      await tx.execute(
        `update entra_connection set connected = false, credential_encrypted = '', certificate_thumbprint = null,
           client_secret_expires_at = null, updated_at = now() where id = 1`,
      );
      const live = this.deps.connection.describe();
      await audit(
        tx,
        actorId,
        'entra-connection.disconnect',
        live ? { tenantId: live.tenantId, clientId: live.clientId, source: live.source } : before && publicPart(before),
        {
          connected: false,
          credential: before?.credential_encrypted ? '[erased]' : null,
        },
      );
      this.deps.connection.disconnect();
    });
    this.lastTestedInMemory = null;
    return this.view(em);
  }

  /** Rule 1.3: proves the credential and names each missing permission. */
  async test(em: EntityManager, actorId: string): Promise<ConnectionTestView> {
    const tester = this.deps.connection.tester();
    const live = this.deps.connection.describe();
    if (!tester || !live) throw new AppError('conflict', 'No Entra connection is configured');
    const [settings] = await em.execute<FeatureSettings[]>(
      'select write_back_update, write_back_create, write_back_delete, calendar_sync from integration_settings where id = 1',
    );
    const groups = await em.execute<{ id: string }[]>(
      'select entra_group_id as id from synced_group order by entra_group_id',
    );
    const expiresAt = live.clientSecretExpiresAt ? new Date(`${live.clientSecretExpiresAt}T00:00:00Z`) : undefined;
    const result = await tester.testConnection(
      featuresFromSettings(settings!),
      groups.map((g) => g.id),
      expiresAt,
    );
    const testedAt = this.now();
    if (live.source === 'admin') {
      await em.execute('update entra_connection set last_tested_at = ? where id = 1 and connected and tenant_id = ?', [
        testedAt,
        live.tenantId,
      ]);
    } else {
      this.lastTestedInMemory = { tenantId: live.tenantId, at: testedAt };
    }
    const { credentials } = result;
    await audit(em, actorId, 'entra-connection.test', null, {
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
  async restore(em: EntityManager): Promise<'connected' | 'disconnected' | 'none'> {
    const row = await readRow(em);
    if (!row) return 'none';
    if (!row.connected || !row.credential_encrypted) return 'disconnected';
    const stored = openCredential(this.deps.box, row.credential_encrypted);
    const refused = hostsNotAllowed(stateOf(row, stored), this.deps.hosts?.trusted() ?? []);
    // A host the configuration trusted when the connection was set, and no longer names.
    if (refused.length)
      throw new Error(
        `The stored Entra connection uses a host the configuration no longer allows (${refused.join(', ')})`,
      );
    this.deps.connection.connect(
      { tenantId: row.tenant_id, clientId: row.client_id, ...stored },
      'admin',
      row.client_secret_expires_at,
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

async function readRow(em: EntityManager): Promise<ConnectionRow | null> {
  return (await em.execute<ConnectionRow[]>(SELECT_ROW))[0] ?? null;
}

function publicPart(row: ConnectionRow) {
  return {
    tenantId: row.tenant_id,
    clientId: row.client_id,
    credentialKind: row.credential_kind,
    clientSecretExpiresAt: row.client_secret_expires_at,
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

function stateOf(row: ConnectionRow, stored: StoredCredential): ConnectionState {
  return {
    tenantId: row.tenant_id,
    clientId: row.client_id,
    // Rows sealed without hosts used Microsoft's global cloud.
    authorityHost: trimSlash(stored.authorityHost ?? DEFAULT_AUTHORITY_HOST),
    graphBaseUrl: trimSlash(stored.graphBaseUrl ?? DEFAULT_GRAPH_BASE_URL),
    credentialKind: row.credential_kind,
    clientSecretExpiresAt: row.client_secret_expires_at,
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
  em: EntityManager,
  actorId: string,
  action: string,
  oldValue: unknown,
  newValue: unknown,
): Promise<void> {
  await new PgAuditLog(em).record([{ actorId, action, target: 'entraConnection', oldValue, newValue }]);
}
