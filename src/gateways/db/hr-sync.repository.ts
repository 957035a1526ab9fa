import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  HrCandidate,
  HrSyncStore,
  MirrorUser,
  PagePlan,
  RunSettings,
  UserOutcome,
} from '../../sync/inbound/apply.ports.js';
import type { SyncedHrField } from '../../domain/hr-field.catalogue.js';
import { HR_FIELDS_AS_JSON, HR_FIELD_COLUMNS } from './hr-columns.js';
import { executeBound } from './bound-sql.js';
import { mirrorRangeSql } from './mirror-range.js';
import { PgSettingsRepository } from './settings.repository.js';

/** An HR user (alias u) that a SCIM push provisions now: written by a push, not taken out by a DELETE. */
export const PROVISIONED = '(u.scim_user_name is not null and u.scim_removed_at is null)';

/**
 * The apply stage's reads and writes: pages of changed mirror users with their groups, the HR
 * users they may match, and one transaction per page plan. One query per page, never per user.
 */
export class HrSyncRepository implements HrSyncStore {
  constructor(private readonly em: EntityManager) {}

  async runSettings(): Promise<RunSettings> {
    const settings = await new PgSettingsRepository(this.em).read();
    const groups = await this.em.execute<{ entra_group_id: string }[]>(
      'select entra_group_id from synced_group order by entra_group_id',
    );
    const mappings = await this.em.execute<{ entra_group_id: string; role_id: string }[]>(
      'select entra_group_id, role_id from group_role_mapping order by entra_group_id, role_id',
    );
    const roles = await this.em.execute<{ id: string; name: string; protected: boolean }[]>(
      'select id, name, protected from role',
    );
    const roleMapping: Record<string, string[]> = {};
    for (const m of mappings) (roleMapping[m.entra_group_id] ??= []).push(m.role_id);
    return {
      syncedGroupIds: groups.map((g) => g.entra_group_id),
      followNestedGroups: settings.followNestedGroups,
      neverSyncedPolicy: settings.neverSyncedPolicy,
      userSource: settings.userSource,
      guardThreshold: settings.guardThreshold,
      roleSync: settings.roleSync,
      attributeMapping: settings.attributeMapping,
      fieldOwners: settings.fieldOwners,
      roleMapping,
      protectedRoleIds: roles.filter((r) => r.protected).map((r) => r.id),
      roleNames: Object.fromEntries(roles.map((r) => [r.id, r.name])),
    };
  }

  async applyState(): Promise<{
    appliedSeq: number;
    currentSeq: number;
    fingerprint: string | null;
    lastFullAt: Date | null;
  }> {
    const [row] = await this.em.execute<
      { applied_seq: string; current_seq: string; settings_fingerprint: string | null; last_full_at: Date | null }[]
    >(
      `select applied_seq, settings_fingerprint, last_full_at,
              (select case when is_called then last_value else 0 end from entra_change_seq) as current_seq
         from sync_state where id = 1`,
    );
    return {
      appliedSeq: Number(row!.applied_seq),
      currentSeq: Number(row!.current_seq),
      fingerprint: row!.settings_fingerprint,
      lastFullAt: row!.last_full_at,
    };
  }

  async markApplied(seq: number, fingerprint: string, full: boolean): Promise<void> {
    await this.em.execute(
      `update sync_state set applied_seq = greatest(applied_seq, ?), settings_fingerprint = ?, last_full_at = case when ? then now() else last_full_at end where id = 1`,
      [seq, fingerprint, full],
    );
  }

