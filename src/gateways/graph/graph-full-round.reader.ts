import { mapWithConcurrency } from './concurrency.limiter.js';
import { memberTypeOf, type DeltaGroup } from './graph-delta.merge.js';
import type { DeltaUser, GroupsDeltaPage, UsersDeltaPage } from './graph-delta.reader.js';
import { isGraphGatewayError, nullWhenNotFound } from './graph-gateway.error.js';
import { selectList, withQuery, type GraphRequestExecutor } from './graph-request.executor.js';
import { toUserRecord, userPath } from './graph-user.record.js';
import { mergePages } from './merged-pages.js';

/**
 * A full round's cursor while it lists: the deltaLink taken at its start, marked. Resuming it lists
 * again from the start (storing a user or a membership twice changes nothing) and then continues
 * from that deltaLink.
 */
const LISTING_MARK = '#full-round-listing';

/**
 * The characters a user principal name's alias may start with: ASCII letters and digits and
 * ' . - _ ! # ^ ~ (https://learn.microsoft.com/graph/api/resources/user, userPrincipalName). One
 * `startswith` slice each, so the users can be read by several requests at once. That `startswith`
 * ignores case is not documented: a user no slice returns is still read (readMissed).
 */
const UPN_FIRST_CHARACTERS = [...'abcdefghijklmnopqrstuvwxyz0123456789', "'", '.', '-', '_', '!', '#', '^', '~'];

/** How many `startswith` slices a full round reads the users in. */
export const USER_SLICES = UPN_FIRST_CHARACTERS.length;

/** Graph requests in flight for one stream's listing, and pages read ahead of the store. */
export interface FullRoundLimits {
  concurrency: number;
  buffer: number;
}

export const FULL_ROUND_LIMITS: { users: FullRoundLimits; groups: FullRoundLimits } = {
  users: { concurrency: 12, buffer: 8 },
  groups: { concurrency: 4, buffer: 8 },
};

/**
 * The full round of the directory's users and groups, at the cost of the data: the delta cursors are
 * taken first with `$deltatoken=latest` (a deltaLink and no data: "sync from now",
 * https://learn.microsoft.com/graph/delta-query-overview), then the objects are listed with the
 * largest pages Graph gives, several requests at once, and the round ends on that deltaLink, so a
 * change made while listing comes again in the next delta round (merging is idempotent).
 *
 * Users: `/users` with `$expand=manager`, whose pages hold at most 100 users whatever `$top` says
 * (Graph's known issue on `$expand` for directory objects,
 * https://developer.microsoft.com/en-us/graph/known-issues/?search=13635), read in slices by the
 * first character of the user principal name; an id-only listing with `$top=999` (the maximum,
 * https://learn.microsoft.com/graph/api/user-list) makes sure no user is missed. Groups: `/groups`
 * and each group's direct members with `$top=999`
 * (https://learn.microsoft.com/graph/api/group-list-members), since the mirror keeps direct
 * memberships, which later `members@delta` changes apply to.
 */
export class GraphFullRoundReader {
  constructor(
    private readonly executor: GraphRequestExecutor,
    private readonly limits = FULL_ROUND_LIMITS,
  ) {}

  /** Whether `cursor` is a full round in the middle of its listing (null: none started). */
  static lists(cursor: string | null): boolean {
    return cursor === null || cursor.endsWith(LISTING_MARK);
  }

  /** `properties` as for users/delta, 'manager' included to read managers. */
  async *users(cursor: string | null, properties: readonly string[]): AsyncGenerator<UsersDeltaPage> {
    const deltaLink = cursor?.slice(0, -LISTING_MARK.length) ?? (await this.latest('/users/delta', properties));
    const mark = `${deltaLink}${LISTING_MARK}`;
    const selected = properties.filter((p) => p !== 'manager');
    const readManagers = properties.includes('manager');
    const slices = UPN_FIRST_CHARACTERS.map((first) => () => this.slice(first, selected, readManagers));
    const ids = () => this.ids();
    const seen = new Set<string>();
    const missed = new Set<string>();
    for await (const page of mergePages<ListedPage>([...slices, ids], this.limits.users)) {
      if (page.kind === 'ids') {
        for (const id of page.ids) if (!seen.has(id)) missed.add(id);
        continue;
      }
      for (const user of page.users) {
        seen.add(user.id);
        missed.delete(user.id);
      }
      yield { users: page.users, cursor: mark, done: false };
    }
    seen.clear();
    const read = await mapWithConcurrency([...missed], this.limits.users.concurrency, (id) =>
      this.readMissed(id, selected, readManagers),
    );
    const users = read.filter((user): user is DeltaUser => user !== null);
    for (let at = 0; at < users.length; at += 100)
      yield { users: users.slice(at, at + 100), cursor: mark, done: false };
    yield { users: [], cursor: deltaLink, done: true };
  }

