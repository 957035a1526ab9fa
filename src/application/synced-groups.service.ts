import type { EntityManager } from '@mikro-orm/postgresql';
import type { TenantGroups } from './entra-connection.ports.js';
import { AppError } from './app-error.js';

export interface GroupView {
  id: string;
  displayName: string | null;
  description?: string | null;
}

/** The synced groups (rule 2.1): chosen from the tenant's groups, which are read from Graph. */
export class SyncedGroupsService {
  constructor(
    private readonly em: EntityManager,
    private readonly graph: TenantGroups | null,
  ) {}

  /** One page of the tenant's groups for the picker; never the whole tenant. */
  async tenantGroups(search: string | undefined, top: number): Promise<GroupView[]> {
    const graph = this.requireGraph();
    for await (const page of graph.listGroups({ search, top })) {
      return page.map((g) => ({ id: g.id, displayName: g.displayName ?? null, description: g.description ?? null }));
    }
    return [];
  }

  async list(): Promise<GroupView[]> {
    return this.em.execute<GroupView[]>(
      'select entra_group_id as id, display_name as "displayName" from synced_group order by display_name',
    );
  }

  /**
   * Replaces the selection. Every id must be a group of the tenant (400 otherwise, nothing
   * changed). Members of a removed group that are in no other synced group are deactivated by the
   * next run (rule 3.4): the run sees the new selection and re-applies every user.
   */
  async replace(groupIds: string[], actorId: string): Promise<GroupView[]> {
    const ids = [...new Set(groupIds.map((id) => id.toLowerCase()))];
    const found = ids.length ? await this.requireGraph().getGroups(ids) : [];
    const unknown = ids.filter((id) => !found.some((g) => g.id.toLowerCase() === id));
    if (unknown.length) {
      throw new AppError(
        'validation_failed',
        `Not a group of the tenant: ${unknown.join(', ')}`,
        unknown.map((id) => ({ path: 'body.groupIds', message: `unknown group ${id}` })),
      );
    }
    const before = await this.list();
    await this.em.transactional(async (em) => {
      await em.execute(
        'delete from synced_group where entra_group_id not in (select jsonb_array_elements_text(?::jsonb))',
        [JSON.stringify(ids)],
      );
      await em.execute(
        `insert into synced_group (entra_group_id, display_name) select x.id, x.name from jsonb_to_recordset(?::jsonb) as x(id text, name text)
         on conflict (entra_group_id) do update set display_name = excluded.display_name`,
        [JSON.stringify(found.map((g) => ({ id: g.id.toLowerCase(), name: g.displayName ?? g.id })))],
      );
      await em.execute(
        `insert into audit_log (actor_id, action, target, old_value, new_value) values (?, 'synced-groups.replace', 'syncedGroups', ?, ?)`,
        [actorId, JSON.stringify(before.map((g) => g.id)), JSON.stringify(ids)],
      );
    });
    return this.list();
  }

  private requireGraph(): TenantGroups {
    if (!this.graph) throw new AppError('conflict', 'No Entra connection is configured');
    return this.graph;
  }
}
