import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  ConnectableHrUser,
  EmployeeProfile,
  EmployeeProfileRepository,
  ProfileFields,
  ProfileQuery,
} from '../../application/ports/employee-profile.port.js';
import type { CalendarDate } from '../../domain/calendar-date.js';
import type { ChangeOrigin } from '../../domain/change-origin.js';
import type { EmploymentStatus } from '../../domain/employment.js';
import { normaliseEmail } from '../../domain/matching.js';
import { castOf, columnTypeOf, recordColumns } from './hr-columns.js';
import { containsPattern, LIKE_ESCAPE } from './like-pattern.js';
import { isoUtc } from './sql-time.js';
import { WriteBackOutbox } from './write-back-outbox.js';

type Key = keyof ProfileFields;
/** The profile's catalogued fields by the name the API gives them, then its custom fields. */
const FIELDS = recordColumns('employeeProfile');
const COLUMNS = new Map<string, { column: string; cast: string; date: boolean }>([
  ...FIELDS.map(({ field, key, column }): [string, { column: string; cast: string; date: boolean }] => [
    key,
    { column, cast: castOf(field, 'employeeProfile'), date: columnTypeOf(field, 'employeeProfile') === 'date' },
  ]),
  ['customFields', { column: 'custom_fields', cast: '::jsonb', date: false }],
]);

// Dates as text: a calendar date must never pass through a JS Date and a time zone.
const SELECT = `select p.id, ${[...COLUMNS]
  .map(([key, { column, date }]) => `p.${column}${date ? '::text' : ''} as "${key}"`)
  .join(', ')},
  p.resignation_date::text as "resignationDate", p.employment_status as "employmentStatus", ${isoUtc('p.created_at')} as "createdAt", ${isoUtc('p.updated_at')} as "updatedAt",
  case when u.id is null then null else json_build_object('id', u.id, 'email', u.email, 'active', u.active, 'deactivatedReason', u.deactivated_reason) end as "hrUser"
  from employee_profile p left join hr_user u on u.id = p.hr_user_id`;

/**
 * employee_profile, and the HR user fields a profile shows and connects by. HR's changes of a
 * connected profile's permitted fields are recorded for write-back in the same transaction
 * (docs/rules.md §4).
 */
export class PgEmployeeProfileRepository implements EmployeeProfileRepository {
  constructor(private readonly em: EntityManager) {}

  async get(id: string): Promise<EmployeeProfile | null> {
    return (await this.em.execute<EmployeeProfile[]>(`${SELECT} where p.id = ?`, [id]))[0] ?? null;
  }

  async lock(id: string): Promise<EmployeeProfile | null> {
    return (await this.em.execute<EmployeeProfile[]>(`${SELECT} where p.id = ? for update of p`, [id]))[0] ?? null;
  }

  async list(query: ProfileQuery): Promise<EmployeeProfile[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (query.after) {
      where.push('lower(p.email) > lower(?)');
      values.push(query.after);
    }
    if (query.status) {
      where.push('p.employment_status = ?');
      values.push(query.status);
    }
    if (query.connected !== undefined) where.push(`p.hr_user_id is ${query.connected ? 'not ' : ''}null`);
    if (query.department) {
      where.push('lower(p.department) = lower(?)');
      values.push(query.department);
    }
    if (query.search) {
      where.push(
        `(p.email ilike ? ${LIKE_ESCAPE} or (p.first_name || ' ' || p.last_name) ilike ? ${LIKE_ESCAPE} or p.employee_number = ?)`,
      );
      values.push(containsPattern(query.search), containsPattern(query.search), query.search);
    }
    values.push(query.limit + 1);
    return this.em.execute<EmployeeProfile[]>(
      `${SELECT} ${where.length ? `where ${where.join(' and ')}` : ''} order by lower(p.email) limit ?`,
      values,
    );
  }

  async create(fields: ProfileFields): Promise<{ id: string } | 'taken'> {
    const keys = present(fields);
    return unlessTaken(async () => {
      const [row] = await this.em.execute<{ id: string }[]>(
        `insert into employee_profile (${keys.map((k) => COLUMNS.get(k)!.column).join(', ')})
         values (${keys.map((k) => `?${COLUMNS.get(k)!.cast}`).join(', ')}) returning id`,
        keys.map((k) => toParam(k, fields[k])),
      );
      return { id: row!.id };
    });
  }

