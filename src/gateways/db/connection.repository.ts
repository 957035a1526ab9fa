import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  ConnectionRecord,
  ConnectionRepository,
  StoredConnection,
} from '../../application/ports/connection.port.js';

const SELECT_ROW = `select tenant_id as "tenantId", client_id as "clientId", credential_kind as "credentialKind",
  credential_encrypted as "sealedCredential", to_char(client_secret_expires_at, 'YYYY-MM-DD') as "clientSecretExpiresAt",
  connected, last_tested_at as "lastTestedAt" from entra_connection where id = 1`;

/** entra_connection: the one connection an admin stored, its credential sealed by the caller. */
export class PgConnectionRepository implements ConnectionRepository {
  constructor(private readonly em: EntityManager) {}

  async read(): Promise<StoredConnection | null> {
    return (await this.em.execute<StoredConnection[]>(SELECT_ROW))[0] ?? null;
  }

  async lock(): Promise<StoredConnection | null> {
    return (await this.em.execute<StoredConnection[]>(`${SELECT_ROW} for update`))[0] ?? null;
  }

  async save(c: ConnectionRecord): Promise<void> {
    await this.em.execute(
      `insert into entra_connection (id, tenant_id, client_id, credential_kind, credential_encrypted, certificate_thumbprint, client_secret_expires_at, connected, last_tested_at, updated_at)
       values (1, ?, ?, ?, ?, ?, ?::date, true, null, now())
       on conflict (id) do update set tenant_id = excluded.tenant_id, client_id = excluded.client_id, credential_kind = excluded.credential_kind,
         credential_encrypted = excluded.credential_encrypted, certificate_thumbprint = excluded.certificate_thumbprint,
         client_secret_expires_at = excluded.client_secret_expires_at, connected = true, last_tested_at = null, updated_at = now()`,
      [c.tenantId, c.clientId, c.credentialKind, c.sealedCredential, c.certificateThumbprint, c.clientSecretExpiresAt],
    );
  }

  async disconnect(): Promise<void> {
    await this.em.execute(
      `update entra_connection set connected = false, credential_encrypted = '', certificate_thumbprint = null,
         client_secret_expires_at = null, updated_at = now() where id = 1`,
    );
  }

  async markTested(tenantId: string, at: Date): Promise<void> {
    await this.em.execute(
      'update entra_connection set last_tested_at = ? where id = 1 and connected and tenant_id = ?',
      [at, tenantId],
    );
  }
}
