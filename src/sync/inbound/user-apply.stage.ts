import type { Logger } from 'pino';
import type { HrSyncRepository } from '../../gateways/db/hr-sync.repository.js';
import { normaliseEmail } from '../../domain/matching.js';
import { chooseEmail } from '../../domain/attribute-mapping.js';
import type { MirrorUser, RunSettings, UserOutcome } from './apply.ports.js';
import { planUserPage } from './user-page.planner.js';

export const APPLY_PAGE_SIZE = 1000;

export interface ApplyRange {
  afterSeq: number;
  uptoSeq: number;
  all: boolean;
  onlyIds?: string[];
}

/**
 * Stage 2 of a run: mirror -> HR users, a page at a time: one read of changed mirror users, one
 * read of the HR users they may match, a pure plan, one transaction. A page that fails to write is
 * retried user by user, so one bad user is reported and never stops the run.
 */
export class UserApplyStage {
  constructor(
    private readonly repo: HrSyncRepository,
    private readonly logger: Logger,
  ) {}

  async apply(runId: string, settings: RunSettings, range: ApplyRange, options: { write: boolean; onPage: (processed: number) => Promise<void>; signal: AbortSignal }): Promise<UserOutcome[]> {
    const failures: UserOutcome[] = [];
    let afterId = '';
    let processed = 0;
    const roots = [...new Set([...settings.syncedGroupIds, ...Object.keys(settings.roleMapping)])];
    const closure = await this.repo.groupClosure(roots, settings.followNestedGroups);
    while (true) {
      if (options.signal.aborted) throw new Error('the sync was stopped during the apply stage');
      const t0 = performance.now();
      const users = await this.repo.changedUsers({ ...range, afterId, limit: APPLY_PAGE_SIZE, closure });
      this.logger.debug({ ms: Math.round(performance.now() - t0), users: users.length }, 'apply: read changed users');
      if (users.length === 0) break;
      failures.push(...(await this.applyPage(runId, users, settings, options.write)));
      processed += users.length;
      afterId = users.at(-1)!.entraId;
      await options.onPage(processed);
      if (users.length < APPLY_PAGE_SIZE) break;
    }
    return failures;
  }

  private async applyPage(runId: string, users: MirrorUser[], settings: RunSettings, write: boolean): Promise<UserOutcome[]> {
    try {
      await this.planAndWrite(runId, users, settings, write);
      return [];
    } catch (error) {
      this.logger.warn({ err: error, users: users.length }, 'a page failed to write; retrying its users one by one');
    }
    const failures: UserOutcome[] = [];
    for (const user of users) {
      try {
        await this.planAndWrite(runId, [user], settings, write);
      } catch (error) {
        const failure: UserOutcome = {
          hrUserId: null, entraId: user.entraId, email: emailOf(user), outcome: 'failed', changes: [],
          reason: `Could not be written: ${(error as Error).message.split('\n')[0]!.slice(0, 300)}`,
        };
        await this.repo.writePlan({ creates: [], updates: [], roleGrants: [], roleRevokes: [], deactivations: [], outcomes: [failure] }, runId, false);
        failures.push(failure);
      }
    }
    return failures;
  }

  private async planAndWrite(runId: string, users: MirrorUser[], settings: RunSettings, write: boolean): Promise<void> {
    const emails = users.map(emailOf).filter((e): e is string => e !== null);
    const t0 = performance.now();
    const candidates = await this.repo.candidates(users.map((u) => u.entraId), emails);
    const t1 = performance.now();
    const plan = planUserPage(users, candidates, settings);
    const t2 = performance.now();
    if (!write) {
      // A preview records the deactivations it would make as outcomes; nothing else is written.
      plan.outcomes.push(...plan.deactivations.map((d) => ({
        hrUserId: d.hrUserId, entraId: d.entraId, email: d.email, outcome: 'deactivated' as const,
        changes: [{ field: 'active', old: true, new: false }], reason: d.reason,
      })));
    }
    await this.repo.writePlan(plan, runId, write);
    this.logger.debug({ candidates: Math.round(t1 - t0), plan: Math.round(t2 - t1), write: Math.round(performance.now() - t2) }, 'apply: page timings');
  }
}

function emailOf(user: MirrorUser): string | null {
  const mail = typeof user.properties.mail === 'string' ? user.properties.mail : null;
  const upn = typeof user.properties.userPrincipalName === 'string' ? user.properties.userPrincipalName : null;
  return normaliseEmail(chooseEmail(mail, upn));
}
