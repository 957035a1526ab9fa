import type { EntityManager } from '@mikro-orm/postgresql';
import type { ScimPage, ScimUserReader, ScimUserState } from '../../application/ports/scim.port.js';
import type { QueryPlan } from '../../scim/scim-filter.js';
import { SCIM_USER_FIELDS, type ScimUserRecord } from '../../scim/scim-user.mapping.js';
import { executeBound, numbered } from './bound-sql.js';
import { columnOf } from './hr-columns.js';
import { prepared } from './prepared-statements.js';
import { filterSql, USER_COLUMNS } from './scim-filter.sql.js';
import { isoUtc } from './sql-time.js';

/** The HR fields a User resource carries, as one JSON object by field name. */
const FIELDS = `jsonb_build_object(${SCIM_USER_FIELDS.map(({ field }) => `'${field}', u.${columnOf(field, 'hrUser')}`).join(', ')})`;

/** A User resource's columns of the HR user `u` (a select's, or a write's `returning`). */
export const USER_RECORD = `u.id, coalesce(u.scim_user_name, u.email) as "userName", u.scim_external_id as "externalId", u.active,
  ${FIELDS} as fields, u.manager_id as "managerId", u.scim_attributes as attributes,
  ${isoUtc('u.created_at')} as created, ${isoUtc('u.updated_at')} as "lastModified"`;

/**
 * What a user's state was read from: its row version, the settings' and its employee profile's. A
 * write given the stamp happens only if it is still the same (optimistic concurrency).
 */
export const userStamp = (settingsUpdatedAt: string) =>
  `concat_ws('/', u.xmin::text, ${settingsUpdatedAt},
    exists (select 1 from employee_profile p where p.hr_user_id = u.id)::text,
    exists (select 1 from employee_profile p where p.hr_user_id = u.id and p.employment_status = 'archived')::text)`;

/** What a write reads of a user, with the settings it decides by (the same round trip). */
const STATE = `${USER_RECORD}, u.email, u.entra_id as "entraId", u.scim_user_name is not null and u.scim_removed_at is null as provisioned,
  exists (select 1 from employee_profile p where p.hr_user_id = u.id) as "hasEmployeeProfile",
  exists (select 1 from employee_profile p where p.hr_user_id = u.id and p.employment_status = 'archived') as "employeeArchived",
  u.kept_fields as kept, s.user_source as "userSource", s.field_owners as owners, ${userStamp('s.updated_at::text')} as stamp`;
const WITH_SETTINGS = 'hr_user u cross join integration_settings s';

/** SCIM shows every HR user but those a DELETE took out of it (they stay in HR, deactivated). */
const VISIBLE = 'u.scim_removed_at is null';

const GET_USER = prepared(`select ${USER_RECORD} from hr_user u where u.id = $1 and ${VISIBLE}`);
const READ_STATE = prepared(`select ${STATE} from ${WITH_SETTINGS} where s.id = 1 and u.id = $1 and ${VISIBLE}`);
const LOCK_STATE = prepared(`${READ_STATE} for update of u`);

/**
 * HR users as the SCIM endpoint reads them. A filter arrives as a query plan and becomes a
 * parameterised condition (scim-filter.sql.ts); pages are ordered by creation, then id, so a
 * client paging with startIndex sees a stable order (RFC 7644 section 3.4.2.4).
 */
export class PgScimUserReader implements ScimUserReader {
  constructor(private readonly em: EntityManager) {}

  async list(plan: QueryPlan | null, page: { startIndex: number; count: number }): Promise<ScimPage<ScimUserRecord>> {
    const condition = plan ? filterSql(plan, USER_COLUMNS) : { sql: 'true', params: [] };
    const where = `${VISIBLE} and ${condition.sql}`;
    if (page.count === 0) return { total: await this.count(where, condition.params), items: [] };
    // Entra's look-up (`userName eq ...`) comes many times a second: prepared, as each filter's shape is.
    const rows = await executeBound<ScimUserRecord & { total: string }>(
      this.em,
      prepared(
        numbered(`select ${USER_RECORD}, count(*) over () as total from hr_user u where ${where}
        order by u.created_at, u.id offset ? limit ?`),
      ),
      [...condition.params, page.startIndex - 1, page.count],
    );
    const items = rows.map(({ total: _t, ...record }) => record);
    // A first page that is not full holds every match (Entra's look-up that finds no one: one round trip).
    if (page.startIndex === 1 && rows.length < page.count) return { total: rows.length, items };
    // Past the last page no row carries the total: count apart.
    const total = rows.length ? Number(rows[0]!.total) : await this.count(where, condition.params);
    return { total, items };
  }

  private async count(where: string, params: unknown[]): Promise<number> {
    const [row] = await this.em.execute<{ n: string }[]>(`select count(*) as n from hr_user u where ${where}`, params);
    return Number(row!.n);
  }

  async get(id: string): Promise<ScimUserRecord | null> {
    if (!isUuid(id)) return null;
    const rows = await executeBound<ScimUserRecord>(this.em, GET_USER, [id]);
    return rows[0] ?? null;
  }

  async lock(id: string): Promise<ScimUserState | null> {
    return this.state(id, true);
  }

  async read(id: string): Promise<ScimUserState | null> {
    return this.state(id, false);
  }

  private async state(id: string, lock: boolean): Promise<ScimUserState | null> {
    if (!isUuid(id)) return null;
    const rows = await executeBound<ScimUserState>(this.em, lock ? LOCK_STATE : READ_STATE, [id]);
    return rows[0] ?? null;
  }

  async lockCandidates(userName: string, email: string): Promise<ScimUserState[]> {
    return this.em.execute<ScimUserState[]>(
      `select ${STATE} from ${WITH_SETTINGS}
        where s.id = 1 and (lower(coalesce(u.scim_user_name, u.email)) = lower(?) or lower(u.email) = lower(?))
        order by u.created_at for update of u`,
      [userName, email],
    );
  }

  async existing(ids: readonly string[]): Promise<string[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    const rows = await this.em.execute<{ id: string }[]>(
      `select u.id from hr_user u where u.id in (select jsonb_array_elements_text(?::jsonb)::uuid) and ${VISIBLE}`,
      [JSON.stringify(valid)],
    );
    return rows.map((r) => r.id);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SCIM ids of this service are uuids; anything else names no resource. */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}
