import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChangeAction } from '../../domain/write-back-changes.js';
import type {
  PendingUser,
  SettledChange,
  WriteBackSettings,
  WriteBackStore,
} from '../../sync/write-back/write-back.ports.js';
import { HR_FIELDS_AS_JSON, recordColumns } from './hr-columns.js';
import { PgSettingsRepository } from './settings.repository.js';

/**
 * What the employee profile holds for write-back, by HR field: its own columns, its resignation
 * date as the leave date (rule 3.5), and its manager as the Entra id of the manager's HR user.
 */
const PROFILE_VALUES = `jsonb_build_object(${[
  ...recordColumns('employeeProfile')
    .filter(({ field }) => field !== 'email' && field !== 'managerEntraId')
    .map(({ field, column }) => `'${field}', p.${column}::text`),
  `'leaveDate', p.resignation_date::text`,
  `'managerEntraId', mu.entra_id`,
].join(', ')})`;

/** The toggle each action answers to (rule 4.6). */
const TOGGLES: ReadonlyArray<[ChangeAction, keyof WriteBackSettings, string]> = [
  ['update', 'update', 'writeBackUpdate'],
  ['create', 'create', 'writeBackCreate'],
  ['delete', 'delete', 'writeBackDelete'],
];

interface DueRow {
  id: string;
  action: ChangeAction;
  fields: string[];
  attempts: number;
  hr_user_id: string | null;
  entra_id: string | null;
  change_entra_id: string | null;
  first_name: string | null;
  last_name: string | null;
  display_name: string | null;
  email: string | null;
  change_email: string | null;
  values: Record<string, string | null> | null;
  manager_unlinked: boolean;
  on_premises: boolean | null;
  creating: { userPrincipalName: string; at: string } | null;
}

/** The write-back engine's outbox (write_back_change) and the settings it decides with. */
export class PgWriteBackStore implements WriteBackStore {
  constructor(private readonly em: EntityManager) {}

  async settings(): Promise<WriteBackSettings> {
    const settings = await new PgSettingsRepository(this.em).read();
    return {
      update: settings.writeBackUpdate,
      create: settings.writeBackCreate,
      delete: settings.writeBackDelete,
      permittedFields: settings.writeBackFields,
      createDomain: settings.writeBackCreateDomain,
      createGroupId: settings.writeBackCreateGroupId,
    };
  }

  async cancelSwitchedOff(settings: WriteBackSettings): Promise<number> {
    let cancelled = 0;
    for (const [action, toggle, setting] of TOGGLES) {
      if (settings[toggle]) continue;
      cancelled += await cancelPending(
        this.em,
        action,
        `${setting} was switched off before this change was sent (rule 4.6).`,
      );
    }
    return cancelled;
  }

  async due(users: number): Promise<PendingUser[]> {
    const rows = await this.em.execute<DueRow[]>(
      `with due as (
         select hr_user_id, min(id) as first from write_back_change
          where status = 'pending' and not_before <= now() group by hr_user_id order by first limit ?)
       select c.id::text as id, c.action, c.fields, c.attempts, c.hr_user_id, c.email as change_email, c.entra_id as change_entra_id,
              case when c.action = 'create' then c.result->'creating' end as creating,
              u.entra_id, u.email, u.first_name, u.last_name, u.display_name,
              case when p.id is not null then ${PROFILE_VALUES} else ${HR_FIELDS_AS_JSON} end as values,
              coalesce(p.manager_profile_id is not null and mu.entra_id is null, false) as manager_unlinked,
              case jsonb_typeof(e.properties->'onPremisesSyncEnabled') when 'boolean' then (e.properties->>'onPremisesSyncEnabled')::boolean end as on_premises
         from write_back_change c join due d on d.hr_user_id is not distinct from c.hr_user_id
         left join hr_user u on u.id = c.hr_user_id
         left join employee_profile p on p.hr_user_id = u.id
         left join employee_profile mp on mp.id = p.manager_profile_id
         left join hr_user mu on mu.id = mp.hr_user_id
         left join entra_user e on e.entra_id = coalesce(u.entra_id, c.entra_id)
        where c.status = 'pending'
        order by c.id`,
      [users],
    );
    return groupByUser(rows);
  }

  async markAttempt(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.em.execute(
      `update write_back_change set attempts = attempts + 1 where id in (select jsonb_array_elements_text(?::jsonb)::bigint)`,
      [JSON.stringify(ids)],
    );
  }

