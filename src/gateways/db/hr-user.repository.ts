import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { grantedBy, type ChangeOrigin } from '../../domain/change-origin.js';
import type {
  HeldRole,
  HrUserEditTarget,
  HrUserFieldChange,
  HrUserRepository,
  HrUserStatus,
  NewHrUserRecord,
} from '../../application/ports/hr-user.port.js';
import type { HrEditableField } from '../../domain/hr-field.catalogue.js';
import type { ProvisionedChange, ProvisionedUser } from '../../application/ports/scim.port.js';
import type { RoleSyncMemory } from '../../domain/role-policy.js';
import type { UserSource } from '../../domain/user-source.js';
import type { ScimUserRecord } from '../../scim/scim-user.mapping.js';
import type { UserOutcome } from '../../sync/inbound/apply.ports.js';
import { castOf, columnOf, HR_FIELDS_AS_JSON } from './hr-columns.js';
import {
  insertProvisionedUser,
  markRemovedFromProvisioning,
  updateProvisionedUser,
  writeRoleDecisions,
} from './hr-user-provisioning.js';
import { PgSettingsRepository } from './settings.repository.js';
import { WriteBackOutbox } from './write-back-outbox.js';

/** Every write sets these: who made the change and when (see ChangeOrigin). */
const ORIGIN = `last_change_origin = ?, last_changed_at = now()`;
/** A change of the user's own columns also moves `updated_at`, which the export shows; a change of its roles does not. */
const CHANGED = `${ORIGIN}, updated_at = now()`;

/**
 * The HR user aggregate in PostgreSQL: the user row, its roles (user_role) and its field sources.
 * Every write of application code goes through here and records the change's origin and time on
 * the user, and HR's changes that Entra should hear of in write-back's outbox, in the same
 * transaction (the caller's). The sync's page writes live in hr-sync.repository and record
 * 'entra' the same way, with nothing for the outbox (rule 4.5).
 */
export class PgHrUserRepository implements HrUserRepository {
  constructor(private readonly em: EntityManager) {}

  async create(user: NewHrUserRecord, origin: ChangeOrigin): Promise<string | null> {
    const rows = await this.em.execute<{ id: string }[]>(
      `insert into hr_user (email, first_name, last_name, display_name, origin, last_change_origin, last_changed_at)
       values (?, ?, ?, ?, ?, ?, now()) on conflict do nothing returning id`,
      [user.email, user.firstName, user.lastName, user.displayName, origin, origin],
    );
    if (rows[0]) await new WriteBackOutbox(this.em).recordCreate(origin, [rows[0].id]);
    return rows[0]?.id ?? null;
  }

  async lockForEdit(id: string): Promise<HrUserEditTarget | null> {
    const [row] = await this.em.execute<
      {
        email: string;
        entra_id: string | null;
        fields: Record<string, string | null>;
        has_profile: boolean;
      }[]
    >(
      `select u.email, u.entra_id, ${HR_FIELDS_AS_JSON} as fields,
              exists (select 1 from employee_profile p where p.hr_user_id = u.id) as has_profile
         from hr_user u where u.id = ? for update of u`,
      [id],
    );
    if (!row) return null;
    return {
      email: row.email,
      entraId: row.entra_id,
      fields: row.fields,
      hasEmployeeProfile: row.has_profile,
      owners: (await new PgSettingsRepository(this.em).read()).fieldOwners,
    };
  }

