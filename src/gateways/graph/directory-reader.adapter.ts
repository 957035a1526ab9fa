import type {
  DeltaPage,
  DirectoryGroupChange,
  DirectoryReader,
  DirectoryUserChange,
} from '../../sync/inbound/inbound-sync.ports.js';
import type { GraphGateway } from './graph.gateway.js';
import { isGraphGatewayError } from './graph-gateway.error.js';

/** The inbound engine's DirectoryReader port, served by the Graph gateway. */
export class GraphDirectoryReader implements DirectoryReader {
  constructor(
    private readonly graph: GraphGateway,
    private readonly graphBaseUrl: string,
  ) {}

  /** Graph's cursors are absolute URLs: one made by another Graph host (another cloud, or a restarted emulator) is not ours. */
  accepts(cursor: string): boolean {
    return cursor.startsWith(`${this.graphBaseUrl.replace(/\/+$/, '')}/`);
  }

  async *userChanges(
    cursor: string | null,
    properties: readonly string[],
  ): AsyncIterable<DeltaPage<DirectoryUserChange>> {
    for await (const page of this.graph.readUsersDelta(cursor, properties)) {
      yield { items: page.users, cursor: page.cursor, done: page.done };
    }
  }

  async *groupChanges(cursor: string | null): AsyncIterable<DeltaPage<DirectoryGroupChange>> {
    for await (const page of this.graph.readGroupsDelta(cursor, { properties: ['displayName'] })) {
      yield { items: page.groups, cursor: page.cursor, done: page.done };
    }
  }

  async user(id: string, properties: readonly string[]): Promise<DirectoryUserChange | null> {
    try {
      const user = await this.graph.getUser(
        id,
        properties.filter((p) => p !== 'manager'),
      );
      const manager = await this.graph.getManager(id);
      return { id: user.id, properties: user.properties, managerId: manager?.id ?? null };
    } catch (error) {
      if (isGraphGatewayError(error) && error.kind === 'not-found') return null;
      throw error;
    }
  }
}