  async *groups(cursor: string | null): AsyncGenerator<GroupsDeltaPage> {
    const deltaLink = cursor?.slice(0, -LISTING_MARK.length) ?? (await this.latest('/groups/delta', GROUP_DELTA));
    const mark = `${deltaLink}${LISTING_MARK}`;
    const ids: string[] = [];
    for await (const page of this.executor.pages<Record<string, unknown>>(
      withQuery('/groups', { $select: 'id,displayName', $top: MAX_PAGE }),
    )) {
      const groups = page.value.map((g): DeltaGroup => ({
        id: String(g.id),
        displayName: typeof g.displayName === 'string' ? g.displayName : null,
        properties: {},
        membersAdded: [],
        membersRemoved: [],
      }));
      ids.push(...groups.map((g) => g.id));
      yield { groups, cursor: mark, done: false };
    }
    const members = ids.map((id) => () => this.members(id));
    for await (const group of mergePages(members, this.limits.groups))
      yield { groups: [group], cursor: mark, done: false };
    yield { groups: [], cursor: deltaLink, done: true };
  }

  /** A deltaLink from now on for the same options a delta round would use. */
  private async latest(path: string, properties: readonly string[]): Promise<string> {
    const body = await this.executor.get<Record<string, unknown>>(
      withQuery(path, { $select: selectList(properties), $deltatoken: 'latest' }),
    );
    const link = body['@odata.deltaLink'];
    if (typeof link !== 'string') throw new Error(`${path}?$deltatoken=latest answered no @odata.deltaLink`);
    return link;
  }

  private async *slice(first: string, selected: readonly string[], managers: boolean): AsyncGenerator<ListedPage> {
    const url = withQuery('/users', {
      $select: selectList(selected),
      ...(managers ? { $expand: 'manager($select=id)' } : {}),
      $filter: `startswith(userPrincipalName,'${first.replace(/'/g, "''")}')`,
      $top: MAX_PAGE,
    });
    for await (const page of this.executor.pages<Record<string, unknown>>(url))
      yield { kind: 'users', users: page.value.map((item) => listedUser(item, managers)) };
  }

  private async *ids(): AsyncGenerator<ListedPage> {
    for await (const page of this.executor.pages<{ id: string }>(
      withQuery('/users', { $select: 'id', $top: MAX_PAGE }),
    ))
      yield { kind: 'ids', ids: page.value.map((u) => String(u.id)) };
  }

  /** A user no slice returned; null when it is gone meanwhile (the next delta round says so). */
  private readMissed(id: string, selected: readonly string[], managers: boolean): Promise<DeltaUser | null> {
    return nullWhenNotFound(async () => {
      const item = await this.executor.get<Record<string, unknown>>(
        withQuery(userPath(id), {
          $select: selectList(selected),
          ...(managers ? { $expand: 'manager($select=id)' } : {}),
        }),
      );
      return listedUser(item, managers);
    });
  }

  /** A group's direct members, a page at a time; nothing when the group is gone meanwhile. */
  private async *members(groupId: string): AsyncGenerator<DeltaGroup> {
    const url = withQuery(`/groups/${encodeURIComponent(groupId)}/members`, { $select: 'id', $top: MAX_PAGE });
    try {
      for await (const page of this.executor.pages<Record<string, unknown>>(url)) {
        yield {
          id: groupId,
          properties: {},
          membersAdded: page.value.map((m) => ({ id: String(m.id), type: memberTypeOf(m['@odata.type']) })),
          membersRemoved: [],
        };
      }
    } catch (error) {
      if (!isGraphGatewayError(error) || error.kind !== 'not-found') throw error;
    }
  }
}

const MAX_PAGE = 999;
const GROUP_DELTA = ['displayName', 'members'];

type ListedPage = { kind: 'users'; users: DeltaUser[] } | { kind: 'ids'; ids: string[] };

/** A listed user: with `$expand=manager` an absent (or null) manager means none. */
function listedUser(item: Record<string, unknown>, managers: boolean): DeltaUser {
  const user: DeltaUser = toUserRecord(item);
  delete user.properties.manager;
  if (managers) {
    const manager = item.manager as { id?: unknown } | null | undefined;
    user.managerId = typeof manager?.id === 'string' ? manager.id : null;
  }
  return user;
}
