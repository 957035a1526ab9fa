import type { TenantGroups } from './entra-connection.ports.js';
import { AppError } from './app-error.js';
import type { Repositories } from './ports/repositories.port.js';

export interface GroupView {
  id: string;
  displayName: string | null;
  description?: string | null;
  /**
   * Users in the group, nested groups followed: for the tenant's groups as Graph counts them now (the
   * first COUNTED_GROUPS of a listing; the rest as the last sync saw them); for the synced groups as
   * the last sync saw them. Null when neither counted it.
   */
  memberCount: number | null;
}

/** The groups of one listing that Graph counts (20 to a `$batch` call): a search narrows a longer list. */
export const COUNTED_GROUPS = 100;

/** The synced groups (rule 2.1): chosen from the tenant's groups, which are read from Graph. */
export class SyncedGroupsService {
  constructor(
    private readonly repos: Repositories,
    private readonly graph: TenantGroups | null,
  ) {}

  /** One page of the tenant's groups for the picker; never the whole tenant. */
  async tenantGroups(search: string | undefined, top: number): Promise<GroupView[]> {
    const graph = this.requireGraph();
    for await (const page of graph.listGroups({ search, top })) {
      const [now, synced] = await Promise.all([
        graph.userCounts(page.slice(0, COUNTED_GROUPS).map((g) => g.id)),
        this.withCounts(
          page.map((g) => ({ id: g.id, displayName: g.displayName ?? null, description: g.description ?? null })),
        ),
      ]);
      return synced.map((g) => ({ ...g, memberCount: now.get(g.id.toLowerCase()) ?? g.memberCount }));
    }
    return [];
  }

  async list(): Promise<GroupView[]> {
    return this.withCounts(await this.repos.syncedGroups.list());
  }

  private async withCounts<G extends { id: string }>(groups: G[]): Promise<Array<G & { memberCount: number | null }>> {
    const counts = await this.repos.syncedGroups.memberCounts(groups.map((g) => g.id));
    return groups.map((g) => ({ ...g, memberCount: counts.get(g.id.toLowerCase()) ?? null }));
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
    await this.repos.transaction(async (tx) => {
      await tx.syncedGroups.replace(found.map((g) => ({ id: g.id.toLowerCase(), displayName: g.displayName ?? g.id })));
      await tx.audit.record([
        {
          actorId,
          action: 'synced-groups.replace',
          target: 'syncedGroups',
          oldValue: before.map((g) => g.id),
          newValue: ids,
        },
      ]);
    });
    return this.list();
  }

  private requireGraph(): TenantGroups {
    if (!this.graph) throw new AppError('conflict', 'No Entra connection is configured');
    return this.graph;
  }
}
