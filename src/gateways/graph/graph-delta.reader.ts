import { GraphGatewayError } from './graph-gateway.error.js';
import { selectList, withQuery, type GraphPage, type GraphRequestExecutor } from './graph-request.executor.js';
import { toUserRecord, type GraphUserRecord } from './graph-user.record.js';
import { mergeGroupDeltaItems, readRemoved, type DeltaGroup, type DeltaRemoval } from './graph-delta.merge.js';

export interface DeltaUser extends GraphUserRecord {
  removed?: DeltaRemoval;
  /**
   * Present only when `manager` is tracked and the page speaks of it (`manager@delta`): the
   * manager's id, or null when the manager was removed. Absent means "not mentioned".
   */
  managerId?: string | null;
}

export interface UsersDeltaPage {
  users: DeltaUser[];
  /** Where to resume: the page's nextLink, or on the last page the deltaLink for the next round. */
  cursor: string;
  /** True on the last page of a round (the cursor is a deltaLink). */
  done: boolean;
}

export interface GroupsDeltaPage {
  groups: DeltaGroup[];
  cursor: string;
  done: boolean;
}

export interface GroupsDeltaOptions {
  /** Group properties to track besides membership; default ['displayName']. */
  properties?: readonly string[];
  /** Track only these groups (Graph allows `id eq` for at most 50 ids). */
  groupIds?: readonly string[];
}

const MAX_DELTA_FILTER_IDS = 50;

/**
 * Delta rounds over users and groups (https://learn.microsoft.com/graph/delta-query-overview). A cursor is
 * the URL to GET next; null starts a full round. Pages are yielded one at a time and the caller stores a
 * page's changes before it saves that page's cursor.
 *
 * An expired, reset or unknown cursor fails with GraphGatewayError kind 'cursor-invalid' (400
 * syncStateNotFound/resyncRequired, 410, or any other 400 on a token URL;
 * https://learn.microsoft.com/graph/delta-query-overview#synchronization-reset). The gateway does
 * not restart by itself: the engine drops its stored cursor, calls again with null, and reconciles
 * (objects missing from the full round are gone).
 */
export class GraphDeltaReader {
  constructor(private readonly executor: GraphRequestExecutor) {}

  /**
   * `properties` apply when the round starts (cursor null); a stored cursor already encodes them.
   * Include 'manager' to track managers.
   */
  async *readUsersDelta(cursor: string | null, properties: readonly string[]): AsyncGenerator<UsersDeltaPage> {
    const url = cursor ?? withQuery('/users/delta', { $select: selectList(properties) });
    for await (const page of this.executor.pages<Record<string, unknown>>(url, { onTokenUrl: cursor !== null })) {
      yield { users: page.value.map(toDeltaUser), ...cursorOf(page) };
      if (page.deltaLink !== undefined) return;
    }
  }

  /**
   * Membership arrives as `members@delta` slices; the slices of one group on one page are merged
   * here, while the same group on later pages is the caller's to merge
   * (https://learn.microsoft.com/graph/delta-query-groups).
   */
  async *readGroupsDelta(cursor: string | null, options: GroupsDeltaOptions = {}): AsyncGenerator<GroupsDeltaPage> {
    const url = cursor ?? firstGroupsDeltaUrl(options);
    for await (const page of this.executor.pages<Record<string, unknown>>(url, { onTokenUrl: cursor !== null })) {
      yield { groups: mergeGroupDeltaItems(page.value), ...cursorOf(page) };
      if (page.deltaLink !== undefined) return;
    }
  }
}

function firstGroupsDeltaUrl(options: GroupsDeltaOptions): string {
  const properties = [...(options.properties ?? ['displayName']), 'members'];
  const ids = options.groupIds ?? [];
  if (ids.length > MAX_DELTA_FILTER_IDS) {
    throw new GraphGatewayError({
      kind: 'bad-request',
      code: 'TooManyDeltaFilterIds',
      graphMessage: `Group delta can filter on at most ${MAX_DELTA_FILTER_IDS} ids, got ${ids.length}`,
    });
  }
  const filter = ids.map((id) => `id eq '${id.replace(/'/g, "''")}'`).join(' or ');
  return withQuery('/groups/delta', { $select: selectList(properties), $filter: filter || undefined });
}

function cursorOf(page: GraphPage<unknown>): { cursor: string; done: boolean } {
  const cursor = page.nextLink ?? page.deltaLink;
  if (cursor === undefined) {
    throw new GraphGatewayError({
      kind: 'fatal',
      code: 'DeltaPageWithoutLink',
      graphMessage: 'A delta page carried neither @odata.nextLink nor @odata.deltaLink',
    });
  }
  return { cursor, done: page.nextLink === undefined };
}

function toDeltaUser(item: Record<string, unknown>): DeltaUser {
  const user: DeltaUser = toUserRecord(item);
  const removed = readRemoved(item);
  if (removed) user.removed = removed;
  if ('manager@delta' in item) user.managerId = managerFromDelta(item['manager@delta']);
  else if ('manager' in item) {
    user.managerId = managerFromObject(item.manager);
    delete user.properties.manager;
  }
  return user;
}

/** `manager@delta` is a list of `{@odata.type, id}`; an entry with `@removed` takes the manager away. */
function managerFromDelta(value: unknown): string | null {
  const entries = Array.isArray(value) ? value : [];
  const current = entries.filter(
    (entry): entry is { id: string } =>
      typeof entry === 'object' && entry !== null && !('@removed' in entry) && typeof entry.id === 'string',
  );
  return current.at(-1)?.id ?? null;
}

function managerFromObject(value: unknown): string | null {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
    ? (value as { id: string }).id
    : null;
}
