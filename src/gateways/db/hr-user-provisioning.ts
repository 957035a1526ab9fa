/*
 * The HR user writes of SCIM pushes (docs/rules.md section 7), called by PgHrUserRepository only,
 * which is where every HR user write goes: each records its origin and time like the others, and
 * marks the HR fields it wrote as coming from that origin (the user's detail shows it).
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProvisionedChange, ProvisionedUser } from '../../application/ports/scim.port.js';
import type { ChangeOrigin } from '../../domain/change-origin.js';
import type { RoleSyncMemory } from '../../domain/role-policy.js';
import { SCIM_USER_FIELDS } from '../../scim/scim-user.mapping.js';
import { columnOf } from './hr-columns.js';

/** `field_sources` entries for the fields written: each now comes from the origin (two parameters). */
const SOURCES = `coalesce((select jsonb_object_agg(f, jsonb_build_object('source', ?::text, 'changedAt', now())) from jsonb_array_elements_text(?::jsonb) f), '{}')`;

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

export async function insertProvisionedUser(
  em: EntityManager,
  user: ProvisionedUser,
  origin: ChangeOrigin,
): Promise<string | null> {
  const written = SCIM_USER_FIELDS.filter(({ field }) => field !== 'email' && user.fields[field] != null);
  const columns = written.map(({ field }) => columnOf(field, 'hrUser'));
  const rows = await em.execute<{ id: string }[]>(
    `insert into hr_user (email, ${columns.map((c) => `${c}, `).join('')}manager_id, active, deactivated_reason, origin,
       scim_user_name, scim_external_id, scim_attributes, field_sources, last_change_origin, last_changed_at)
     values (?, ${columns.map(() => '?, ').join('')}?::uuid, ?, ?, ?, ?, ?, ?::jsonb, ${SOURCES}, ?, now())
     on conflict do nothing returning id`,
    [
      user.email,
      ...written.map(({ field }) => user.fields[field]),
      user.managerId,
      user.active,
      user.deactivatedReason,
      origin,
      user.userName,
      user.externalId,
      json(user.attributes),
      origin,
      JSON.stringify(['email', ...written.map(({ field }) => field)]),
      origin,
    ],
  );
  return rows[0]?.id ?? null;
}

export async function updateProvisionedUser(
  em: EntityManager,
  id: string,
  change: ProvisionedChange,
  origin: ChangeOrigin,
): Promise<'updated' | 'taken'> {
  const sets: string[] = [];
  const params: unknown[] = [];
  const set = (sql: string, ...values: unknown[]) => {
    sets.push(sql);
    params.push(...values);
  };
  const fields = Object.entries(change.fields ?? {});
  for (const [field, value] of fields)
    set(field === 'email' ? 'email = ?' : `${columnOf(field as never, 'hrUser')} = ?`, value);
  if (fields.length) set(`field_sources = field_sources || ${SOURCES}`, origin, JSON.stringify(fields.map(([f]) => f)));
  if (change.managerId !== undefined) set('manager_id = ?::uuid', change.managerId);
  if (change.kept !== undefined) set('kept_fields = ?::jsonb', JSON.stringify(change.kept));
  if (change.identity) {
    const { userName, externalId, attributes } = change.identity;
    set(
      'scim_user_name = ?, scim_external_id = ?, scim_attributes = ?::jsonb, scim_removed_at = null',
      userName,
      externalId,
      json(attributes),
    );
  }
  if (sets.length === 0) return 'updated';
  try {
    await em.execute(
      `update hr_user set ${sets.join(', ')}, last_change_origin = ?, last_changed_at = now(), updated_at = now() where id = ?`,
      [...params, origin, id],
    );
    return 'updated';
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return 'taken';
    throw error;
  }
}

/** A DELETE: SCIM stops showing the user; HR keeps it (deactivated by the caller, never deleted). */
export async function markRemovedFromProvisioning(em: EntityManager, id: string, origin: ChangeOrigin): Promise<void> {
  await em.execute(
    `update hr_user set scim_removed_at = now(), last_change_origin = ?, last_changed_at = now(), updated_at = now() where id = ?`,
    [origin, id],
  );
  await em.execute('delete from scim_group_member where hr_user_id = ?', [id]);
}

/** Role sync for many users in three statements: revokes, grants, and each user's memory (rule 5.5). */
export async function writeRoleDecisions(
  em: EntityManager,
  rows: ReadonlyArray<{ id: string; grant: string[]; revoke: string[]; roleSyncState: RoleSyncMemory | null }>,
  grantedBy: string,
  origin: ChangeOrigin,
): Promise<void> {
  if (rows.length === 0) return;
  const pairs = (kind: 'grant' | 'revoke') =>
    JSON.stringify(rows.flatMap((r) => r[kind].map((role) => ({ u: r.id, r: role }))));
  await em.execute(
    `delete from user_role ur using jsonb_to_recordset(?::jsonb) as x(u uuid, r uuid) where ur.hr_user_id = x.u and ur.role_id = x.r`,
    [pairs('revoke')],
  );
  await em.execute(
    `insert into user_role (hr_user_id, role_id, granted_by) select x.u, x.r, ? from jsonb_to_recordset(?::jsonb) as x(u uuid, r uuid)
     on conflict do nothing`,
    [grantedBy, pairs('grant')],
  );
  await em.execute(
    `update hr_user u set role_sync_state = x.s, last_change_origin = ?, last_changed_at = now()
       from jsonb_to_recordset(?::jsonb) as x(id uuid, s jsonb) where u.id = x.id`,
    [origin, JSON.stringify(rows.map((r) => ({ id: r.id, s: r.roleSyncState })))],
  );
}
