import type { User } from '@microsoft/microsoft-graph-types';
import type {
  DirectoryWrite,
  DirectoryWriteFailure,
  DirectoryWriteResult,
  UserWriter,
} from '../../sync/write-back/write-back.ports.js';
import type { GraphBatchItemResult, GraphBatchRequest } from './graph-batch.plan.js';
import type { GraphBatchWriter } from './graph-batch.writer.js';
import type { DirectoryWritePacer } from './directory-write.pacer.js';
import { isGraphGatewayError, nullWhenNotFound } from './graph-gateway.error.js';
import type { GraphRequestExecutor } from './graph-request.executor.js';
import { toUserRecord, userPath, type GraphUserRecord } from './graph-user.record.js';
import type { GraphSession } from './graph.session.js';

export interface UpdateUserOptions {
  /**
   * The user is synced from on-premises AD. Graph's refusal of such a PATCH is then reported as
   * kind 'on-premises-mastered' (keyed on code + route + this flag, never on message text;
   * https://learn.microsoft.com/graph/api/user-update).
   */
  onPremisesSynced?: boolean;
}

/** Creating, changing and deleting users: what write-back sends to Entra. */
export class GraphUserWritesGateway implements UserWriter {
  private readonly executor: GraphRequestExecutor;
  private readonly batcher: GraphBatchWriter;
  private readonly graphBaseUrl: string;
  private readonly pacer: DirectoryWritePacer;

  constructor(session: GraphSession) {
    this.executor = session.executor;
    this.pacer = session.writePacer;
    this.batcher = session.batcher;
    this.graphBaseUrl = session.graphBaseUrl;
  }

  /** PATCH with only the properties that change (https://learn.microsoft.com/graph/api/user-update). */
  async updateUser(
    id: string,
    patch: Partial<User> & Record<string, unknown>,
    options: UpdateUserOptions = {},
  ): Promise<void> {
    await this.send('PATCH', userPath(id), patch, { onPremisesSynced: options.onPremisesSynced });
  }

  /** POST /users; the answer is the new user with Graph's default property set. */
  async createUser(body: Partial<User> & Record<string, unknown>): Promise<GraphUserRecord> {
    return toUserRecord(await this.send<Record<string, unknown>>('POST', '/users', body));
  }

  /** GET /users/{userPrincipalName} (https://learn.microsoft.com/graph/api/user-get); createdDateTime is read-only. */
  async findUser(userPrincipalName: string): Promise<GraphUserRecord | null> {
    const found = await nullWhenNotFound(() =>
      this.executor.get<Record<string, unknown>>(
        `${userPath(userPrincipalName)}?$select=id,userPrincipalName,mail,createdDateTime`,
      ),
    );
    return found === null ? null : toUserRecord(found);
  }

  async tryCreateUser(
    body: Record<string, unknown>,
  ): Promise<{ user: GraphUserRecord } | { refused: DirectoryWriteFailure }> {
    try {
      return { user: await this.createUser(body) };
    } catch (error) {
      if (!isGraphGatewayError(error)) throw error;
      return {
        refused: {
          key: 'create',
          ok: false,
          error,
          failure: {
            status: error.status ?? null,
            code: error.code,
            message: error.graphMessage,
            ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
          },
        },
      };
    }
  }

  /** Soft-deletes (restorable for 30 days). Deleting a user that is already gone is not an error. */
  async deleteUser(id: string): Promise<void> {
    await nullWhenNotFound(() => this.send('DELETE', userPath(id)));
  }

  /** Assigns the manager, or removes it with null (removing an absent manager is not an error). */
  async setManager(id: string, managerId: string | null): Promise<void> {
    const ref = `${userPath(id)}/manager/$ref`;
    if (managerId === null) {
      await nullWhenNotFound(() => this.send('DELETE', ref));
      return;
    }
    await this.send('PUT', ref, { '@odata.id': this.userUrl(managerId) });
  }

  /**
   * POST /groups/{id}/members/$ref (https://learn.microsoft.com/graph/api/group-post-members). Called
   * for a user just created, which cannot be a member yet.
   */
  async addGroupMember(groupId: string, userId: string): Promise<void> {
    await this.send('POST', `/groups/${encodeURIComponent(groupId)}/members/$ref`, {
      '@odata.id': `${this.graphBaseUrl}/v1.0/directoryObjects/${encodeURIComponent(userId)}`,
    });
  }

  /** GET /domains, the verified ones, the default first (https://learn.microsoft.com/graph/api/domain-list). */
  async verifiedDomains(): Promise<string[]> {
    const page = await this.executor.get<{ value: Array<{ id: string; isVerified?: boolean; isDefault?: boolean }> }>(
      '/domains',
    );
    return page.value
      .filter((domain) => domain.isVerified === true)
      .sort((a, b) => Number(b.isDefault === true) - Number(a.isDefault === true))
      .map((domain) => domain.id);
  }

  /**
   * Many writes in `$batch` calls (write-back's bulk path): one result per request, in the order
   * given; a refused item is a result with an error, never a throw.
   */
  batch(requests: readonly GraphBatchRequest[]): Promise<GraphBatchItemResult[]> {
    return this.batcher.batch(requests);
  }

  /**
   * Write-back's writes as `$batch` items (https://learn.microsoft.com/graph/json-batching): 20 per
   * call, throttled items sent again after their Retry-After by the batch writer. Removing a manager
   * that is already gone is done, not a failure.
   */
  async write(writes: readonly DirectoryWrite[]): Promise<DirectoryWriteResult[]> {
    const results = await this.batcher.batch(writes.map((write) => this.toRequest(write)));
    return results.map((result, index) => {
      const write = writes[index]!;
      // Removing what is already gone is done: an absent manager, a user deleted already.
      const removal = (write.kind === 'manager' && write.managerId === null) || write.kind === 'delete';
      if (result.status < 300 || (removal && result.status === 404)) return { key: write.key, ok: true };
      const error = result.error;
      return {
        key: write.key,
        ok: false,
        error,
        failure: {
          status: error?.status ?? (result.status || null),
          code: error?.code ?? `HTTP${result.status}`,
          message: error?.graphMessage ?? `HTTP ${result.status}`,
          ...(error?.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
        },
      };
    });
  }

  private toRequest(write: DirectoryWrite): GraphBatchRequest {
    const base = { id: write.key, onPremisesSynced: write.onPremisesSynced };
    if (write.kind === 'update')
      return { ...base, method: 'PATCH', url: userPath(write.userId), body: write.properties };
    if (write.kind === 'delete') return { ...base, method: 'DELETE', url: userPath(write.userId) };
    const ref = `${userPath(write.userId)}/manager/$ref`;
    if (write.managerId === null) return { ...base, method: 'DELETE', url: ref };
    return { ...base, method: 'PUT', url: ref, body: { '@odata.id': this.userUrl(write.managerId) } };
  }

  /** One write on its own, paced to the write quota as the batched ones are. */
  private async send<T>(...args: Parameters<GraphRequestExecutor['send']>): Promise<T> {
    await this.pacer.take(1);
    return this.executor.send<T>(...args);
  }

  private userUrl(id: string): string {
    return `${this.graphBaseUrl}/v1.0/users/${encodeURIComponent(id)}`;
  }
}