  async settle(drainId: string, changes: readonly SettledChange[]): Promise<void> {
    if (changes.length === 0) return;
    // A change cancelled while its request was on the way was sent all the same: it says so. A
    // creation Graph answered (refused) was not made, so what it was sent as is forgotten; one to
    // retry keeps it, since its answer may have been lost after Graph made the user.
    await this.em.execute(
      `update write_back_change c set
         status = case when x.status = 'retry' then 'pending' else x.status end,
         reason = x.reason, error_code = x.code, error_status = x.http,
         result = case when x.status = 'retry' then coalesce(x.result, c.result) else x.result end,
         not_before = case when x.status = 'retry' then now() + x.wait_ms * interval '1 millisecond' else c.not_before end,
         drain_id = case when x.status = 'retry' then c.drain_id else ?::uuid end,
         settled_at = case when x.status = 'retry' then null else now() end
       from jsonb_to_recordset(?::jsonb) as x(id bigint, status text, reason text, code text, http int, wait_ms bigint, result jsonb)
       where c.id = x.id and (c.status = 'pending' or (c.status = 'cancelled' and x.status = 'sent'))`,
      [
        drainId,
        JSON.stringify(
          changes.map((change) => ({
            id: change.id,
            status: change.status,
            reason: change.reason,
            code: change.errorCode ?? null,
            http: change.errorStatus ?? null,
            wait_ms: change.retryAfterMs ?? 0,
            result: change.result ?? null,
          })),
        ),
      ],
    );
  }

  async markCreating(ids: readonly string[], userPrincipalName: string): Promise<void> {
    await this.em.execute(
      `update write_back_change set result = jsonb_build_object('creating', jsonb_build_object('userPrincipalName', ?::text, 'at', now()))
        where id in (select jsonb_array_elements_text(?::jsonb)::bigint)`,
      [userPrincipalName, JSON.stringify(ids)],
    );
  }

  async linkCreated(hrUserId: string, entraId: string, userPrincipalName: string, mail: string | null): Promise<void> {
    // Not an HR change (nothing is recorded for write-back): what Entra assigned comes back (rule 4.2).
    await this.em.execute(
      `update hr_user u set entra_id = ?, updated_at = now(),
         email = case when exists (select 1 from hr_user o where lower(o.email) = lower(?) and o.id <> u.id) then u.email else ? end
        where u.id = ?`,
      [entraId, mail ?? userPrincipalName, mail ?? userPrincipalName, hrUserId],
    );
  }

  async nextDueAt(): Promise<Date | null> {
    const [row] = await this.em.execute<{ at: Date | null }[]>(
      `select min(not_before) as at from write_back_change where status = 'pending'`,
    );
    return row?.at ? new Date(row.at) : null;
  }
}

/** Rule 4.6: the pending changes of one action are cancelled with the reason; how many. */
export async function cancelPending(em: EntityManager, action: ChangeAction, reason: string): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `update write_back_change set status = 'cancelled', reason = ?, settled_at = now()
      where status = 'pending' and action = ? returning id`,
    [reason, action],
  );
  return rows.length;
}

function groupByUser(rows: readonly DueRow[]): PendingUser[] {
  const users = new Map<string, PendingUser>();
  for (const row of rows) {
    const key = row.hr_user_id ?? `change:${row.id}`;
    let user = users.get(key);
    if (!user) {
      user = {
        hrUserId: row.hr_user_id,
        // A deletion whose HR user is gone deletes the Entra user it was linked to when recorded (rule 4.3).
        entraId: row.entra_id ?? (row.hr_user_id === null && row.action === 'delete' ? row.change_entra_id : null),
        email: row.email ?? row.change_email,
        changes: [],
        attempts: 0,
        values: row.values ?? {},
        onPremisesSyncEnabled: row.on_premises,
        managerUnlinked: row.manager_unlinked,
        person:
          row.hr_user_id !== null && row.email !== null
            ? { email: row.email, firstName: row.first_name, lastName: row.last_name, displayName: row.display_name }
            : null,
        creating: null,
      };
      users.set(key, user);
    }
    user.changes.push({ id: row.id, action: row.action, fields: row.fields });
    if (row.creating)
      user.creating = { userPrincipalName: row.creating.userPrincipalName, at: new Date(row.creating.at) };
    user.attempts = Math.max(user.attempts, row.attempts);
  }
  return [...users.values()];
}
