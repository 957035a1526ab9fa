import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  DirectoryGroupChange,
  DirectoryMirror,
  DirectoryStream,
  DirectoryUserChange,
} from '../../sync/inbound/inbound-sync.ports.js';
import { INBOUND_CHANNEL_ID } from '../../sync/kernel/channel-id.js';
import type { StreamCursor } from '../../sync/kernel/channel-state.ports.js';
import type { ApplyRange } from '../../sync/inbound/apply.ports.js';
import { executeBound } from './bound-sql.js';
import { mirrorRangeSql } from './mirror-range.js';
import { saveStreamCursor } from './sync-channel.repository.js';

/**
 * The directory mirror in PostgreSQL. Every page is written in a few set-based statements
 * (json_to_recordset, parameters bound: bound-sql.ts), together with the cursor that follows it, in one transaction: a cursor is
 * never ahead of the changes it covers. The cursors are the inbound channel's (sync_channel).
 */
export class DirectoryMirrorRepository implements DirectoryMirror {
  constructor(private readonly em: EntityManager) {}

  async hasUser(entraId: string): Promise<boolean> {
    const rows = await this.em.execute<{ n: number }[]>('select 1 as n from entra_user where entra_id = ?', [entraId]);
    return rows.length > 0;
  }

  /** How many mirrored users an apply over this range will look at (the run's progress total). */
  async countUsers(range: ApplyRange): Promise<number> {
    const { where, params } = mirrorRangeSql(range);
    const rows = await this.em.execute<{ n: string }[]>(
      `select count(*) as n from entra_user e where ${where}`,
      params,
    );
    return Number(rows[0]!.n);
  }

  async storeUsers(items: DirectoryUserChange[], next: StreamCursor | null): Promise<void> {
    const rows = items.map((u) => ({
      entra_id: u.id,
      properties: u.properties,
      manager_known: u.managerId !== undefined,
      manager_entra_id: u.managerId ?? null,
      removed: u.removed ?? null,
    }));
    await this.em.transactional(async (em) => {
      if (rows.length) {
        // Update what changed (a removal keeps the last known properties), then insert what is new.
        await executeBound(
          em,
          `with i as (select * from json_to_recordset($1::json) as x(entra_id text, properties jsonb, manager_known boolean, manager_entra_id text, removed text))
           update entra_user e set
             properties = case when i.removed is null then e.properties || i.properties else e.properties end,
             manager_entra_id = case when i.manager_known then i.manager_entra_id else e.manager_entra_id end,
             removed = i.removed,
             seen_round = greatest(e.seen_round, $2::bigint),
             changed_seq = case when (i.removed is null and e.properties || i.properties is distinct from e.properties)
                                  or (i.manager_known and i.manager_entra_id is distinct from e.manager_entra_id)
                                  or i.removed is distinct from e.removed
                                then nextval('entra_change_seq') else e.changed_seq end
           from i where e.entra_id = i.entra_id`,
          [JSON.stringify(rows), next?.fullRound ?? 0],
        );
        await executeBound(
          em,
          `insert into entra_user (entra_id, properties, manager_entra_id, removed, seen_round, changed_seq)
           select x.entra_id, coalesce(x.properties, '{}'), x.manager_entra_id, x.removed, $1::bigint, nextval('entra_change_seq')
             from json_to_recordset($2::json) as x(entra_id text, properties jsonb, manager_entra_id text, removed text)
           on conflict (entra_id) do nothing`,
          [next?.fullRound ?? 0, JSON.stringify(rows)],
        );
      }
      if (next) await saveStreamCursor(em, INBOUND_CHANNEL_ID, 'users', next);
    });
  }

