import type { EntityManager } from '@mikro-orm/postgresql';
import type { RoleMappingRepository, RoleMappingView } from '../../application/ports/role.port.js';
import { isoUtc } from './sql-time.js';

const MAPPING_VIEW = `select m.id, m.entra_group_id as "groupId", m.group_display_name as "groupDisplayName", m.role_id as "roleId",
    r.name as "roleName", ${isoUtc('m.created_at')} as "createdAt"
  from group_role_mapping m join role r on r.id = m.role_id`;

/** Entra group -> HR role mappings in PostgreSQL. */
export class PgRoleMappingRepository implements RoleMappingRepository {
  constructor(private readonly em: EntityManager) {}

  async list(): Promise<RoleMappingView[]> {
    return this.em.execute<RoleMappingView[]>(
      `${MAPPING_VIEW} order by lower(m.group_display_name), m.entra_group_id, lower(r.name)`,
    );
  }

  async view(id: string): Promise<RoleMappingView | null> {
    const rows = await this.em.execute<RoleMappingView[]>(`${MAPPING_VIEW} where m.id = ?`, [id]);
    return rows[0] ?? null;
  }

  async lock(id: string): Promise<RoleMappingView | null> {
    const rows = await this.em.execute<RoleMappingView[]>(`${MAPPING_VIEW} where m.id = ? for update of m`, [id]);
    return rows[0] ?? null;
  }

  async create(mapping: { groupId: string; groupDisplayName: string; roleId: string }): Promise<string | null> {
    const [row] = await this.em.execute<{ id: string }[]>(
      `insert into group_role_mapping (entra_group_id, group_display_name, role_id) values (?, ?, ?)
       on conflict (entra_group_id, role_id) do nothing returning id`,
      [mapping.groupId, mapping.groupDisplayName, mapping.roleId],
    );
    return row?.id ?? null;
  }

  async isMapped(groupId: string, roleId: string): Promise<boolean> {
    const rows = await this.em.execute('select 1 from group_role_mapping where entra_group_id = ? and role_id = ?', [
      groupId,
      roleId,
    ]);
    return rows.length > 0;
  }

  async changeRole(id: string, roleId: string): Promise<void> {
    await this.em.execute('update group_role_mapping set role_id = ? where id = ?', [roleId, id]);
  }

  async remove(id: string): Promise<void> {
    await this.em.execute('delete from group_role_mapping where id = ?', [id]);
  }

  async count(): Promise<number> {
    const [row] = await this.em.execute<{ n: string }[]>('select count(*) as n from group_role_mapping');
    return Number(row!.n);
  }
}