  /**
   * Rule 3.2 whatever happened before (a stale confirm, a manual deactivation, a run that failed):
   * every inactive HR user whose Entra user is enabled, not archived as an employee, and in a
   * synced group now is marked changed, so this run's apply stage looks at it and reactivates it.
   * Only users changed since the last look can be due: being back in a group or enabled again is an
   * Entra change, which marks them changed anyway; what the sync may have to undo is a deactivation
   * made in HR since, and every HR user write stamps last_changed_at. The look reaches back a few
   * minutes before the last one, so a deactivation committed while it ran is not missed. Normally
   * none: one statement over an index of the inactive users changed since.
   */
  async markDueReactivations(syncedGroupIds: string[], nested: boolean): Promise<number> {
    const groups = [...new Set((await this.groupClosure(syncedGroupIds, nested)).map((c) => c.group))];
    return this.em.transactional(async (em) => {
      const [state] = await em.execute<{ since: Date | null }[]>(
        `select reactivations_checked_at - interval '5 minutes' as since from sync_state where id = 1 for update`,
      );
      const since = state?.since ?? null;
      let due = 0;
      if (groups.length) {
        // `= any(array(...))` and the lateral `limit 1` keep the planner on index probes, never a
        // scan of the mirror or of every inactive user.
        const rows = await em.execute<{ entra_id: string }[]>(
          `update entra_user e set changed_seq = nextval('entra_change_seq')
            where e.entra_id = any(array(
                    select u.entra_id from hr_user u
                     cross join lateral (
                       select 1 from entra_group_member m
                        where m.member_id = u.entra_id and m.group_id = any(array(select jsonb_array_elements_text(?::jsonb))) limit 1) member
                     where not u.active and u.entra_id is not null
                       and (?::timestamptz is null or u.last_changed_at is null or u.last_changed_at >= ?::timestamptz)
                       and not exists (select 1 from employee_profile ep where ep.hr_user_id = u.id and ep.employment_status = 'archived')))
              and e.removed is null
              and coalesce(e.properties->'accountEnabled' <> 'false'::jsonb, true)
           returning e.entra_id`,
          [JSON.stringify(groups), since, since],
        );
        due = rows.length;
      }
      await em.execute('update sync_state set reactivations_checked_at = now() where id = 1');
      return due;
    });
  }

  /**
   * The groups that matter to a run (synced groups and groups mapped to roles), each with the
   * groups nested in it when nested groups are followed: computed once per run, over groups only.
   */
  async groupClosure(roots: string[], nested: boolean): Promise<Array<{ root: string; group: string }>> {
    return this.em.execute(
      `with recursive closure(root, grp, depth) as (
         select value, value, 0 from jsonb_array_elements_text(?::jsonb)
         union
         select c.root, m.member_id, c.depth + 1 from closure c
           join entra_group_member m on m.group_id = c.grp and m.member_type = 'group'
          where ? and c.depth < 32
       ) select distinct root, grp as "group" from closure`,
      [JSON.stringify(roots), nested],
    );
  }

  /**
   * Mirror users changed in (afterSeq, uptoSeq] (all users when `all`), keyset-paged by id, each
   * with the groups of `closure` it belongs to and its manager's identity: one query per page.
   */
  async changedUsers(q: {
    afterSeq: number;
    uptoSeq: number;
    all: boolean;
    afterId: string;
    limit: number;
    closure: Array<{ root: string; group: string }>;
    onlyIds?: string[];
  }): Promise<MirrorUser[]> {
    const range = mirrorRangeSql(q);
    const rows = await this.em.execute<
      {
        entra_id: string;
        properties: Record<string, unknown>;
        removed: string | null;
        manager: MirrorUser['manager'];
        groups: string[] | null;
      }[]
    >(
      `with page as (
         select e.entra_id, e.properties, e.removed, e.manager_entra_id from entra_user e
          where e.entra_id > ? and ${range.where}
          order by e.entra_id limit ?
       ), closure as (
         select * from jsonb_to_recordset(?::jsonb) as c(root text, "group" text)
       ), memberships as (
         select m.member_id as user_id, array_agg(distinct c.root) as groups
           from page p join entra_group_member m on m.member_id = p.entra_id join closure c on c."group" = m.group_id
          group by m.member_id
       )
       select p.entra_id, p.properties, p.removed, ms.groups,
              case when mgr.entra_id is null then null else jsonb_build_object('id', mgr.entra_id, 'mail', mgr.properties->>'mail', 'employeeId', mgr.properties->>'employeeId') end as manager
         from page p
         left join memberships ms on ms.user_id = p.entra_id
         left join entra_user mgr on mgr.entra_id = p.manager_entra_id
        order by p.entra_id`,
      [q.afterId, ...range.params, q.limit, JSON.stringify(q.closure)],
    );
    return rows.map((r) => ({
      entraId: r.entra_id,
      properties: r.properties,
      removed: r.removed,
      manager: r.manager,
      groups: r.groups ?? [],
    }));
  }