  async storeGroups(items: DirectoryGroupChange[], next: StreamCursor): Promise<void> {
    const round = next.fullRound ?? 0;
    const groups = items.map((g) => ({
      entra_id: g.id,
      display_name: g.displayName ?? null,
      name_known: g.displayName !== undefined,
      removed: g.removed ?? null,
    }));
    const added = items.flatMap((g) =>
      g.membersAdded.map((m) => ({ group_id: g.id, member_id: m.id, member_type: m.type })),
    );
    const removed = items.flatMap((g) => [...g.membersRemoved.map((m) => ({ group_id: g.id, member_id: m.id }))]);
    const removedGroups = items.filter((g) => g.removed).map((g) => g.id);
    await this.em.transactional(async (em) => {
      if (groups.length) {
        await executeBound(
          em,
          `insert into entra_group (entra_id, display_name, removed, seen_round)
           select entra_id, display_name, removed, $1::bigint from json_to_recordset($2::json) as x(entra_id text, display_name text, name_known boolean, removed text)
           on conflict (entra_id) do update set
             display_name = case when excluded.display_name is not null then excluded.display_name else entra_group.display_name end,
             removed = excluded.removed, seen_round = greatest(entra_group.seen_round, excluded.seen_round)`,
          [round, JSON.stringify(groups)],
        );
      }
      // Users whose memberships change are marked changed, through nested groups too. A full round
      // skips this: it is followed by a full apply, which looks at every user anyway.
      const touched = [
        ...new Set([...added.map((m) => m.member_id), ...removed.map((m) => m.member_id), ...removedGroups]),
      ];
      if (touched.length && next.fullRound === null) await markUsersUnder(em, touched);
      if (removedGroups.length) {
        await em.execute(
          'delete from entra_group_member where group_id in (select jsonb_array_elements_text(?::jsonb))',
          [JSON.stringify(removedGroups)],
        );
      }
      if (removed.length) {
        await executeBound(
          em,
          `delete from entra_group_member m using json_to_recordset($1::json) as x(group_id text, member_id text)
            where m.group_id = x.group_id and m.member_id = x.member_id`,
          [JSON.stringify(removed)],
        );
      }
      if (added.length) {
        await executeBound(
          em,
          `insert into entra_group_member (group_id, member_id, member_type, seen_round)
           select distinct on (group_id, member_id) group_id, member_id, member_type, $1::bigint from json_to_recordset($2::json) as x(group_id text, member_id text, member_type text)
           on conflict (group_id, member_id) do update set seen_round = greatest(entra_group_member.seen_round, excluded.seen_round)`,
          [round, JSON.stringify(added)],
        );
      }
      await saveStreamCursor(em, INBOUND_CHANNEL_ID, 'groups', next);
    });
  }

  /** Has the next run look at these users again: their HR side changed in a way the sync may undo (rule 3.2). */
  async markUsersChanged(entraIds: string[]): Promise<void> {
    await this.em.execute(
      `update entra_user set changed_seq = nextval('entra_change_seq') where entra_id in (select jsonb_array_elements_text(?::jsonb))`,
      [JSON.stringify(entraIds)],
    );
  }

  async finishFullRound(stream: DirectoryStream, round: number): Promise<void> {
    await this.em.transactional(async (em) => {
      if (stream === 'users') {
        await em.execute('analyze entra_user');
        await em.execute(
          `update entra_user set removed = 'missing', changed_seq = nextval('entra_change_seq')
            where seen_round < ? and removed is distinct from 'missing'`,
          [round],
        );
        return;
      }
      const stale = await em.execute<{ member_id: string }[]>(
        'select distinct member_id from entra_group_member where seen_round < ?',
        [round],
      );
      if (stale.length)
        await markUsersUnder(
          em,
          stale.map((s) => s.member_id),
        );
      await em.execute('delete from entra_group_member where seen_round < ?', [round]);
      await em.execute(`update entra_group set removed = 'missing' where seen_round < ? and removed is null`, [round]);
      // A full round rewrote most of the mirror: fresh statistics keep the apply stage's plans sane.
      await em.execute('analyze entra_group_member');
    });
  }
}

/** Marks changed every mirrored user among `ids` or below them (ids may be groups: nested membership). */
async function markUsersUnder(em: EntityManager, ids: string[]): Promise<void> {
  await em.execute(
    `with recursive below(id, depth) as (
       select value, 0 from jsonb_array_elements_text(?::jsonb)
       union
       select m.member_id, b.depth + 1 from below b join entra_group_member m on m.group_id = b.id where b.depth < 32
     )
     update entra_user set changed_seq = nextval('entra_change_seq') where entra_id in (select id from below)`,
    [JSON.stringify(ids)],
  );
}
