import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CalendarDate } from '../domain/calendar-date.js';
import { employmentStatus, mustDeactivateHrUser, type EmploymentStatus } from '../domain/employment.js';
import { normaliseEmail } from '../domain/matching.js';
import { AppError, notFound } from './app-error.js';
import { containsPattern, LIKE_ESCAPE } from '../gateways/db/like-pattern.js';
import { PgAuditLog } from '../gateways/db/audit-log.repository.js';
import { pageOf, type Page } from './page.js';
import { isoUtc } from '../gateways/db/sql-time.js';
import { refusedEdits } from '../domain/hr-edit.js';
import type { FieldOwners } from '../domain/ownership.js';

export type CustomValue = string | number | boolean | null;
export interface ProfileFields {
  email: string;
  firstName: string;
  lastName: string;
  jobTitle?: string | null;
  department?: string | null;
  officeLocation?: string | null;
  employeeNumber?: string | null;
  hireDate?: CalendarDate | null;
  mobilePhone?: string | null;
  businessPhone?: string | null;
  city?: string | null;
  managerProfileId?: string | null;
  customFields?: Record<string, CustomValue>;
}
export type EmployeeProfile = Required<ProfileFields> & {
  id: string;
  resignationDate: CalendarDate | null;
  employmentStatus: EmploymentStatus;
  hrUser: { id: string; email: string; active: boolean; deactivatedReason: string | null } | null;
  createdAt: string;
  updatedAt: string;
};
export interface ProfileQuery {
  after?: string;
  limit: number;
  status?: EmploymentStatus;
  connected?: boolean;
  department?: string;
  search?: string;
}

const COLUMNS: Readonly<Record<keyof ProfileFields, string>> = {
  email: 'email',
  firstName: 'first_name',
  lastName: 'last_name',
  jobTitle: 'job_title',
  department: 'department',
  officeLocation: 'office_location',
  employeeNumber: 'employee_number',
  hireDate: 'hire_date',
  mobilePhone: 'mobile_phone',
  businessPhone: 'business_phone',
  city: 'city',
  managerProfileId: 'manager_profile_id',
  customFields: 'custom_fields',
};
const CASTS: Partial<Record<keyof ProfileFields, string>> = {
  hireDate: '::date',
  managerProfileId: '::uuid',
  customFields: '::jsonb',
};
// Dates as text: a calendar date must never pass through a JS Date and a time zone.
const SELECT = `select p.id, ${Object.entries(COLUMNS)
  .map(([f, c]) => `p.${c}${f === 'hireDate' ? '::text' : ''} as "${f}"`)
  .join(', ')},
  p.resignation_date::text as "resignationDate", p.employment_status as "employmentStatus", ${isoUtc('p.created_at')} as "createdAt", ${isoUtc('p.updated_at')} as "updatedAt",
  case when u.id is null then null else json_build_object('id', u.id, 'email', u.email, 'active', u.active, 'deactivatedReason', u.deactivated_reason) end as "hrUser"
  from employee_profile p left join hr_user u on u.id = p.hr_user_id`;

/** Employee profiles (the HR record of a person employed), edited by HR admins. */
export class EmployeeProfilesService {
  constructor(private readonly em: EntityManager) {}

  async create(input: ProfileFields): Promise<EmployeeProfile> {
    return this.em.transactional(async (em) => {
      await assertManager(em, null, input.managerProfileId);
      const fields = Object.keys(input).filter(
        (f): f is keyof ProfileFields => f in COLUMNS && input[f as keyof ProfileFields] !== undefined,
      );
      const rows = await onUnique(emailTaken(input.email), () =>
        em.execute<{ id: string }[]>(
          `insert into employee_profile (${fields.map((f) => COLUMNS[f]).join(', ')}) values (${fields.map((f) => `?${CASTS[f] ?? ''}`).join(', ')}) returning id`,
          fields.map((f) => toParam(f, input[f])),
        ),
      );
      return (await get(em, rows[0]!.id))!;
    });
  }

  async get(id: string): Promise<EmployeeProfile> {
    const profile = await get(this.em, id);
    if (!profile) throw notFound('Employee profile');
    return profile;
  }

  /** Keyset pages by e-mail (unique case-insensitively), so a page costs the same wherever it is. */
  async list(query: ProfileQuery): Promise<Page<EmployeeProfile>> {
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
    const rows = await this.em.execute<EmployeeProfile[]>(
      `${SELECT} ${where.length ? `where ${where.join(' and ')}` : ''} order by lower(p.email) limit ?`,
      values,
    );
    return pageOf(rows, query.limit, (profile) => profile.email.toLowerCase());
  }

