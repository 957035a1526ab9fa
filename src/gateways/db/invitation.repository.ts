import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  DueInvitation,
  InvitationFilter,
  InvitationOutcome,
  InvitationRepository,
  InvitationView,
} from '../../application/ports/invitation.port.js';
import { invitationRefusal, type InvitationRefusal } from '../../domain/invitation.js';
import { containsPattern, LIKE_ESCAPE } from './like-pattern.js';
import { isoUtc } from './sql-time.js';

/** A list of ids as one JSON parameter (an array parameter would be spread into a list of placeholders). */
const UUIDS = 'select value::uuid from jsonb_array_elements_text(?::jsonb)';

/** The order lists page in: to the millisecond, as the cursor carries it. */
const ORDER_KEY = `(date_trunc('milliseconds', i.requested_at), i.hr_user_id)`;

/** invitation (docs/rules.md §8.4): one row per invited HR user. */
export class PgInvitationRepository implements InvitationRepository {
  constructor(private readonly em: EntityManager) {}

  async requestForNewUsers(): Promise<number> {
    // One statement for however many users a run created; invitations_since is set when the switch
    // goes on (settings.repository.ts), so users created while it was off are never invited by it.
    const rows = await this.em.execute<Array<{ hr_user_id: string }>>(
      `insert into invitation (hr_user_id, email)
       select u.id, u.email from hr_user u, integration_settings s
        where s.id = 1 and s.invitations and s.invitations_since is not null
          and u.created_at >= s.invitations_since and u.active
       on conflict (hr_user_id) do nothing
       returning hr_user_id`,
    );
    return rows.length;
  }

  async request(
    hrUserIds: string[],
    actorId: string,
  ): Promise<{ requested: string[]; refused: Array<{ hrUserId: string; reason: InvitationRefusal }> }> {
    const users = await this.em.execute<Array<{ id: string; active: boolean }>>(
      `select id, active from hr_user where id in (${UUIDS})`,
      [JSON.stringify(hrUserIds)],
    );
    const byId = new Map(users.map((user) => [user.id, user]));
    const refused: Array<{ hrUserId: string; reason: InvitationRefusal }> = [];
    const invitable: string[] = [];
    for (const hrUserId of hrUserIds) {
      const reason = invitationRefusal(byId.get(hrUserId));
      if (reason) refused.push({ hrUserId, reason });
      else invitable.push(hrUserId);
    }
    if (invitable.length > 0)
      // Due again with the user's current address; what was sent before stays counted.
      await this.em.execute(
        `insert into invitation (hr_user_id, email, requested_by)
         select u.id, u.email, ?::uuid from hr_user u where u.id in (${UUIDS})
         on conflict (hr_user_id) do update set status = 'pending', email = excluded.email,
           requested_at = now(), requested_by = excluded.requested_by, last_error = null`,
        [actorId, JSON.stringify(invitable)],
      );
    return { requested: invitable, refused };
  }

  due(limit: number): Promise<DueInvitation[]> {
    return this.em.execute<DueInvitation[]>(
      `select i.hr_user_id as "hrUserId", i.email, coalesce(u.display_name, nullif(concat_ws(' ', u.first_name, u.last_name), '')) as name
         from invitation i join hr_user u on u.id = i.hr_user_id
        where i.status = 'pending' and u.active
        order by i.requested_at, i.hr_user_id limit ?`,
      [limit],
    );
  }

  async settle(outcomes: InvitationOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.em.execute(
      `update invitation i set
         status = case when o.error is null then 'sent' else 'failed' end,
         sent_at = case when o.error is null then now() else i.sent_at end,
         send_count = i.send_count + case when o.error is null then 1 else 0 end,
         last_error = o.error
        from json_to_recordset(?::json) as o("hrUserId" uuid, error text)
       where i.hr_user_id = o."hrUserId" and i.status = 'pending'`,
      [JSON.stringify(outcomes)],
    );
  }

  async recordSignIn(hrUserId: string): Promise<void> {
    await this.em.execute(
      'update invitation set signed_in_at = now() where hr_user_id = ? and signed_in_at is null and send_count > 0',
      [hrUserId],
    );
  }

  list(filter: InvitationFilter): Promise<InvitationView[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.status?.length) {
      where.push('i.status in (select jsonb_array_elements_text(?::jsonb))');
      values.push(JSON.stringify(filter.status));
    }
    if (filter.search) {
      where.push(`(i.email ilike ? ${LIKE_ESCAPE} or u.display_name ilike ? ${LIKE_ESCAPE})`);
      values.push(containsPattern(filter.search), containsPattern(filter.search));
    }
    if (filter.after) {
      where.push(`${ORDER_KEY} < (?::timestamptz, ?::uuid)`);
      values.push(filter.after.requestedAt, filter.after.hrUserId);
    }
    values.push(filter.limit);
    return this.em.execute<InvitationView[]>(
      `select i.hr_user_id as "hrUserId", i.email, u.display_name as "displayName", i.status,
              ${isoUtc('i.requested_at')} as "requestedAt", i.requested_by as "requestedBy",
              ${isoUtc('i.sent_at')} as "sentAt", i.send_count as "sendCount", i.last_error as "lastError",
              ${isoUtc('i.signed_in_at')} as "signedInAt"
         from invitation i join hr_user u on u.id = i.hr_user_id
        ${where.length ? `where ${where.join(' and ')}` : ''}
        order by ${ORDER_KEY} desc limit ?`,
      values,
    );
  }
}
