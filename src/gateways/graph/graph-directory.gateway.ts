import type {
  DeltaPage,
  DirectoryGroupChange,
  DirectoryReader,
  DirectoryUserChange,
} from '../../sync/inbound/inbound-sync.ports.js';
import {
  GraphDeltaReader,
  type GroupsDeltaOptions,
  type GroupsDeltaPage,
  type UsersDeltaPage,
} from './graph-delta.reader.js';
import { GraphFullRoundReader } from './graph-full-round.reader.js';
import { nullWhenNotFound } from './graph-gateway.error.js';
import { GraphUsersGateway } from './graph-users.gateway.js';
import type { GraphSession } from './graph.session.js';

/**
 * What the inbound engine reads of the directory: delta rounds over users and groups, and one user
 * with its manager for "sync this user now". Serves the engine's DirectoryReader port. A round
 * from no cursor (a full round) lists the objects rather than paging a delta round
 * (graph-full-round.reader.ts) and ends on a deltaLink like any other round.
 */
export class GraphDirectoryGateway implements DirectoryReader {
  private readonly delta: GraphDeltaReader;
  private readonly fullRound: GraphFullRoundReader;
  private readonly users: GraphUsersGateway;
  private readonly graphBaseUrl: string;

  constructor(session: GraphSession) {
    this.delta = new GraphDeltaReader(session.executor);
    this.fullRound = new GraphFullRoundReader(session.executor);
    this.users = new GraphUsersGateway(session);
    this.graphBaseUrl = session.graphBaseUrl;
  }

  /** Graph's cursors are absolute URLs: one made by another Graph host (another cloud, or a restarted emulator) is not ours. */
  accepts(cursor: string): boolean {
    return cursor.startsWith(`${this.graphBaseUrl.replace(/\/+$/, '')}/`);
  }

  async *userChanges(
    cursor: string | null,
    properties: readonly string[],
  ): AsyncIterable<DeltaPage<DirectoryUserChange>> {
    const pages = GraphFullRoundReader.lists(cursor)
      ? this.fullRound.users(cursor, properties)
      : this.readUsersDelta(cursor, properties);
    for await (const page of pages) {
      yield { items: page.users, cursor: page.cursor, done: page.done };
    }
  }

  async *groupChanges(cursor: string | null): AsyncIterable<DeltaPage<DirectoryGroupChange>> {
    const pages = GraphFullRoundReader.lists(cursor)
      ? this.fullRound.groups(cursor)
      : this.readGroupsDelta(cursor, { properties: ['displayName'] });
    for await (const page of pages) {
      yield { items: page.groups, cursor: page.cursor, done: page.done };
    }
  }

  async user(id: string, properties: readonly string[]): Promise<DirectoryUserChange | null> {
    return nullWhenNotFound(async () => {
      const user = await this.users.getUser(
        id,
        properties.filter((p) => p !== 'manager'),
      );
      const manager = await this.users.getManager(id);
      return { id: user.id, properties: user.properties, managerId: manager?.id ?? null };
    });
  }

  /** Graph's users delta as it is: null starts a full round, `properties` apply from then on. */
  readUsersDelta(cursor: string | null, properties: readonly string[]): AsyncGenerator<UsersDeltaPage> {
    return this.delta.readUsersDelta(cursor, properties);
  }

  /** Graph's groups delta as it is, membership slices of one page merged. */
  readGroupsDelta(cursor: string | null, options?: GroupsDeltaOptions): AsyncGenerator<GroupsDeltaPage> {
    return this.delta.readGroupsDelta(cursor, options);
  }
}