  async updateFields(id: string, change: HrUserFieldChange, origin: ChangeOrigin): Promise<'updated' | 'email-taken'> {
    const fields = Object.keys(change.fields) as HrEditableField[];
    const sets = fields.map((field) => `${columnOf(field, 'hrUser')} = ?${castOf(field, 'hrUser')}`);
    const params: unknown[] = fields.map((field) => change.fields[field]);
    if (change.email !== undefined) {
      sets.push('email = ?');
      params.push(change.email);
    }
    // Each changed field now comes from the origin, as the user's detail shows (docs/rules.md#inbound-sync).
    sets.push(
      `field_sources = field_sources || coalesce((select jsonb_object_agg(f, jsonb_build_object('source', ?::text, 'changedAt', now())) from jsonb_array_elements_text(?::jsonb) f), '{}')`,
    );
    params.push(origin, JSON.stringify(fields));
    try {
      await this.em.execute(`update hr_user set ${sets.join(', ')}, ${CHANGED} where id = ?`, [...params, origin, id]);
      await new WriteBackOutbox(this.em).recordUpdate(origin, 'hrUser', [id], fields);
      return 'updated';
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) return 'email-taken';
      throw error;
    }
  }

  async lockStatus(id: string): Promise<(HrUserStatus & { entraId: string | null }) | null> {
    const [row] = await this.em.execute<Array<HrUserStatus & { entraId: string | null }>>(
      'select id, email, active, deactivated_reason as "deactivatedReason", entra_id as "entraId" from hr_user where id = ? for update',
      [id],
    );
    return row ?? null;
  }

  async setActive(id: string, active: boolean, reason: string | null, origin: ChangeOrigin): Promise<HrUserStatus> {
    const [row] = await this.em.execute<HrUserStatus[]>(
      `update hr_user set active = ?, deactivated_reason = ?, ${CHANGED} where id = ?
       returning id, email, active, deactivated_reason as "deactivatedReason"`,
      [active, reason, origin, id],
    );
    return row!;
  }

  async deactivateArchivedEmployees(origin: ChangeOrigin, ids?: readonly string[]): Promise<number> {
    const which =
      ids === undefined
        ? `select hr_user_id from employee_profile where employment_status = 'archived'`
        : 'select jsonb_array_elements_text(?::jsonb)::uuid';
    const rows = await this.em.execute<{ id: string }[]>(
      `update hr_user set active = false, deactivated_reason = 'employee-archived', ${CHANGED}
        where active and id in (${which}) returning id`,
      ids === undefined ? [origin] : [origin, JSON.stringify(ids)],
    );
    await new WriteBackOutbox(this.em).recordDelete(
      origin,
      rows.map((row) => row.id),
    );
    return rows.length;
  }

  async reactivateUnarchivedEmployee(id: string, origin: ChangeOrigin): Promise<void> {
    await this.em.execute(
      `update hr_user set active = true, deactivated_reason = null, ${CHANGED}
        where id = ? and not active and deactivated_reason = 'employee-archived'`,
      [origin, id],
    );
  }

  async delete(id: string, origin: ChangeOrigin): Promise<{ writeBackChangeId: string | null }> {
    // Recorded while the user still holds its Entra id; the change keeps it (its hr_user_id goes null).
    const [changeId] = await new WriteBackOutbox(this.em).recordDelete(origin, [id]);
    await this.em.execute('delete from hr_user where id = ?', [id]);
    return { writeBackChangeId: changeId ?? null };
  }

  async lockLink(id: string): Promise<{ id: string; entraId: string | null } | null> {
    const [row] = await this.em.execute<{ id: string; entraId: string | null }[]>(
      'select id, entra_id as "entraId" from hr_user where id = ? for update',
      [id],
    );
    return row ?? null;
  }

  async holdExisting(id: string): Promise<boolean> {
    const rows = await this.em.execute<{ id: string }[]>('select id from hr_user where id = ? for share', [id]);
    return rows.length > 0;
  }

  async roles(id: string): Promise<HeldRole[]> {
    return this.em.execute<HeldRole[]>(
      'select r.id, r.name, r.protected from user_role ur join role r on r.id = ur.role_id where ur.hr_user_id = ?',
      [id],
    );
  }

  async changeRoles(id: string, change: { grant: string[]; revoke: string[] }, origin: ChangeOrigin): Promise<void> {
    if (!change.grant.length && !change.revoke.length) return;
    if (change.revoke.length) {
      await this.em.execute(
        'delete from user_role where hr_user_id = ? and role_id in (select jsonb_array_elements_text(?::jsonb)::uuid)',
        [id, JSON.stringify(change.revoke)],
      );
    }
    if (change.grant.length) {
      await this.em.execute(
        `insert into user_role (hr_user_id, role_id, granted_by) select ?, r::uuid, ? from jsonb_array_elements_text(?::jsonb) r
         on conflict do nothing`,
        [id, grantedBy(origin), JSON.stringify(change.grant)],
      );
    }
    await this.em.execute(`update hr_user set ${ORIGIN} where id = ?`, [origin, id]);
  }

  createProvisioned(
    user: ProvisionedUser,
    origin: ChangeOrigin,
    sources: readonly UserSource[],
    recorded: UserOutcome,
  ): Promise<ScimUserRecord | null> {
    return insertProvisionedUser(this.em, user, origin, sources, recorded);
  }

  writeProvisioned(
    id: string,
    change: ProvisionedChange,
    origin: ChangeOrigin,
    recorded: readonly UserOutcome[],
    stamp?: string,
  ): Promise<ScimUserRecord | 'taken' | 'stale'> {
    return updateProvisionedUser(this.em, id, change, origin, recorded, stamp);
  }

  removeFromProvisioning(id: string, origin: ChangeOrigin): Promise<void> {
    return markRemovedFromProvisioning(this.em, id, origin);
  }

  applyRoleDecisions(
    rows: ReadonlyArray<{ id: string; grant: string[]; revoke: string[]; roleSyncState: RoleSyncMemory | null }>,
    origin: ChangeOrigin,
  ): Promise<void> {
    return writeRoleDecisions(this.em, rows, grantedBy(origin), origin);
  }

  async hasAnotherActiveAdministrator(exceptId: string): Promise<boolean> {
    await this.em.execute(`select pg_advisory_xact_lock(hashtext('ehc:protected-role-holders'))`);
    const others = await this.em.execute<{ id: string }[]>(
      `select u.id from user_role ur join role r on r.id = ur.role_id join hr_user u on u.id = ur.hr_user_id
        where r.protected and u.active and u.id <> ? limit 1`,
      [exceptId],
    );
    return others.length > 0;
  }

  async ensureAdministrator(
    user: NewHrUserRecord,
    origin: ChangeOrigin,
  ): Promise<{ id: string; granted: Array<{ name: string }> }> {
    // An existing user is left as it is (the no-op update only makes `returning` answer its id).
    const [row] = await this.em.execute<{ id: string }[]>(
      `insert into hr_user (email, first_name, last_name, display_name, origin, last_change_origin, last_changed_at)
       values (?, ?, ?, ?, ?, ?, now())
       on conflict ((lower(email))) do update set updated_at = hr_user.updated_at returning id`,
      [user.email, user.firstName, user.lastName, user.displayName, origin, origin],
    );
    const id = row!.id;
    const granted = await this.em.execute<{ name: string }[]>(
      `with granted as (insert into user_role (hr_user_id, role_id, granted_by) select ?, id, ? from role where name = 'Administrator' on conflict do nothing returning role_id)
       select r.name from granted g join role r on r.id = g.role_id`,
      [id, grantedBy(origin)],
    );
    if (granted.length) await this.em.execute(`update hr_user set ${ORIGIN} where id = ?`, [origin, id]);
    return { id, granted };
  }
}