  /** A partial edit: fields absent are kept, null clears an optional field, customFields is replaced whole. */
  async update(id: string, patch: Partial<ProfileFields>): Promise<EmployeeProfile> {
    return this.em.transactional(async (em) => {
      const profile = await get(em, id, true);
      if (!profile) throw notFound('Employee profile');
      await assertNotOwnedByEntra(em, profile, patch);
      if (patch.managerProfileId !== undefined) await assertManager(em, id, patch.managerProfileId);
      const fields = (Object.keys(patch) as Array<keyof ProfileFields>).filter(
        (f) => f in COLUMNS && patch[f] !== undefined,
      );
      if (fields.length) {
        await onUnique(emailTaken(patch.email ?? ''), () =>
          em.execute(
            `update employee_profile set ${fields.map((f) => `${COLUMNS[f]} = ?${CASTS[f] ?? ''}`).join(', ')}, updated_at = now() where id = ?`,
            [...fields.map((f) => toParam(f, patch[f])), id],
          ),
        );
      }
      return (await get(em, id))!;
    });
  }

  /** Connects the profile to the HR user with this e-mail (compared case-insensitively, rule 2.2). */
  async connect(id: string, email: string, actorId: string | null): Promise<EmployeeProfile> {
    return this.em.transactional(async (em) => {
      const profile = await get(em, id, true);
      if (!profile) throw notFound('Employee profile');
      const [user] = await em.execute<{ id: string; email: string; profile_id: string | null }[]>(
        'select u.id, u.email, p.id as profile_id from hr_user u left join employee_profile p on p.hr_user_id = u.id where lower(u.email) = ?',
        [normaliseEmail(email)],
      );
      if (!user) throw new AppError('not_found', `No HR user has the e-mail ${email}`);
      if (user.profile_id === id) return profile;
      if (user.profile_id)
        throw new AppError(
          'conflict',
          `The HR user ${user.email} is already connected to another employee profile (${user.profile_id})`,
        );
      if (profile.hrUser)
        throw new AppError(
          'conflict',
          `This employee profile is already connected to ${profile.hrUser.email}; disconnect it first`,
        );
      // The unique hr_user_id settles a race between two profiles connecting the same user.
      await onUnique(`The HR user ${user.email} is already connected to another employee profile`, () =>
        em.execute('update employee_profile set hr_user_id = ?, updated_at = now() where id = ?', [user.id, id]),
      );
      // An archived employee's account is deactivated, whenever the connection is made (rule 3.5).
      if (mustDeactivateHrUser(profile.employmentStatus)) await deactivateArchived(em, [user.id]);
      await new PgAuditLog(em).record([
        {
          actorId,
          action: 'employee-profile.connect',
          target: id,
          oldValue: null,
          newValue: { hrUserId: user.id, email: user.email },
        },
      ]);
      return (await get(em, id))!;
    });
  }

  /** The HR user keeps its data and status; it only stops being owned by this profile. */
  async disconnect(id: string, actorId: string | null): Promise<EmployeeProfile> {
    return this.em.transactional(async (em) => {
      const profile = await get(em, id, true);
      if (!profile) throw notFound('Employee profile');
      if (!profile.hrUser) return profile;
      await em.execute('update employee_profile set hr_user_id = null, updated_at = now() where id = ?', [id]);
      await new PgAuditLog(em).record([
        {
          actorId,
          action: 'employee-profile.disconnect',
          target: id,
          oldValue: { hrUserId: profile.hrUser.id, email: profile.hrUser.email },
          newValue: null,
        },
      ]);
      return (await get(em, id))!;
    });
  }

  /**
   * Sets or clears the resignation date and recomputes the employment status (rule 3.5).
   * Archived: the HR user is deactivated. Cleared or moved ahead: an account this profile's
   * archiving deactivated is active again; any other deactivation stays.
   */
  async setResignation(
    id: string,
    date: CalendarDate | null,
    today: CalendarDate,
    actorId: string | null,
  ): Promise<EmployeeProfile> {
    return this.em.transactional(async (em) => {
      const profile = await get(em, id, true);
      if (!profile) throw notFound('Employee profile');
      const status = employmentStatus(date, today);
      await em.execute(
        'update employee_profile set resignation_date = ?::date, employment_status = ?, updated_at = now() where id = ?',
        [date, status, id],
      );
      if (profile.hrUser && mustDeactivateHrUser(status)) await deactivateArchived(em, [profile.hrUser.id]);
      if (profile.hrUser && !mustDeactivateHrUser(status) && mustDeactivateHrUser(profile.employmentStatus)) {
        await em.execute(
          `update hr_user set active = true, deactivated_reason = null, updated_at = now() where id = ? and not active and deactivated_reason = 'employee-archived'`,
          [profile.hrUser.id],
        );
      }
      if (date !== profile.resignationDate) {
        await new PgAuditLog(em).record([
          {
            actorId,
            action: 'employee-profile.resignation',
            target: id,
            oldValue: profile.resignationDate,
            newValue: date,
          },
        ]);
      }
      return (await get(em, id))!;
    });
  }
}

/**
 * The daily lifecycle (rule 3.5), set-based: every profile whose resignation date has come is
 * archived, and the HR user of every archived profile that is still active is deactivated (which
 * also repairs an account reactivated by hand). One statement, so it is all or nothing.
 */
