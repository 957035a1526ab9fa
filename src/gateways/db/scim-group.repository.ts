import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ScimGroupMemberUser, ScimGroupStore, ScimPage } from '../../application/ports/scim.port.js';
import type { QueryPlan } from '../../scim/scim-filter.js';
import type { ScimGroupRecord } from '../../scim/scim-group.mapping.js';
import { filterSql, GROUP_COLUMNS } from './scim-filter.sql.js';
import { isUuid } from './scim-user.repository.js';
import { isoUtc } from './sql-time.js';

/** The key role mappings name a pushed group by: the Entra group's object id (its externalId), else its own id. */
export const GROUP_KEY = `lower(coalesce(g.external_id, g.id::text))`;

const RECORD = `g.id, g.display_name as "displayName", g.external_id as "externalId",
  ${isoUtc('g.created_at')} as created, ${isoUtc('g.updated_at')} as "lastModified"`;

const MEMBERS = `coalesce((select json_agg(json_build_object('value', m.hr_user_id, 'display', coalesce(u.display_name, u.first_name || ' ' || u.last_name)) order by m.hr_user_id)
  from scim_group_member m join hr_user u on u.id = m.hr_user_id where m.group_id = g.id), '[]'::json) as members`;

const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);
const list = (values: readonly string[]) => JSON.stringify(values.filter(isUuid));

/** Groups pushed over SCIM and their members, in PostgreSQL. */
export class PgScimGroupStore implements ScimGroupStore {
  constructor(private readonly em: EntityManager) {}

  async list(
    plan: QueryPlan | null,
    page: { startIndex: number; count: number },
    withMembers: boolean,
  ): Promise<ScimPage<ScimGroupRecord>> {
    const condition = plan ? filterSql(plan, GROUP_COLUMNS) : { sql: 'true', params: [] };
    const [{ n }] = (await this.em.execute<{ n: string }[]>(
      `select count(*) as n from scim_group g where ${condition.sql}`,
      condition.params,
    )) as [{ n: string }];
    if (page.count === 0) return { total: Number(n), items: [] };
    const rows = await this.em.execute<ScimGroupRecord[]>(
      `select ${RECORD}, ${withMembers ? MEMBERS : 'null as members'} from scim_group g where ${condition.sql}
        order by g.created_at, g.id offset ? limit ?`,
      [...condition.params, page.startIndex - 1, page.count],
    );
    return { total: Number(n), items: rows };
  }

  async get(id: string, withMembers: boolean): Promise<ScimGroupRecord | null> {
    if (!isUuid(id)) return null;
    const rows = await this.em.execute<ScimGroupRecord[]>(
      `select ${RECORD}, ${withMembers ? MEMBERS : 'null as members'} from scim_group g where g.id = ?`,
      [id],
    );
    return rows[0] ?? null;
  }

  async lock(id: string): Promise<ScimGroupRecord | null> {
    if (!isUuid(id)) return null;
    const rows = await this.em.execute<ScimGroupRecord[]>(
      `select ${RECORD}, null as members from scim_group g where g.id = ? for update`,
      [id],
    );
    return rows[0] ?? null;
  }

  async create(group: { displayName: string; externalId: string | null }): Promise<string | null> {
    const rows = await this.em.execute<{ id: string }[]>(
      'insert into scim_group (display_name, external_id) values (?, ?) on conflict do nothing returning id',
      [group.displayName, group.externalId],
    );
    return rows[0]?.id ?? null;
  }

  async update(id: string, change: { displayName?: string; externalId?: string | null }): Promise<'updated' | 'taken'> {
    const sets: string[] = [];
    const params: unknown[] = [];
    if (change.displayName !== undefined) {
      sets.push('display_name = ?');
      params.push(change.displayName);
    }
    if (change.externalId !== undefined) {
      sets.push('external_id = ?');
      params.push(change.externalId);
    }
    try {
      await this.em.execute(`update scim_group set ${[...sets, 'updated_at = now()'].join(', ')} where id = ?`, [
        ...params,
        id,
      ]);
      return 'updated';
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) return 'taken';
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    await this.em.execute('delete from scim_group where id = ?', [id]);
  }

  async addMembers(id: string, userIds: readonly string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    return ids(
      await this.em.execute<{ id: string }[]>(
        `insert into scim_group_member (group_id, hr_user_id) select ?, x::uuid from jsonb_array_elements_text(?::jsonb) x
         on conflict do nothing returning hr_user_id as id`,
        [id, list(userIds)],
      ),
    );
  }

  async removeMembers(id: string, userIds: readonly string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    return ids(
      await this.em.execute<{ id: string }[]>(
        `delete from scim_group_member where group_id = ? and hr_user_id in (select jsonb_array_elements_text(?::jsonb)::uuid)
         returning hr_user_id as id`,
        [id, list(userIds)],
      ),
    );
  }

  async clearMembers(id: string): Promise<string[]> {
    return ids(
      await this.em.execute<{ id: string }[]>(
        'delete from scim_group_member where group_id = ? returning hr_user_id as id',
        [id],
      ),
    );
  }

  async leaveAll(userId: string): Promise<string[]> {
    return ids(
      await this.em.execute<{ id: string }[]>(
        'delete from scim_group_member where hr_user_id = ? returning group_id as id',
        [userId],
      ),
    );
  }

  async findByKey(key: string): Promise<{ id: string; key: string; displayName: string } | null> {
    const rows = await this.em.execute<{ id: string; key: string; displayName: string }[]>(
      `select g.id, ${GROUP_KEY} as key, g.display_name as "displayName" from scim_group g
        where lower(g.external_id) = lower(?) or g.id::text = lower(?) limit 1`,
      [key, key],
    );
    return rows[0] ?? null;
  }

  async memberIdsByKey(key: string): Promise<string[]> {
    const group = await this.findByKey(key);
    if (!group) return [];
    return ids(
      await this.em.execute<{ id: string }[]>('select hr_user_id as id from scim_group_member where group_id = ?', [
        group.id,
      ]),
    );
  }

  async memberUsers(userIds: readonly string[]): Promise<ScimGroupMemberUser[]> {
    if (userIds.length === 0) return [];
    return this.em.execute<ScimGroupMemberUser[]>(
      `select u.id, u.email, u.entra_id as "entraId",
              exists (select 1 from employee_profile p where p.hr_user_id = u.id) as "hasEmployeeProfile",
              coalesce((select array_agg(ur.role_id::text) from user_role ur where ur.hr_user_id = u.id), '{}') as "roleIds",
              u.role_sync_state as "roleSyncState",
              coalesce((select array_agg(${GROUP_KEY}) from scim_group_member m join scim_group g on g.id = m.group_id
                         where m.hr_user_id = u.id), '{}') as "groupKeys"
         from hr_user u where u.id in (select jsonb_array_elements_text(?::jsonb)::uuid) order by u.id for update of u`,
      [list(userIds)],
    );
  }
}