  async update(id: string, fields: Partial<ProfileFields>, origin: ChangeOrigin): Promise<'updated' | 'taken'> {
    const keys = present(fields);
    if (keys.length === 0) return 'updated';
    const before = await this.get(id);
    const sets = keys.map((k) => `${COLUMNS.get(k)!.column} = ?${COLUMNS.get(k)!.cast}`);
    const result = await unlessTaken(() =>
      this.em.execute(`update employee_profile set ${sets.join(', ')}, updated_at = now() where id = ?`, [
        ...keys.map((k) => toParam(k, fields[k])),
        id,
      ]),
    );
    if (result === 'taken') return 'taken';
    if (before?.hrUser) {
      // A value sent unchanged is no change (the export and the profile's own view agree).
      const changed = FIELDS.filter(
        ({ key }) =>
          keys.includes(key as Key) &&
          (before[key as Key] ?? null) !== (toParam(key as Key, fields[key as Key]) ?? null),
      ).map(({ field }) => field);
      await new WriteBackOutbox(this.em).recordUpdate(origin, 'employeeProfile', [before.hrUser.id], changed);
    }
    return 'updated';
  }

  async managerChain(managerId: string, id: string | null): Promise<{ found: boolean; cycle: boolean }> {
    const [chain] = await this.em.execute<{ found: boolean; cycle: boolean }[]>(
      `with recursive up(id, depth) as (select ?::uuid, 0 union all
         select p.manager_profile_id, up.depth + 1 from employee_profile p join up on p.id = up.id where p.manager_profile_id is not null and up.depth < 1000)
       select exists (select 1 from employee_profile where id = ?) as found, exists (select 1 from up where id = ?::uuid) as cycle`,
      [managerId, managerId, id],
    );
    return chain!;
  }

  async hrUserByEmail(email: string): Promise<ConnectableHrUser | null> {
    const [user] = await this.em.execute<ConnectableHrUser[]>(
      `select u.id, u.email, p.id as "profileId", u.entra_id is not null as "linkedToEntra"
         from hr_user u left join employee_profile p on p.hr_user_id = u.id where lower(u.email) = ?`,
      [normaliseEmail(email)],
    );
    return user ?? null;
  }

  async hrUserLinkedToEntra(hrUserId: string): Promise<boolean> {
    const [row] = await this.em.execute<{ linked: boolean }[]>(
      'select entra_id is not null as linked from hr_user where id = ?',
      [hrUserId],
    );
    return row?.linked ?? false;
  }

  async connect(id: string, hrUserId: string): Promise<'connected' | 'taken'> {
    // The unique hr_user_id settles a race between two profiles connecting the same user.
    const result = await unlessTaken(() =>
      this.em.execute('update employee_profile set hr_user_id = ?, updated_at = now() where id = ?', [hrUserId, id]),
    );
    return result === 'taken' ? 'taken' : 'connected';
  }

  async disconnect(id: string): Promise<void> {
    await this.em.execute('update employee_profile set hr_user_id = null, updated_at = now() where id = ?', [id]);
  }

  async setEmployment(
    id: string,
    resignationDate: CalendarDate | null,
    status: EmploymentStatus,
    origin: ChangeOrigin,
  ): Promise<void> {
    const [row] = await this.em.execute<{ hr_user_id: string | null; old_date: string | null }[]>(
      `with old as (select resignation_date::text as old_date from employee_profile where id = ?)
       update employee_profile set resignation_date = ?::date, employment_status = ?, updated_at = now() where id = ?
       returning hr_user_id, (select old_date from old)`,
      [id, resignationDate, status, id],
    );
    // The resignation date is the leave date Entra knows as employeeLeaveDateTime (rule 4.1).
    if (row?.hr_user_id && row.old_date !== resignationDate)
      await new WriteBackOutbox(this.em).recordUpdate(origin, 'employeeProfile', [row.hr_user_id], ['leaveDate']);
  }

  async archiveDue(today: CalendarDate): Promise<number> {
    const rows = await this.em.execute<{ id: string }[]>(
      `update employee_profile set employment_status = 'archived', updated_at = now()
        where employment_status <> 'archived' and resignation_date <= ?::date returning id`,
      [today],
    );
    return rows.length;
  }
}

function present(fields: Partial<ProfileFields>): Key[] {
  return (Object.keys(fields) as Key[]).filter((k) => COLUMNS.has(k) && fields[k] !== undefined);
}

async function unlessTaken<T>(write: () => Promise<T>): Promise<T | 'taken'> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return 'taken';
    throw error;
  }
}

function toParam(key: Key, value: unknown): unknown {
  if (key === 'customFields') return JSON.stringify(value ?? {});
  if (key === 'email') return String(value).trim();
  return value;
}
