/*
 * The HR user writes of SCIM pushes (docs/rules.md section 7), called by PgHrUserRepository only,
 * which is where every HR user write goes: each records its origin and time like the others, and
 * marks the HR fields it wrote as coming from that origin (the user's detail shows it). A create or
 * a change is one statement with its record in the SCIM history and the user as it reads back:
 * Entra's initial cycle sends one request per user, and round trips were most of each one's cost.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProvisionedChange, ProvisionedUser } from '../../application/ports/scim.port.js';
import type { ChangeOrigin } from '../../domain/change-origin.js';
import type { RoleSyncMemory } from '../../domain/role-policy.js';
import type { UserSource } from '../../domain/user-source.js';
import { SCIM_USER_FIELDS, type ScimUserRecord } from '../../scim/scim-user.mapping.js';
import type { UserOutcome } from '../../sync/inbound/apply.ports.js';
import { executeBound } from './bound-sql.js';
import { prepared } from './prepared-statements.js';
import { columnOf } from './hr-columns.js';
import { boundParameters, scimHistoryCtes, type BindParameter } from './scim-history.repository.js';
import { USER_RECORD, userStamp } from './scim-user.repository.js';

/** `field_sources` entries for the fields written: each now comes from the origin. */
const sources = (bind: BindParameter, origin: ChangeOrigin, fields: readonly string[]) =>
  `coalesce((select jsonb_object_agg(f, jsonb_build_object('source', ${bind(origin)}::text, 'changedAt', now())) from jsonb_array_elements_text(${bind(JSON.stringify(fields))}::jsonb) f), '{}')`;

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** PostgreSQL's unique_violation (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const isUniqueViolation = (error: unknown) =>
  error instanceof UniqueConstraintViolationException || (error as { code?: unknown })?.code === '23505';

/**
 * One statement: the setting is checked, the user inserted with its field sources, and its
 * creation recorded in the day's SCIM run. A user whose userName or e-mail is taken conflicts with
 * a unique index (the same comparison lockCandidates makes) and is not inserted.
 */
export async function insertProvisionedUser(
  em: EntityManager,
  user: ProvisionedUser,
  origin: ChangeOrigin,
  userSources: readonly UserSource[],
  recorded: UserOutcome,
): Promise<ScimUserRecord | null> {
  const { params, bind } = boundParameters();
  const written = SCIM_USER_FIELDS.filter(({ field }) => field !== 'email' && user.fields[field] != null);
  const columns = written.map(({ field }) => columnOf(field, 'hrUser'));
  const values = [
    bind(user.email),
    ...written.map(({ field }) => bind(user.fields[field])),
    `${bind(user.managerId)}::uuid`,
    bind(user.active),
    bind(user.deactivatedReason),
    bind(origin),
    bind(user.userName),
    bind(user.externalId),
    `${bind(json(user.attributes))}::jsonb`,
    sources(bind, origin, ['email', ...written.map(({ field }) => field)]),
    bind(origin),
  ];
  const sql = `with created as (
      insert into hr_user as u (email, ${columns.map((c) => `${c}, `).join('')}manager_id, active, deactivated_reason, origin,
         scim_user_name, scim_external_id, scim_attributes, field_sources, last_change_origin, last_changed_at)
      select ${values.join(', ')}, now()
       where (select user_source from integration_settings where id = 1) = any(${bind(userSources)}::text[])
      on conflict do nothing returning ${USER_RECORD}
    ), ${scimHistoryCtes(bind, [recorded], new Date(), 'created')}
    select * from created`;
  const rows = await executeBound<ScimUserRecord>(em, prepared(sql), params);
  return rows[0] ?? null;
}

/** One statement: the user's changed columns, and what the push changed in the day's SCIM run. */
export async function updateProvisionedUser(
  em: EntityManager,
  id: string,
  change: ProvisionedChange,
  origin: ChangeOrigin,
  recorded: readonly UserOutcome[],
  stamp?: string,
): Promise<ScimUserRecord | 'taken' | 'stale'> {
  const { params, bind } = boundParameters();
  const sets: string[] = [];
  const fields = Object.entries(change.fields ?? {});
  for (const [field, value] of fields)
    sets.push(`${field === 'email' ? 'email' : columnOf(field as never, 'hrUser')} = ${bind(value)}`);
  if (fields.length)
    sets.push(
      `field_sources = u.field_sources || ${sources(
        bind,
        origin,
        fields.map(([f]) => f),
      )}`,
    );
  if (change.managerId !== undefined) sets.push(`manager_id = ${bind(change.managerId)}::uuid`);
  if (change.kept !== undefined) sets.push(`kept_fields = ${bind(JSON.stringify(change.kept))}::jsonb`);
  if (change.status)
    sets.push(`active = ${bind(change.status.active)}, deactivated_reason = ${bind(change.status.reason)}`);
  if (change.identity) {
    const { userName, externalId, attributes } = change.identity;
    sets.push(
      `scim_user_name = ${bind(userName)}, scim_external_id = ${bind(externalId)}, scim_attributes = ${bind(json(attributes))}::jsonb, scim_removed_at = null`,
    );
  }
  const unchanged =
    stamp === undefined
      ? ''
      : ` and ${userStamp('(select s.updated_at::text from integration_settings s where s.id = 1)')} = ${bind(stamp)}`;
  const which = `u.id = ${bind(id)}::uuid${unchanged}`;
  const user = sets.length
    ? `update hr_user as u set ${sets.join(', ')}, last_change_origin = ${bind(origin)}, last_changed_at = now(), updated_at = now()
        where ${which} returning ${USER_RECORD}`
    : `select ${USER_RECORD} from hr_user u where ${which}`;
  const history = recorded.length ? `, ${scimHistoryCtes(bind, recorded, new Date(), 'changed')}` : '';
  try {
    const rows = await executeBound<ScimUserRecord>(
      em,
      prepared(`with changed as (${user})${history} select * from changed`),
      params,
    );
    return rows[0] ?? 'stale';
  } catch (error) {
    if (isUniqueViolation(error)) return 'taken';
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