export async function runEmploymentLifecycle(
  em: EntityManager,
  today: CalendarDate,
): Promise<{ archived: number; deactivated: number }> {
  employmentStatus(null, today); // validates `today` before any write
  const [counts] = await em.execute<{ archived: string; deactivated: string }[]>(
    `with archived as (
       update employee_profile set employment_status = 'archived', updated_at = now()
        where employment_status <> 'archived' and resignation_date <= ?::date
       returning hr_user_id
     ), deactivated as (
       update hr_user u set active = false, deactivated_reason = 'employee-archived', updated_at = now()
        where u.active and u.id in (select hr_user_id from archived union select hr_user_id from employee_profile where employment_status = 'archived')
       returning u.id
     )
     select (select count(*) from archived) as archived, (select count(*) from deactivated) as deactivated`,
    [today],
  );
  return { archived: Number(counts!.archived), deactivated: Number(counts!.deactivated) };
}

/** Today's calendar date in a time zone (UTC unless the organisation's is given). */
export function calendarToday(now: Date = new Date(), timeZone = 'UTC'): CalendarDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

async function get(em: EntityManager, id: string, forUpdate = false): Promise<EmployeeProfile | null> {
  const rows = await em.execute<EmployeeProfile[]>(`${SELECT} where p.id = ?${forUpdate ? ' for update of p' : ''}`, [
    id,
  ]);
  return rows[0] ?? null;
}

async function deactivateArchived(em: EntityManager, hrUserIds: string[]): Promise<void> {
  await em.execute(
    `update hr_user set active = false, deactivated_reason = 'employee-archived', updated_at = now()
    where active and id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
    [JSON.stringify(hrUserIds)],
  );
}

/**
 * A connected profile owns its HR user's data, except the fields the settings give to Entra for
 * every user (owner 'entra'): those follow Entra and an edit is refused with the reason (rule 8.5),
 * as it would be undone by the next run. A value sent unchanged is no edit.
 */
async function assertNotOwnedByEntra(
  em: EntityManager,
  profile: EmployeeProfile,
  patch: Partial<ProfileFields>,
): Promise<void> {
  if (!profile.hrUser) return;
  const [row] = await em.execute<{ linked: boolean; owners: FieldOwners }[]>(
    'select u.entra_id is not null as linked, (select field_owners from integration_settings where id = 1) as owners from hr_user u where u.id = ?',
    [profile.hrUser.id],
  );
  const changed = (Object.keys(patch) as Array<keyof ProfileFields>).filter(
    (f) => f in OWNED_AS && patch[f] !== undefined && patch[f] !== profile[f],
  );
  const refused = refusedEdits(
    changed.map((f) => OWNED_AS[f]!),
    { linkedToEntra: row!.linked, hasEmployeeProfile: true, owners: row!.owners },
  );
  if (refused.length === 0) return;
  const fieldOf = (owned: string) => changed.find((f) => OWNED_AS[f] === owned)!;
  throw new AppError(
    'conflict',
    refused.map((r) => r.reason).join('; '),
    refused.map((r) => ({ path: `body.${fieldOf(r.field)}`, message: r.reason })),
  );
}

/** Profile fields by the HR user field whose owner the settings choose (the manager is an Entra id there). */
const OWNED_AS: Partial<Record<keyof ProfileFields, string>> = {
  firstName: 'firstName',
  lastName: 'lastName',
  jobTitle: 'jobTitle',
  department: 'department',
  officeLocation: 'officeLocation',
  employeeNumber: 'employeeNumber',
  hireDate: 'hireDate',
  mobilePhone: 'mobilePhone',
  businessPhone: 'businessPhone',
  city: 'city',
  managerProfileId: 'managerEntraId',
};

/** A manager must be another existing profile, and not one that reports (directly or not) to this one. */
async function assertManager(
  em: EntityManager,
  id: string | null,
  managerId: string | null | undefined,
): Promise<void> {
  if (!managerId) return;
  const invalid = (message: string) =>
    new AppError('validation_failed', `body.managerProfileId: ${message}`, [
      { path: 'body.managerProfileId', message },
    ]);
  if (managerId === id) throw invalid('a profile cannot be its own manager');
  const [chain] = await em.execute<{ found: boolean; cycle: boolean }[]>(
    `with recursive up(id, depth) as (select ?::uuid, 0 union all
       select p.manager_profile_id, up.depth + 1 from employee_profile p join up on p.id = up.id where p.manager_profile_id is not null and up.depth < 1000)
     select exists (select 1 from employee_profile where id = ?) as found, exists (select 1 from up where id = ?::uuid) as cycle`,
    [managerId, managerId, id],
  );
  if (!chain!.found) throw invalid('no employee profile has this id');
  if (chain!.cycle) throw invalid('this profile is above the chosen manager already, so the chain would loop');
}

const emailTaken = (email: string) =>
  `An employee profile with the e-mail ${email} already exists (e-mails are compared case-insensitively)`;

async function onUnique<T>(conflict: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new AppError('conflict', conflict);
    throw error;
  }
}

function toParam(field: keyof ProfileFields, value: unknown): unknown {
  if (field === 'customFields') return JSON.stringify(value ?? {});
  if (field === 'email') return String(value).trim();
  return value;
}
