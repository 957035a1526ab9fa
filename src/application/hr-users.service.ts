import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from './app-error.js';
import { containsPattern, LIKE_ESCAPE } from '../gateways/db/like-pattern.js';
import { AuditLogService, protectedRoleEntries } from './audit-log.service.js';
import { pageOf, type Page } from './page.js';
import { isoUtc, toIsoUtc } from '../gateways/db/sql-time.js';
import { followsEntra, type FieldOwners } from '../domain/ownership.js';
import { HR_FIELDS_AS_JSON } from '../gateways/db/hr-columns.js';

export interface NewHrUser {
  email: string;
  firstName: string;
  lastName: string;
  roles: string[];
}

export interface HrUserSummary {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  active: boolean;
  origin: string;
  entraId: string | null;
  roles: string[];
}

const summaryColumns = `u.id, u.email, u.first_name as "firstName", u.last_name as "lastName", u.active, u.origin,
  u.entra_id as "entraId",
  coalesce((select array_agg(r.name order by r.name) from user_role ur join role r on r.id = ur.role_id where ur.hr_user_id = u.id), '{}') as roles`;

/** HR users created and listed by HR admins (users created by the sync come from the inbound engine). */
export class HrUsersService {
  constructor(private readonly em: EntityManager) {}

  /** Audited as 'hr-user.create' with what was given, and 'user.admin-role.grant' when it holds an administrator role. */
  async create(input: NewHrUser, actorId: string): Promise<HrUserSummary> {
    return this.em.transactional(async (em) => {
      const roles = await em.execute<{ id: string; name: string; protected: boolean }[]>(
        'select id, name, protected from role where name in (select jsonb_array_elements_text(?::jsonb))',
        [JSON.stringify(input.roles)],
      );
      const unknown = input.roles.filter((name) => !roles.some((r) => r.name === name));
      if (unknown.length)
        throw new AppError(
          'validation_failed',
          `Unknown role: ${unknown.join(', ')}`,
          unknown.map((name) => ({ path: 'body.roles', message: `unknown role ${name}` })),
        );
      const inserted = await em.execute<{ id: string }[]>(
        `insert into hr_user (email, first_name, last_name, display_name, origin) values (?, ?, ?, ?, 'hr')
         on conflict do nothing returning id`,
        [input.email, input.firstName, input.lastName, `${input.firstName} ${input.lastName}`],
      );
      const id = inserted[0]?.id;
      if (!id)
        throw new AppError(
          'conflict',
          `An HR user with the e-mail ${input.email} already exists (e-mails are compared case-insensitively)`,
        );
      if (roles.length) {
        await em.execute(
          `insert into user_role (hr_user_id, role_id, granted_by) select ?, r::uuid, 'hr' from jsonb_array_elements_text(?::jsonb) r`,
          [id, JSON.stringify(roles.map((r) => r.id))],
        );
      }
      const created = (await this.get(id, em))!;
      await new AuditLogService(em).record([
        {
          actorId,
          action: 'hr-user.create',
          target: `hr-user:${id}`,
          oldValue: null,
          newValue: {
            email: created.email,
            firstName: created.firstName,
            lastName: created.lastName,
            roles: created.roles,
            origin: 'hr',
          },
        },
        ...protectedRoleEntries(
          actorId,
          id,
          roles.filter((r) => r.protected),
          [],
        ),
      ]);
      return created;
    });
  }

  async get(id: string, em: EntityManager = this.em): Promise<HrUserSummary | null> {
    const rows = await em.execute<HrUserSummary[]>(`select ${summaryColumns} from hr_user u where u.id = ?`, [id]);
    return rows[0] ?? null;
  }

  /**
   * One HR user with every synced field: its value, which side wrote it last and when, and whether
   * HR shows it read-only because Entra owns it for this user (field ownership made visible, 8.5).
   */
  async detail(id: string): Promise<
    | (HrUserSummary & {
        hasEmployeeProfile: boolean;
        deactivatedReason: string | null;
        lastSyncedAt: string | null;
        customFields: Record<string, unknown>;
        fields: Record<
          string,
          {
            value: string | null;
            source: string | null;
            changedAt: string | null;
            readOnly: boolean;
            keptOnMatch: boolean;
          }
        >;
      })
    | null
  > {
    const summary = await this.get(id);
    if (!summary) return null;
    const [row] = await this.em.execute<
      {
        fields: Record<string, string | null>;
        sources: Record<string, { source: string; changedAt: string }>;
        custom: Record<string, unknown>;
        has_profile: boolean;
        deactivated_reason: string | null;
        last_synced_at: string | null;
        owners: FieldOwners;
        kept: Record<string, unknown>;
      }[]
    >(
      `select ${HR_FIELDS_AS_JSON} as fields, u.field_sources as sources, u.custom_fields as custom, u.deactivated_reason, ${isoUtc('u.last_synced_at')} as last_synced_at, u.kept_fields as kept,
              exists (select 1 from employee_profile p where p.hr_user_id = u.id) as has_profile,
              (select field_owners from integration_settings where id = 1) as owners
         from hr_user u where u.id = ?`,
      [id],
    );
    const linked = summary.entraId !== null;
    const fields = Object.fromEntries(
      Object.entries(row!.fields).map(([field, value]) => [
        field,
        {
          value,
          source: row!.sources[field]?.source ?? null,
          changedAt: toIsoUtc(row!.sources[field]?.changedAt),
          readOnly: linked && followsEntra(field, row!.has_profile, row!.owners),
          // HR kept its value over Entra's at the e-mail match; it stays until Entra changes the field (2.8).
          keptOnMatch: Object.hasOwn(row!.kept, field),
        },
      ]),
    );
    return {
      ...summary,
      hasEmployeeProfile: row!.has_profile,
      deactivatedReason: row!.deactivated_reason,
      lastSyncedAt: row!.last_synced_at,
      customFields: row!.custom,
      fields,
    };
  }

  async picture(id: string): Promise<{ contentType: string; bytes: Buffer } | null> {
    const rows = await this.em.execute<{ content_type: string; bytes: Buffer }[]>(
      'select content_type, bytes from hr_user_picture where hr_user_id = ? and bytes is not null',
      [id],
    );
    return rows[0] ? { contentType: rows[0].content_type, bytes: rows[0].bytes } : null;
  }

  /** Keyset pagination by e-mail, so a page costs the same whatever its position. */
  async list(options: {
    after?: string;
    limit: number;
    active?: boolean;
    search?: string;
  }): Promise<Page<HrUserSummary>> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (options.after) {
      where.push('lower(u.email) > lower(?)');
      values.push(options.after);
    }
    if (options.active !== undefined) {
      where.push('u.active = ?');
      values.push(options.active);
    }
    if (options.search) {
      where.push(`(u.email ilike ? ${LIKE_ESCAPE} or (u.first_name || ' ' || u.last_name) ilike ? ${LIKE_ESCAPE})`);
      values.push(containsPattern(options.search), containsPattern(options.search));
    }
    values.push(options.limit + 1);
    const rows = await this.em.execute<HrUserSummary[]>(
      `select ${summaryColumns} from hr_user u ${where.length ? `where ${where.join(' and ')}` : ''} order by lower(u.email) limit ?`,
      values,
    );
    return pageOf(rows, options.limit, (user) => user.email.toLowerCase());
  }
}
