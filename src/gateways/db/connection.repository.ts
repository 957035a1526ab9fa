import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  ConnectionRecord,
  ConnectionRepository,
  StoredConnection,
  SyncedGroupRepository,
  SyncedGroupView,
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

/** The synced groups in PostgreSQL. */
export class PgSyncedGroupRepository implements SyncedGroupRepository {
  constructor(private readonly em: EntityManager) {}

  async list(): Promise<SyncedGroupView[]> {
    return this.em.execute<SyncedGroupView[]>(
      'select entra_group_id as id, display_name as "displayName" from synced_group order by display_name',
    );
  }

  /** One query over the mirror: each group's transitive user members (32 levels at most, as the sync follows them). */
  async memberCounts(groupIds: readonly string[]): Promise<Map<string, number>> {
    if (!groupIds.length) return new Map();
    const rows = await this.em.execute<{ id: string; n: number }[]>(
      `with recursive roots as (
         select g.entra_id as id from entra_group g
          where g.removed is null and g.entra_id in (select lower(jsonb_array_elements_text(?::jsonb)))
       ), below(root, id, depth) as (
         select id, id, 0 from roots
         union
         select b.root, m.member_id, b.depth + 1 from below b join entra_group_member m on m.group_id = b.id where b.depth < 32
       )
       select r.id, (select count(distinct u.entra_id) from below b join entra_user u on u.entra_id = b.id and u.removed is null
                      where b.root = r.id)::int as n
         from roots r`,
      [JSON.stringify(groupIds)],
    );
    return new Map(rows.map((row) => [row.id, row.n]));
  }

  async ids(): Promise<string[]> {
    const rows = await this.em.execute<{ id: string }[]>(
      'select entra_group_id as id from synced_group order by entra_group_id',
    );
    return rows.map((r) => r.id);
  }

  async count(): Promise<number> {
    const [row] = await this.em.execute<{ n: string }[]>('select count(*) as n from synced_group');
    return Number(row!.n);
  }

  async replace(groups: Array<{ id: string; displayName: string }>): Promise<void> {
    await this.em.execute(
      'delete from synced_group where entra_group_id not in (select jsonb_array_elements_text(?::jsonb))',
      [JSON.stringify(groups.map((g) => g.id))],
    );
    await this.em.execute(
      `insert into synced_group (entra_group_id, display_name) select x.id, x.name from jsonb_to_recordset(?::jsonb) as x(id text, name text)
       on conflict (entra_group_id) do update set display_name = excluded.display_name`,
      [JSON.stringify(groups.map((g) => ({ id: g.id, name: g.displayName })))],
    );
  }

  async add(group: { id: string; displayName: string }): Promise<void> {
    await this.em.execute(
      'insert into synced_group (entra_group_id, display_name) values (?, ?) on conflict do nothing',
      [group.id, group.displayName],
    );
  }
}
