import type { ChangeAction } from '../domain/write-back-changes.js';
import type { IntegrationSettings } from '../domain/integration-settings.js';
import { AppError, notFound } from './app-error.js';
import { pageOf, type Page } from './page.js';
import type { Repositories } from './ports/repositories.port.js';
import type { WriteBackChangeQuery, WriteBackChangeView, WriteBackStatus } from './ports/write-back.port.js';

export type { WriteBackChangeView, WriteBackStatus } from './ports/write-back.port.js';

/** The toggle each kind of change answers to (rule 4.6). */
export const WRITE_BACK_TOGGLES: Readonly<Record<ChangeAction, keyof IntegrationSettings & `writeBack${string}`>> = {
  update: 'writeBackUpdate',
  create: 'writeBackCreate',
  delete: 'writeBackDelete',
};

/** Statuses an admin may send again: Graph refused it, it was left out, or write-back was off. */
const RETRYABLE: readonly WriteBackStatus[] = ['failed', 'skipped', 'cancelled'];
/** Statuses an admin may drop: waiting, or refused. */
const DISCARDABLE: readonly WriteBackStatus[] = ['pending', 'failed'];

/**
 * Write-back's outbox for the admin (docs/rules.md §4): every change with its status and reason,
 * a failed one sent again, a pending or failed one discarded. Each action is audited.
 */
export class WriteBackOutboxService {
  constructor(private readonly repos: Repositories) {}

  async list(query: Omit<WriteBackChangeQuery, 'limit'> & { limit: number }): Promise<Page<WriteBackChangeView>> {
    const rows = await this.repos.writeBack.list({ ...query, limit: query.limit + 1 });
    return pageOf(rows, query.limit, (change) => change.id);
  }

  /** The tenant's verified domains, to choose the one of new users' user principal names from (rule 4.2). */
  async verifiedDomains(directory: { verifiedDomains(): Promise<string[]> } | null): Promise<string[]> {
    if (!directory) throw new AppError('conflict', 'No Entra connection is configured');
    return directory.verifiedDomains();
  }

  async retry(id: string, actorId: string | null): Promise<WriteBackChangeView> {
    return this.repos.transaction(async (tx) => {
      const change = await tx.writeBack.lock(id);
      if (!change) throw notFound('Write-back change');
      if (!RETRYABLE.includes(change.status))
        throw new AppError('conflict', `A ${change.status} change cannot be sent again (only ${RETRYABLE.join(', ')})`);
      const toggle = WRITE_BACK_TOGGLES[change.action];
      if (!(await tx.settings.read())[toggle])
        throw new AppError(
          'conflict',
          `${toggle} is off, so nothing is written to Entra (rule 4.6): switch it on first`,
        );
      await tx.writeBack.requeue(id);
      await tx.audit.record([
        {
          actorId,
          action: 'write-back.retry',
          target: `write-back:${id}`,
          oldValue: change.status,
          newValue: 'pending',
        },
      ]);
      return (await tx.writeBack.lock(id))!;
    });
  }

  async discard(id: string, actorId: string | null): Promise<WriteBackChangeView> {
    return this.repos.transaction(async (tx) => {
      const change = await tx.writeBack.lock(id);
      if (!change) throw notFound('Write-back change');
      if (!DISCARDABLE.includes(change.status))
        throw new AppError(
          'conflict',
          `A ${change.status} change cannot be discarded (only ${DISCARDABLE.join(', ')})`,
        );
      await tx.writeBack.discard(
        id,
        `Discarded by an admin; it was ${change.status}${change.reason ? `: ${change.reason}` : '.'}`,
      );
      await tx.audit.record([
        {
          actorId,
          action: 'write-back.discard',
          target: `write-back:${id}`,
          oldValue: change.status,
          newValue: 'discarded',
        },
      ]);
      return (await tx.writeBack.lock(id))!;
    });
  }
}
