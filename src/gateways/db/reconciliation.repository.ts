import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReconciliationQueries, ReconciliationReport } from '../../application/ports/sync-run.port.js';
import { HrSyncRepository } from './hr-sync.repository.js';

const ENTRA_EMAIL = `coalesce(e.properties->>'mail', e.properties->>'userPrincipalName')`;

/** The reconciliation report's three lists, each one query over the mirror and the HR users. */
export class PgReconciliationQueries implements ReconciliationQueries {
  constructor(private readonly em: EntityManager) {}

  async report(
    scope: { syncedGroupIds: string[]; followNestedGroups: boolean },
    limit: number,
  ): Promise<ReconciliationReport> {
    const closure = await new HrSyncRepository(this.em).groupClosure(scope.syncedGroupIds, scope.followNestedGroups);
    const missing = await this.em.execute<
      Array<{
        entra_id: string;
        email: string | null;
        display_name: string | null;
        reason: string | null;
        total: string;
      }>
    >(
      `with members as (
         select distinct m.member_id as entra_id from entra_group_member m
           join jsonb_to_recordset(?::jsonb) as c(root text, "group" text) on c."group" = m.group_id
          where m.member_type = 'user')
       select e.entra_id, ${ENTRA_EMAIL} as email, e.properties->>'displayName' as display_name,
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
      `select u.id, u.email as hr_email, ${ENTRA_EMAIL} as entra_email, u.entra_id, count(*) over () as total
         from hr_user u join entra_user e on e.entra_id = u.entra_id
        where lower(u.email) is distinct from lower(${ENTRA_EMAIL})
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
