import type { EntityManager } from '@mikro-orm/postgresql';
import { HrSyncRepository } from '../gateways/db/hr-sync.repository.js';

export interface ReconciliationReport {
  /** Entra users in a synced group with no HR user, and why (the last reason a run gave). */
  entraUsersWithoutHrUser: {
    total: number;
    items: Array<{ entraId: string; email: string | null; displayName: string | null; reason: string }>;
  };
  /** Active HR users that no Entra user is linked to. */
  hrUsersWithoutEntraLink: { total: number; items: Array<{ id: string; email: string; origin: string }> };
  /** Linked pairs whose e-mails differ (the link is the object id, rule 2.2, so this is information). */
  emailMismatches: {
    total: number;
    items: Array<{ id: string; hrEmail: string; entraEmail: string | null; entraId: string }>;
  };
}

/**
 * Compares the directory mirror (as of the last run) with the HR users. Read-only; each list is
 * capped at `limit` rows, with its full count beside it.
 */
export class ReconciliationReportService {
  constructor(private readonly em: EntityManager) {}

  async report(limit: number): Promise<ReconciliationReport> {
    const repo = new HrSyncRepository(this.em);
    const settings = await repo.runSettings();
    const closure = await repo.groupClosure(settings.syncedGroupIds, settings.followNestedGroups);
    const members = `
      select distinct m.member_id as entra_id from entra_group_member m
        join jsonb_to_recordset(?::jsonb) as c(root text, "group" text) on c."group" = m.group_id
       where m.member_type = 'user'`;
    const missing = await this.em.execute<
      Array<{
        entra_id: string;
        email: string | null;
        display_name: string | null;
        reason: string | null;
        total: string;
      }>
    >(
      `with members as (${members})
       select e.entra_id, coalesce(e.properties->>'mail', e.properties->>'userPrincipalName') as email, e.properties->>'displayName' as display_name,
              case when e.removed is not null then 'deleted in Entra'
                   when (e.properties->>'accountEnabled')::boolean is false then 'disabled in Entra, so not created'
                   else coalesce((select o.reason from sync_run_outcome o where o.entra_id = e.entra_id and o.outcome in ('skipped', 'failed') order by o.id desc limit 1),
                                 'not synced yet: the next run will create it') end as reason,
              count(*) over () as total
         from members mb join entra_user e on e.entra_id = mb.entra_id
        where not exists (select 1 from hr_user u where u.entra_id = e.entra_id)
        order by e.entra_id limit ?`,
      [JSON.stringify(closure), limit],
    );
    const unlinked = await this.em.execute<Array<{ id: string; email: string; origin: string; total: string }>>(
      `select id, email, origin, count(*) over () as total from hr_user where entra_id is null and active order by lower(email) limit ?`,
      [limit],
    );
    const mismatched = await this.em.execute<
      Array<{ id: string; hr_email: string; entra_email: string | null; entra_id: string; total: string }>
    >(
      `select u.id, u.email as hr_email, coalesce(e.properties->>'mail', e.properties->>'userPrincipalName') as entra_email, u.entra_id, count(*) over () as total
         from hr_user u join entra_user e on e.entra_id = u.entra_id
        where lower(u.email) is distinct from lower(coalesce(e.properties->>'mail', e.properties->>'userPrincipalName'))
        order by lower(u.email) limit ?`,
      [limit],
    );
    return {
      entraUsersWithoutHrUser: {
        total: Number(missing[0]?.total ?? 0),
        items: missing.map((r) => ({
          entraId: r.entra_id,
          email: r.email,
          displayName: r.display_name,
          reason: r.reason ?? '',
        })),
      },
      hrUsersWithoutEntraLink: {
        total: Number(unlinked[0]?.total ?? 0),
        items: unlinked.map((r) => ({ id: r.id, email: r.email, origin: r.origin })),
      },
      emailMismatches: {
        total: Number(mismatched[0]?.total ?? 0),
        items: mismatched.map((r) => ({
          id: r.id,
          hrEmail: r.hr_email,
          entraEmail: r.entra_email,
          entraId: r.entra_id,
        })),
      },
    };
  }
}
