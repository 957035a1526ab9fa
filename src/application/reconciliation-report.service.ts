import type { ReconciliationReport } from './ports/reconciliation.port.js';
import type { Repositories } from './ports/repositories.port.js';

export type { ReconciliationReport } from './ports/reconciliation.port.js';

/**
 * Compares the directory mirror (as of the last run) with the HR users, within the synced groups
 * the settings name now. Read-only; each list is capped at `limit` rows, with its full count.
 */
export class ReconciliationReportService {
  constructor(private readonly repos: Repositories) {}

  async report(limit: number): Promise<ReconciliationReport> {
    return this.repos.reconciliation.report(await this.repos.settings.scope(), limit);
  }
}
