import type { Group } from '@microsoft/microsoft-graph-types';
import type { TenantGroups } from '../../application/entra-connection.ports.js';
import type { GraphBatchWriter } from './graph-batch.writer.js';
import { selectList, withQuery, type GraphRequestExecutor } from './graph-request.executor.js';
import { toUserRecord, type GraphUserRecord } from './graph-user.record.js';
import type { GraphSession } from './graph.session.js';

/** A group as the admin sees it when choosing which groups to sync. */
export type GraphGroupSummary = { id: string } & Pick<
  Group,
  'displayName' | 'description' | 'mail' | 'securityEnabled' | 'groupTypes'
>;

export interface ListGroupsOptions {
  /** Words of the display name (Graph `$search="displayName:..."`, tokenised, case-insensitive). */
  search?: string;
  /** Page size, 1..999; default 100. */
  top?: number;
}

const GROUP_SUMMARY_SELECT = 'id,displayName,description,mail,securityEnabled,groupTypes';
const MAX_PAGE = 999;
/**
 * $search, $count and OData casts on members need advanced query parameters
 * (https://learn.microsoft.com/graph/aad-advanced-queries).
 */
const EVENTUAL = { ConsistencyLevel: 'eventual' };

/** Reading groups and their members; pages stream, nothing collects a whole tenant. */
export class GraphGroupsGateway implements TenantGroups {
  private readonly executor: GraphRequestExecutor;
  private readonly batcher: GraphBatchWriter;

  constructor(session: GraphSession) {
    this.executor = session.executor;
    this.batcher = session.batcher;
  }

  async *listGroups(options: ListGroupsOptions = {}): AsyncGenerator<GraphGroupSummary[]> {
    const top = Math.min(Math.max(1, options.top ?? 100), MAX_PAGE);
    const search = options.search?.replace(/["\\]/g, ' ').trim();
    const url = withQuery('/groups', {
      $select: GROUP_SUMMARY_SELECT,
      $top: top,
      ...(search ? { $search: `"displayName:${search}"`, $count: true } : {}),
    });
    for await (const page of this.executor.pages<Group>(url, search ? { headers: EVENTUAL } : {})) {
      yield page.value.map(toGroupSummary);
    }
  }

  /** The groups that exist among `ids`, in the order asked; unknown ids are left out. */
  async getGroups(ids: readonly string[]): Promise<GraphGroupSummary[]> {
    const unique = [...new Set(ids)];
    const results = await this.batcher.batch(
      unique.map((id) => ({
        id,
        method: 'GET' as const,
        url: withQuery(`/groups/${encodeURIComponent(id)}`, { $select: GROUP_SUMMARY_SELECT }),
      })),
    );
    const groups: GraphGroupSummary[] = [];
    for (const result of results) {
      if (result.error?.kind === 'not-found') continue;
      if (result.error) throw result.error;
      groups.push(toGroupSummary(result.body as Group));
    }
    return groups;
  }

  /**
   * How many users each group holds now, nested groups followed: the count of an advanced query on
   * `transitiveMembers/microsoft.graph.user` (one user asked for, only its id), each group an item of
   * a `$batch` call (https://learn.microsoft.com/graph/api/group-list-transitivemembers,
   * https://learn.microsoft.com/graph/aad-advanced-queries). A group Graph refuses to count is left out.
   */
  async userCounts(ids: readonly string[]): Promise<Map<string, number>> {
    const results = await this.batcher.batch(
      [...new Set(ids.map((id) => id.toLowerCase()))].map((id) => ({
        id,
        method: 'GET' as const,
        url: withQuery(`/groups/${encodeURIComponent(id)}/transitiveMembers/microsoft.graph.user`, {
          $count: true,
          $top: 1,
          $select: 'id',
        }),
        headers: EVENTUAL,
      })),
    );
    const counts = new Map<string, number>();
    for (const result of results) {
      const count = result.error ? undefined : (result.body as { '@odata.count'?: unknown })['@odata.count'];
      if (typeof count === 'number') counts.set(result.id, count);
    }
    return counts;
  }

  /** Users anywhere below the group (nested groups flattened), `properties` selected. */
  listTransitiveUserMembers(groupId: string, properties: readonly string[]): AsyncGenerator<GraphUserRecord[]> {
    return this.listUserMembers('transitiveMembers', groupId, properties);
  }

  /** Users directly in the group. */
  listDirectUserMembers(groupId: string, properties: readonly string[]): AsyncGenerator<GraphUserRecord[]> {
    return this.listUserMembers('members', groupId, properties);
  }

  /**
   * The `microsoft.graph.user` cast returns users only (no devices, contacts or nested groups); for
   * transitive members the cast needs ConsistencyLevel: eventual + $count=true, and we send them for
   * direct members too (https://learn.microsoft.com/graph/api/group-list-transitivemembers). A
   * nextLink does not carry the header: pages() resends it.
   */
  private async *listUserMembers(
    relation: 'members' | 'transitiveMembers',
    groupId: string,
    properties: readonly string[],
  ): AsyncGenerator<GraphUserRecord[]> {
    const url = withQuery(`/groups/${encodeURIComponent(groupId)}/${relation}/microsoft.graph.user`, {
      $select: selectList(properties),
      $top: MAX_PAGE,
      $count: true,
    });
    for await (const page of this.executor.pages<Record<string, unknown>>(url, { headers: EVENTUAL })) {
      yield page.value.map(toUserRecord);
    }
  }
}

function toGroupSummary(group: Group): GraphGroupSummary {
  return {
    id: group.id ?? '',
    displayName: group.displayName ?? null,
    description: group.description ?? null,
    mail: group.mail ?? null,
    securityEnabled: group.securityEnabled ?? null,
    groupTypes: group.groupTypes ?? [],
  };
}