  /** HR users linked to these Entra ids or holding these e-mails (compared case-insensitively). */
  async candidates(entraIds: string[], emails: string[]): Promise<HrCandidate[]> {
    const rows = await this.em.execute<
      {
        id: string;
        email: string;
        entra_id: string | null;
        active: boolean;
        origin: string;
        has_profile: boolean;
        archived: boolean;
        role_ids: string[];
        role_sync_state: HrCandidate['roleSyncState'];
        fields: Record<string, string | null>;
        custom: Record<string, unknown>;
        kept: HrCandidate['kept'] | null;
      }[]
    >(
      `select u.id, u.email, u.entra_id, u.active, u.origin, u.role_sync_state, ${HR_FIELDS_AS_JSON} as fields, u.custom_fields as custom, u.kept_fields as kept,
              p.id is not null as has_profile, coalesce(p.employment_status = 'archived', false) as archived,
              coalesce((select array_agg(ur.role_id::text) from user_role ur where ur.hr_user_id = u.id), '{}') as role_ids
         from hr_user u left join employee_profile p on p.hr_user_id = u.id
        where u.id in (
          -- Two index lookups, not one OR that would scan every HR user on every page.
          select id from hr_user where entra_id in (select jsonb_array_elements_text(?::jsonb))
          union
          select id from hr_user where lower(email) in (select lower(value) from jsonb_array_elements_text(?::jsonb)))`,
      [JSON.stringify(entraIds), JSON.stringify(emails)],
    );
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      entraId: r.entra_id,
      active: r.active,
      origin: r.origin,
      hasEmployeeProfile: r.has_profile,
      employeeArchived: r.archived,
      roleIds: r.role_ids,
      roleSyncState: r.role_sync_state,
      values: {
        ...r.fields,
        ...Object.fromEntries(
          Object.entries(r.custom ?? {}).map(([k, v]) => [
            `custom.${k}`,
            v === null || v === undefined ? null : String(v),
          ]),
        ),
      },
      kept: r.kept ?? {},
    }));
  }

  /**
   * Full runs only: linked HR users whose Entra user the mirror never saw are gone (3.1); with the
   * 'deactivate' policy, never-synced HR users are too (3.3), except holders of a protected role,
   * so the sync can never lock every administrator out. Queued (or, in a preview, reported).
   */
  async queueOrphanDeactivations(
    runId: string,
    neverSynced: boolean,
    write: boolean,
    sparePushed: boolean,
  ): Promise<void> {
    const select = `select u.id as hr_user_id, u.entra_id, u.email,
        case when u.entra_id is null then 'not-in-synced-group' else 'deleted-in-entra' end as reason
       from hr_user u
      where u.active and (
        (u.entra_id is not null and not exists (select 1 from entra_user e where e.entra_id = u.entra_id))
        or (? and u.entra_id is null and not (? and ${PROVISIONED}) and not exists (
              select 1 from user_role ur join role r on r.id = ur.role_id where ur.hr_user_id = u.id and r.protected)))`;
    if (write) {
      await this.em.execute(
        `insert into pending_deactivation (run_id, hr_user_id, entra_id, email, reason) select ?, * from (${select}) o on conflict do nothing`,
        [runId, neverSynced, sparePushed],
      );
      return;
    }
    await this.em.execute(
      `insert into sync_run_outcome (run_id, hr_user_id, entra_id, email, outcome, changes, reason)
       select ?, o.hr_user_id, o.entra_id, o.email, 'deactivated', '[{"field":"active","old":true,"new":false}]'::jsonb, o.reason from (${select}) o`,
      [runId, neverSynced, sparePushed],
    );
  }

  /**
   * Managers by Entra id, whatever order users arrived in: after the pages, for the HR users written
   * since the last resolution and their reports (only they can have a new link: a new manager
   * reference, or a manager created or linked since), or for everyone after a full apply. A run
   * that died before resolving left its users after the mark, so the next resolution still covers
   * them. The users in scope are found through indexes first, then updated by id: a run that wrote
   * nobody reads a few index pages, not the table.
   */
  async resolveManagers(everyone: boolean): Promise<number> {
    return this.em.transactional(async (em) => {
      const [state] = await em.execute<{ since: Date | null }[]>(
        'select managers_resolved_at as since from sync_state where id = 1 for update',
      );
      const since = everyone ? null : (state?.since ?? null);
      // Everyone (after a full apply, or before any resolution): one pass over the table. Otherwise
      // the written users through the last_synced_at index, their reports through manager_entra_id's.
      const scope =
        since === null
          ? ''
          : `and u.id in (
               with written as (select id, entra_id from hr_user where last_synced_at >= ?::timestamptz)
               select id from written
               union select r.id from hr_user r where r.manager_entra_id = any(array(select entra_id from written where entra_id is not null)))`;
      const rows = await em.execute<{ id: string }[]>(
        `update hr_user u set manager_id = d.manager_id, last_change_origin = 'entra', last_changed_at = now()
           from (select u.id, m.id as manager_id from hr_user u left join hr_user m on m.entra_id = u.manager_entra_id
                  where (u.manager_entra_id is not null or u.manager_id is not null) and u.manager_id is distinct from m.id ${scope}) d
          where u.id = d.id returning u.id`,
        since === null ? [] : [since],
      );
      await em.execute('update sync_state set managers_resolved_at = now() where id = 1');
      return rows.length;
    });
  }

  /** Writes one page plan in one transaction; returns the outcomes with created users' ids filled in. */
  async writePlan(plan: PagePlan, runId: string, apply: boolean): Promise<UserOutcome[]> {
    return this.em.transactional(async (em) => {
      const outcomes = apply ? await writeHrChanges(em, plan) : plan.outcomes;
      if (apply && outcomes.some((o) => o.outcome === 'created')) await auditUsersCreatedByRun(em, runId);
      if (apply && plan.deactivations.length) {
        await executeBound(
          em,
          `insert into pending_deactivation (run_id, hr_user_id, entra_id, email, reason)
           select $1::uuid, hr_user_id, entra_id, email, reason from json_to_recordset($2::json) as x(hr_user_id uuid, entra_id text, email text, reason text)
           on conflict do nothing`,
          [
            runId,
            JSON.stringify(
              plan.deactivations.map((d) => ({
                hr_user_id: d.hrUserId,
                entra_id: d.entraId,
                email: d.email,
                reason: d.reason,
              })),
            ),
          ],
        );
      }
      await insertOutcomes(em, runId, outcomes);
      return outcomes;
    });
  }
}

