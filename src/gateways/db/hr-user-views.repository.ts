import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  HrUserDetailRecord,
  HrUserListQuery,
  HrUserSummary,
  HrUserViews,
  UserRolesView,
} from '../../application/ports/hr-user-views.port.js';
import { HR_FIELDS_AS_JSON } from './hr-columns.js';
import { containsPattern, LIKE_ESCAPE } from './like-pattern.js';
import { PgSettingsRepository } from './settings.repository.js';
import { isoUtc, toIsoUtc } from './sql-time.js';

const ROLE_NAMES = `coalesce((select array_agg(r.name order by r.name) from user_role ur join role r on r.id = ur.role_id where ur.hr_user_id = u.id), '{}')`;

const SUMMARY_COLUMNS = `u.id, u.email, u.first_name as "firstName", u.last_name as "lastName", u.active, u.origin,
  u.entra_id as "entraId", ${ROLE_NAMES} as roles`;

/** HR users as the admin API shows them: read-only queries over the HR user aggregate. */
export class PgHrUserViews implements HrUserViews {
  constructor(private readonly em: EntityManager) {}

  async summary(id: string): Promise<HrUserSummary | null> {
    const rows = await this.em.execute<HrUserSummary[]>(`select ${SUMMARY_COLUMNS} from hr_user u where u.id = ?`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  /** Keyset pagination by e-mail, so a page costs the same whatever its position. */
  async list(query: HrUserListQuery): Promise<HrUserSummary[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (query.after) {
      where.push('lower(u.email) > lower(?)');
      values.push(query.after);
    }
    if (query.active !== undefined) {
      where.push('u.active = ?');
      values.push(query.active);
    }
    if (query.search) {
      where.push(`(u.email ilike ? ${LIKE_ESCAPE} or (u.first_name || ' ' || u.last_name) ilike ? ${LIKE_ESCAPE})`);
      values.push(containsPattern(query.search), containsPattern(query.search));
    }
    values.push(query.limit);
    return this.em.execute<HrUserSummary[]>(
      `select ${SUMMARY_COLUMNS} from hr_user u ${where.length ? `where ${where.join(' and ')}` : ''} order by lower(u.email) limit ?`,
      values,
    );
  }

  async detail(id: string): Promise<HrUserDetailRecord | null> {
    const [row] = await this.em.execute<
      {
        fields: Record<string, string | null>;
        sources: Record<string, { source: string; changedAt: string }>;
        custom: Record<string, unknown>;
        has_profile: boolean;
        deactivated_reason: string | null;
        last_synced_at: string | null;
        kept: Record<string, unknown>;
      }[]
    >(
      `select ${HR_FIELDS_AS_JSON} as fields, u.field_sources as sources, u.custom_fields as custom, u.deactivated_reason, ${isoUtc('u.last_synced_at')} as last_synced_at, u.kept_fields as kept,
              exists (select 1 from employee_profile p where p.hr_user_id = u.id) as has_profile
         from hr_user u where u.id = ?`,
      [id],
    );
    if (!row) return null;
    return {
      fields: row.fields,
      sources: Object.fromEntries(
        Object.entries(row.sources).map(([field, s]) => [
          field,
          { source: s.source, changedAt: toIsoUtc(s.changedAt) },
        ]),
      ),
      customFields: row.custom,
      hasEmployeeProfile: row.has_profile,
      deactivatedReason: row.deactivated_reason,
      lastSyncedAt: row.last_synced_at,
      owners: (await new PgSettingsRepository(this.em).read()).fieldOwners,
      kept: row.kept,
    };
  }

  async picture(id: string): Promise<{ contentType: string; bytes: Buffer } | null> {
    const rows = await this.em.execute<{ content_type: string; bytes: Buffer }[]>(
      'select content_type, bytes from hr_user_picture where hr_user_id = ? and bytes is not null',
      [id],
    );
    return rows[0] ? { contentType: rows[0].content_type, bytes: rows[0].bytes } : null;
  }

  async roles(id: string): Promise<UserRolesView | null> {
    const [row] = await this.em.execute<UserRolesView[]>(
      `select u.id, u.email, ${ROLE_NAMES} as roles from hr_user u where u.id = ?`,
      [id],
    );
    return row ?? null;
  }

  async email(id: string): Promise<string | null> {
    const [row] = await this.em.execute<{ email: string }[]>('select email from hr_user where id = ?', [id]);
    return row?.email ?? null;
  }
}
