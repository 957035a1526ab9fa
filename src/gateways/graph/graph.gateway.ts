import type { User } from '@microsoft/microsoft-graph-types';
import type { GraphBatchItemResult, GraphBatchRequest } from './graph-batch.plan.js';
import { GraphBatchWriter } from './graph-batch.writer.js';
import { createGraphClient } from './graph-client.factory.js';
import { resolveGraphConnectionOptions, type GraphConnectionOptions } from './graph-connection.options.js';
import { GraphConnectionTester, type ConnectionTestResult } from './graph-connection.tester.js';
import {
  GraphDeltaReader,
  type GroupsDeltaOptions,
  type GroupsDeltaPage,
  type UsersDeltaPage,
} from './graph-delta.reader.js';
import { GraphGroupsGateway, type GraphGroupSummary, type ListGroupsOptions } from './graph-groups.gateway.js';
import type { GraphFeatures } from './graph-permissions.js';
import { GraphRequestExecutor } from './graph-request.executor.js';
import { GraphTokenProvider } from './graph-token.provider.js';
import type { GraphUserRecord } from './graph-user.record.js';
import {
  GraphUsersGateway,
  type GraphManagerRef,
  type GraphPhoto,
  type ListUsersOptions,
  type UpdateUserOptions,
} from './graph-users.gateway.js';

/**
 * The connector's only door to Microsoft Graph. A thin facade: each method hands over to the part
 * that does the work (groups, delta, users, batch, connection test), all sharing one token
 * provider, one SDK client and one retry/concurrency budget. Every failure is a GraphGatewayError.
 */
export class GraphGateway {
  private readonly groups: GraphGroupsGateway;
  private readonly delta: GraphDeltaReader;
  private readonly users: GraphUsersGateway;
  private readonly batcher: GraphBatchWriter;
  private readonly tester: GraphConnectionTester;

  constructor(options: GraphConnectionOptions) {
    const resolved = resolveGraphConnectionOptions(options);
    const tokens = new GraphTokenProvider(resolved);
    const executor = new GraphRequestExecutor(createGraphClient(resolved, tokens), resolved.now);
    this.batcher = new GraphBatchWriter(executor, resolved);
    this.groups = new GraphGroupsGateway(executor, this.batcher);
    this.delta = new GraphDeltaReader(executor);
    this.users = new GraphUsersGateway(executor, resolved.graphBaseUrl);
    this.tester = new GraphConnectionTester(tokens, executor, resolved.now);
  }

  listGroups(options?: ListGroupsOptions): AsyncGenerator<GraphGroupSummary[]> {
    return this.groups.listGroups(options);
  }

  getGroups(ids: readonly string[]): Promise<GraphGroupSummary[]> {
    return this.groups.getGroups(ids);
  }

  listTransitiveUserMembers(groupId: string, properties: readonly string[]): AsyncGenerator<GraphUserRecord[]> {
    return this.groups.listTransitiveUserMembers(groupId, properties);
  }

  listDirectUserMembers(groupId: string, properties: readonly string[]): AsyncGenerator<GraphUserRecord[]> {
    return this.groups.listDirectUserMembers(groupId, properties);
  }

  readUsersDelta(cursor: string | null, properties: readonly string[]): AsyncGenerator<UsersDeltaPage> {
    return this.delta.readUsersDelta(cursor, properties);
  }

  readGroupsDelta(cursor: string | null, options?: GroupsDeltaOptions): AsyncGenerator<GroupsDeltaPage> {
    return this.delta.readGroupsDelta(cursor, options);
  }

  listUsers(properties: readonly string[], options?: ListUsersOptions): AsyncGenerator<GraphUserRecord[]> {
    return this.users.listUsers(properties, options);
  }

  getUser(id: string, properties: readonly string[]): Promise<GraphUserRecord> {
    return this.users.getUser(id, properties);
  }

  getManager(id: string): Promise<GraphManagerRef | null> {
    return this.users.getManager(id);
  }

  getPhoto(id: string): Promise<GraphPhoto | null> {
    return this.users.getPhoto(id);
  }

  updateUser(id: string, patch: Partial<User> & Record<string, unknown>, options?: UpdateUserOptions): Promise<void> {
    return this.users.updateUser(id, patch, options);
  }

  createUser(body: Partial<User> & Record<string, unknown>): Promise<GraphUserRecord> {
    return this.users.createUser(body);
  }

  deleteUser(id: string): Promise<void> {
    return this.users.deleteUser(id);
  }

  setManager(id: string, managerId: string | null): Promise<void> {
    return this.users.setManager(id, managerId);
  }

  batch(requests: readonly GraphBatchRequest[]): Promise<GraphBatchItemResult[]> {
    return this.batcher.batch(requests);
  }

  testConnection(
    features: GraphFeatures,
    syncedGroupIds: readonly string[],
    clientSecretExpiresAt?: Date,
  ): Promise<ConnectionTestResult> {
    return this.tester.testConnection(features, syncedGroupIds, clientSecretExpiresAt);
  }
}