/**
 * One audit row per run that created HR users, written with the first page that creates any (so a
 * committed creation always has its row): the run's outcomes list each user, the row points there.
 */
async function auditUsersCreatedByRun(em: EntityManager, runId: string): Promise<void> {
  const target = `sync-run:${runId}`;
  const link = {
    syncRunId: runId,
    createdBy: 'sync',
    outcomes: `/api/admin/sync/runs/${runId}/outcomes?outcome=created`,
  };
  await em.execute(
    `insert into audit_log (actor_id, action, target, old_value, new_value)
     select r.triggered_by, 'hr-user.create', x.target, null, x.link || jsonb_build_object('trigger', r.trigger)
       from sync_run r, jsonb_to_record(?::jsonb) as x(target text, link jsonb)
      where r.id = ?::uuid and not exists (select 1 from audit_log a where a.target = x.target and a.action = 'hr-user.create')`,
    [JSON.stringify({ target, link }), runId],
  );
}

/** The synced field holding the manager's Entra id (src/domain/hr-field.catalogue.ts). */
const MANAGER_FIELD: SyncedHrField = 'managerEntraId';

async function writeHrChanges(em: EntityManager, plan: PagePlan): Promise<UserOutcome[]> {
  const outcomes = [...plan.outcomes];
  if (plan.creates.length) {
    const created = await executeBound<{ id: string; entra_id: string }>(
      em,
      // The manager is linked at once when HR already has them (a first sync then leaves the manager
      // resolution little to do); one created later is linked by resolveManagers.
      `insert into hr_user (email, entra_id, ${Object.values(HR_FIELD_COLUMNS).join(', ')}, manager_id, custom_fields, field_sources, origin, role_sync_state, last_synced_at, last_change_origin, last_changed_at)
       select x.email, x.entra_id, ${Object.entries(HR_FIELD_COLUMNS)
         .map(([f, c]) => `(x.v->>'${f}')${c === 'hire_date' ? '::date' : ''}`)
         .join(', ')},
              (select m.id from hr_user m where m.entra_id = x.v->>'${MANAGER_FIELD}'),
              x.custom, (select coalesce(jsonb_object_agg(k, jsonb_build_object('source', 'entra', 'changedAt', now())), '{}') from jsonb_object_keys(x.v) k),
              'entra', x.role_state, now(), 'entra', now()
         from jsonb_to_recordset($1::jsonb) as x(email text, entra_id text, v jsonb, custom jsonb, role_state jsonb)
       on conflict do nothing returning id, entra_id`,
      [
        JSON.stringify(
          plan.creates.map((c) => ({
            email: c.email,
            entra_id: c.entraId,
            v: c.values,
            custom: c.custom,
            role_state: c.roleSyncState,
          })),
        ),
      ],
    );
    const idByEntra = new Map(created.map((c) => [c.entra_id, c.id]));
    const roleRows = plan.creates.flatMap((c) =>
      idByEntra.has(c.entraId) ? c.roleIds.map((r) => ({ hr_user_id: idByEntra.get(c.entraId), role_id: r })) : [],
    );
    if (roleRows.length) await grantRoles(em, roleRows);
    for (const [i, o] of outcomes.entries()) {
      if (o.outcome !== 'created') continue;
      const id = idByEntra.get(o.entraId!);
      // The e-mail (or the Entra id) is taken by another HR user: a conflict the unique indexes caught.
      outcomes[i] = id
        ? { ...o, hrUserId: id }
        : {
            ...o,
            outcome: 'skipped',
            changes: [],
            reason: 'Another HR user already has this e-mail address (compared case-insensitively).',
          };
    }
  }
  if (plan.updates.length) {
    const sets = Object.entries(HR_FIELD_COLUMNS).map(
      ([f, c]) =>
        `${c} = case when jsonb_exists(x.v, '${f}') then (x.v->>'${f}')${c === 'hire_date' ? '::date' : ''} else u.${c} end`,
    );
    await executeBound(
      em,
      `update hr_user u set ${sets.join(', ')},
         custom_fields = u.custom_fields || coalesce((select jsonb_object_agg(substr(k, 8), x.v->k) from jsonb_object_keys(x.v) k where k like 'custom.%'), '{}'),
         field_sources = u.field_sources || coalesce((select jsonb_object_agg(k, jsonb_build_object('source', 'entra', 'changedAt', now())) from jsonb_object_keys(x.v) k), '{}'),
         entra_id = coalesce(x.link, u.entra_id),
         active = u.active or x.reactivate,
         deactivated_reason = case when x.reactivate then null else u.deactivated_reason end,
         role_sync_state = case when x.role_known then x.role_state else u.role_sync_state end,
         kept_fields = coalesce(x.kept, u.kept_fields),
         last_synced_at = now(), updated_at = now(), last_change_origin = 'entra', last_changed_at = now()
       from json_to_recordset($1::json) as x(id uuid, v jsonb, link text, reactivate boolean, role_known boolean, role_state jsonb, kept jsonb)
       where u.id = x.id`,
      [
        JSON.stringify(
          plan.updates.map((u) => ({
            id: u.id,
            v: u.values,
            link: u.linkEntraId,
            reactivate: u.reactivate,
            role_known: u.roleSyncState !== undefined,
            role_state: u.roleSyncState ?? null,
            kept: u.kept ?? null,
          })),
        ),
      ],
    );
  }
  if (plan.roleGrants.length)
    await grantRoles(
      em,
      plan.roleGrants.map((g) => ({ hr_user_id: g.hrUserId, role_id: g.roleId })),
    );
  if (plan.roleRevokes.length) {
    await executeBound(
      em,
      `delete from user_role ur using json_to_recordset($1::json) as x(hr_user_id uuid, role_id uuid)
        where ur.hr_user_id = x.hr_user_id and ur.role_id = x.role_id`,
      [JSON.stringify(plan.roleRevokes.map((r) => ({ hr_user_id: r.hrUserId, role_id: r.roleId })))],
    );
  }
  return outcomes;
}

