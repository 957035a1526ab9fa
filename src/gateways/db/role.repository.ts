import type { EntityManager } from '@mikro-orm/postgresql';
import type { HeldRole } from '../../application/ports/hr-user.port.js';
import type { RoleRepository, RoleView } from '../../application/ports/role.port.js';

const ROLE_VIEW = `select r.id, r.name, r.protected,
    (select count(*)::int from user_role ur where ur.role_id = r.id) as holders,
    coalesce((select json_agg(json_build_object('mappingId', m.id, 'groupId', m.entra_group_id, 'groupDisplayName', m.group_display_name)
                              order by lower(m.group_display_name), m.entra_group_id)
                from group_role_mapping m where m.role_id = r.id), '[]') as "mappedGroups"
  from role r`;

/** HR roles in PostgreSQL. */
export class PgRoleRepository implements RoleRepository {
  constructor(private readonly em: EntityManager) {}

  async list(): Promise<RoleView[]> {
    return this.em.execute<RoleView[]>(`${ROLE_VIEW} order by lower(r.name)`);
  }

  async view(id: string): Promise<RoleView | null> {
    const rows = await this.em.execute<RoleView[]>(`${ROLE_VIEW} where r.id = ?`, [id]);
    return rows[0] ?? null;
  }

  async find(id: string): Promise<HeldRole | null> {
    const rows = await this.em.execute<HeldRole[]>('select id, name, protected from role where id = ?', [id]);
    return rows[0] ?? null;
  }

  async lock(id: string): Promise<HeldRole | null> {
    const rows = await this.em.execute<HeldRole[]>('select id, name, protected from role where id = ? for update', [
      id,
    ]);
    return rows[0] ?? null;
  }

  async findByNames(names: string[]): Promise<HeldRole[]> {
    return this.em.execute<HeldRole[]>(
      'select id, name, protected from role where name in (select jsonb_array_elements_text(?::jsonb))',
      [JSON.stringify(names)],
    );
  }

  async findByLowerNames(lowerNames: string[]): Promise<HeldRole[]> {
    return this.em.execute<HeldRole[]>(
      'select id, name, protected from role where lower(name) in (select jsonb_array_elements_text(?::jsonb))',
      [JSON.stringify(lowerNames)],
    );
  }

  async nameTakenBy(name: string, exceptId: string | null): Promise<string | null> {
    // Serialises role-name changes: the unique index is case-sensitive, the rule is not.
    await this.em.execute(`select pg_advisory_xact_lock(hashtext('ehc:role-name'))`);
    const taken = await this.em.execute<{ name: string }[]>(
      'select name from role where lower(name) = lower(?) and id is distinct from ?::uuid',
      [name, exceptId],
    );
    return taken[0]?.name ?? null;
  }

  async protectedNames(): Promise<string[]> {
    const rows = await this.em.execute<{ name: string }[]>('select name from role where protected');
    return rows.map((r) => r.name);
  }

  async create(name: string): Promise<string> {
    const [row] = await this.em.execute<{ id: string }[]>('insert into role (name) values (?) returning id', [name]);
    return row!.id;
  }

  async rename(id: string, name: string): Promise<void> {
    await this.em.execute('update role set name = ? where id = ?', [name, id]);
  }
}
