import type {
  DeltaPage,
  DirectoryGroupChange,
  DirectoryReader,
  DirectoryUserChange,
} from '../../../src/sync/inbound/inbound-sync.ports.js';
import type { UpstreamFailureKind } from '../../../src/sync/kernel/error-policy.js';

/** A failure as the Graph gateway reports it: a kind the error policy has a row for. */
export class FakeGraphError extends Error {
  constructor(readonly kind: UpstreamFailureKind) {
    super(`Microsoft Graph failed (${kind})`);
  }
}

/** The FailureClassifier of the fake: its own errors carry their kind; anything else is no Graph error. */
export const classifyFake = (error: unknown): UpstreamFailureKind | null =>
  error instanceof FakeGraphError ? error.kind : null;

type Change = { kind: 'user'; id: string } | { kind: 'group'; id: string; member?: string };
type Stream = 'users' | 'groups';

/**
 * A directory in memory that answers delta rounds as Microsoft Graph does
 * (https://learn.microsoft.com/graph/delta-query-overview): a round from no cursor lists everything;
 * a deltaLink lists what changed since it was given, removals as `removed`; a round comes in pages
 * (`pageSize`), each with a nextLink, the last with a deltaLink. Cursors name a position in its log of
 * changes, so a stored nextLink resumes a round. Users are read with the properties asked for.
 */
export class FakeDirectory implements DirectoryReader {
  readonly host = 'https://graph.fake/';
  pageSize = 2;
  private readonly users = new Map<string, { properties: Record<string, unknown>; managerId: string | null }>();
  private readonly groups = new Map<string, { displayName: string; members: Map<string, 'user' | 'group'> }>();
  private readonly log: Change[] = [];
  /** The next read of `stream` fails with `error` after yielding `pages` pages. */
  private failure: { stream: Stream; pages: number; error: Error } | null = null;
  /** Cursors Graph no longer accepts (a stale delta token). */
  readonly revoked = new Set<string>();
  readonly reads: Array<{ stream: Stream; cursor: string | null }> = [];

  /** Creates or changes a user; its manager stays as it was unless given. */
  putUser(id: string, properties: Record<string, unknown>, managerId?: string | null): this {
    const old = this.users.get(id);
    const manager = managerId === undefined ? (old?.managerId ?? null) : managerId;
    this.users.set(id, { properties: { ...old?.properties, ...properties }, managerId: manager });
    this.log.push({ kind: 'user', id });
    return this;
  }

  deleteUser(id: string): this {
    this.users.delete(id);
    for (const g of this.groups.keys())
      if (this.groups.get(g)!.members.delete(id)) this.log.push({ kind: 'group', id: g, member: id });
    this.log.push({ kind: 'user', id });
    return this;
  }

  group(id: string, displayName = id): this {
    this.groups.set(id, { displayName, members: this.groups.get(id)?.members ?? new Map() });
    this.log.push({ kind: 'group', id });
    return this;
  }

  deleteGroup(id: string): this {
    this.groups.delete(id);
    this.log.push({ kind: 'group', id });
    return this;
  }

  add(group: string, member: string, type: 'user' | 'group' = 'user'): this {
    this.groups.get(group)!.members.set(member, type);
    this.log.push({ kind: 'group', id: group, member });
    return this;
  }

  remove(group: string, member: string): this {
    this.groups.get(group)!.members.delete(member);
    this.log.push({ kind: 'group', id: group, member });
    return this;
  }

  failNextRead(stream: Stream, afterPages: number, error: Error = new FakeGraphError('retryable')): void {
    this.failure = { stream, pages: afterPages, error };
  }

  accepts(cursor: string): boolean {
    return cursor.startsWith(this.host);
  }

  userChanges(cursor: string | null, properties: readonly string[]): AsyncIterable<DeltaPage<DirectoryUserChange>> {
    return this.round('users', cursor, (id) => this.userChange(id, properties));
  }

  groupChanges(cursor: string | null): AsyncIterable<DeltaPage<DirectoryGroupChange>> {
    return this.round('groups', cursor, (id, since) => this.groupChange(id, since));
  }

  async user(id: string, properties: readonly string[]): Promise<DirectoryUserChange | null> {
    return this.users.has(id) ? this.userChange(id, properties) : null;
  }

  /** Pages of a round: `${host}{stream}/{since}/{offset}`; since -1 is a full round. */
  private async *round<T>(stream: Stream, cursor: string | null, item: (id: string, since: number) => T) {
    this.reads.push({ stream, cursor });
    if (cursor !== null && this.revoked.has(cursor)) throw new FakeGraphError('cursor-invalid');
    const [since, offset] = cursor === null ? [-1, 0] : cursor.slice(this.host.length).split('/').slice(1).map(Number);
    const ids = this.changed(stream, since!);
    const failure = this.failure?.stream === stream ? this.failure : null;
    if (failure) this.failure = null;
    let at = offset!;
    for (let pages = 0; ; pages += 1) {
      if (failure && pages >= failure.pages) throw failure.error;
      const items = ids.slice(at, at + this.pageSize).map((id) => item(id, since!));
      at += items.length;
      const done = at >= ids.length;
      const next = done ? `${this.host}${stream}/${this.log.length}/0` : `${this.host}${stream}/${since}/${at}`;
      yield { items, cursor: next, done };
      if (done) return;
    }
  }

  /** The ids a round from `since` lists, sorted: every one for a full round, else those changed after. */
  private changed(stream: Stream, since: number): string[] {
    const kind = stream === 'users' ? 'user' : 'group';
    if (since < 0) return [...(stream === 'users' ? this.users : this.groups).keys()].sort();
    return [
      ...new Set(
        this.log
          .slice(since)
          .filter((c) => c.kind === kind)
          .map((c) => c.id),
      ),
    ].sort();
  }

  private userChange(id: string, properties: readonly string[]): DirectoryUserChange {
    const user = this.users.get(id);
    if (!user) return { id, properties: {}, removed: 'deleted' };
    const selected = Object.entries(user.properties).filter(([k]) => properties.includes(k));
    return { id, properties: Object.fromEntries(selected), managerId: user.managerId };
  }

  private groupChange(id: string, since: number): DirectoryGroupChange {
    const group = this.groups.get(id);
    if (!group) return { id, removed: 'deleted', membersAdded: [], membersRemoved: [] };
    const touched =
      since < 0
        ? [...group.members.keys()]
        : this.log.slice(since).flatMap((c) => (c.kind === 'group' && c.id === id && c.member ? [c.member] : []));
    const members = [...new Set(touched)];
    return {
      id,
      displayName: group.displayName,
      membersAdded: members.filter((m) => group.members.has(m)).map((m) => ({ id: m, type: group.members.get(m)! })),
      membersRemoved: members.filter((m) => !group.members.has(m)).map((m) => ({ id: m, type: 'user' as const })),
    };
  }
}