async function grantRoles(em: EntityManager, rows: Array<{ hr_user_id: unknown; role_id: string }>): Promise<void> {
  await executeBound(
    em,
    `insert into user_role (hr_user_id, role_id, granted_by) select hr_user_id, role_id, 'sync' from json_to_recordset($1::json) as x(hr_user_id uuid, role_id uuid)
     on conflict do nothing`,
    [JSON.stringify(rows)],
  );
}

/** Outcomes as the JSON rows the outcome inserts read (json_to_recordset). */
export function outcomeRows(outcomes: readonly UserOutcome[]): string {
  return JSON.stringify(
    outcomes.map((o) => ({
      hr_user_id: o.hrUserId,
      entra_id: o.entraId,
      email: o.email,
      outcome: o.outcome,
      changes: o.changes,
      reason: o.reason,
    })),
  );
}

export async function insertOutcomes(em: EntityManager, runId: string, outcomes: UserOutcome[]): Promise<void> {
  if (!outcomes.length) return;
  await executeBound(
    em,
    `insert into sync_run_outcome (run_id, hr_user_id, entra_id, email, outcome, changes, reason)
     select $1::uuid, hr_user_id, entra_id, email, outcome, coalesce(changes, '[]'), reason
       from json_to_recordset($2::json) as x(hr_user_id uuid, entra_id text, email text, outcome text, changes jsonb, reason text)`,
    [runId, outcomeRows(outcomes)],
  );
}
