import type { Logger } from 'pino';
import { normaliseEmail } from '../../domain/matching.js';
import { chooseEmail } from '../../domain/attribute-mapping.js';
import type { ApplyRange, HrSyncStore, MirrorUser, PagePlan, RunSettings, UserOutcome } from './apply.ports.js';
import { planUserPage } from './user-page.planner.js';

export const APPLY_PAGE_SIZE = 1000;

/** What one page did beyond its outcomes: users with nothing to do, in a synced group or not. */
export interface PageTally {
  /** Users processed so far, this page included. */
  processed: number;
  /** In a synced group, and HR already matches Entra. */
  unchanged: number;
  /** In no synced group, and nothing to undo (never synced, or already deactivated). */
  notInScope: number;
}

/**
 * Stage 2 of a run: mirror -> HR users, a page at a time: one read of changed mirror users, one
 * read of the HR users they may match, a pure plan, one transaction. A page that fails to write is
 * retried user by user, so one bad user is reported and never stops the run.
 */
export class UserApplyStage {
  constructor(
    private readonly repo: HrSyncStore,
    private readonly logger: Logger,
  ) {}

  async apply(
    runId: string,
    settings: RunSettings,
    range: ApplyRange,
    options: { write: boolean; onPage: (page: PageTally) => Promise<void>; signal: AbortSignal },
  ): Promise<UserOutcome[]> {
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
      const page = await this.applyPage(runId, users, settings, options.write);
      failures.push(...page.failures);
      processed += users.length;
      afterId = users.at(-1)!.entraId;
      await options.onPage({ processed, ...tally(users, page.accounted, settings) });
      if (users.length < APPLY_PAGE_SIZE) break;
    }
    return failures;
  }

  /** Writes a page; answers the users that got an outcome or a deactivation, and the failures. */
  private async applyPage(
    runId: string,
    users: MirrorUser[],
    settings: RunSettings,
    write: boolean,
  ): Promise<{ failures: UserOutcome[]; accounted: Set<string> }> {
    const accounted = new Set<string>();
    try {
      accountFor(accounted, await this.planAndWrite(runId, users, settings, write));
      return { failures: [], accounted };
    } catch (error) {
      this.logger.warn({ err: error, users: users.length }, 'a page failed to write; retrying its users one by one');
    }
    const failures: UserOutcome[] = [];
    for (const user of users) {
      try {
        accountFor(accounted, await this.planAndWrite(runId, [user], settings, write));
      } catch (error) {
        const failure: UserOutcome = {
          hrUserId: null,
          entraId: user.entraId,
          email: emailOf(user),
          outcome: 'failed',
          changes: [],
          reason: `Could not be written: ${(error as Error).message.split('\n')[0]!.slice(0, 300)}`,
        };
        await this.repo.writePlan(
          { creates: [], updates: [], roleGrants: [], roleRevokes: [], deactivations: [], outcomes: [failure] },
          runId,
          false,
        );
        failures.push(failure);
        accounted.add(user.entraId);
      }
    }
    return { failures, accounted };
  }

  private async planAndWrite(
    runId: string,
    users: MirrorUser[],
    settings: RunSettings,
    write: boolean,
  ): Promise<PagePlan> {
    const emails = users.map(emailOf).filter((e): e is string => e !== null);
    const t0 = performance.now();
    const candidates = await this.repo.candidates(
      users.map((u) => u.entraId),
      emails,
    );
    const t1 = performance.now();
    const plan = planUserPage(users, candidates, settings);
    const t2 = performance.now();
    if (!write) {
      // A preview records the deactivations it would make as outcomes; nothing else is written.
      plan.outcomes.push(
        ...plan.deactivations.map((d) => ({
          hrUserId: d.hrUserId,
          entraId: d.entraId,
          email: d.email,
          outcome: 'deactivated' as const,
          changes: [{ field: 'active', old: true, new: false }],
          reason: d.reason,
        })),
      );
    }
    await this.repo.writePlan(plan, runId, write);
    this.logger.debug(
      { candidates: Math.round(t1 - t0), plan: Math.round(t2 - t1), write: Math.round(performance.now() - t2) },
      'apply: page timings',
    );
    return plan;
  }
}

function emailOf(user: MirrorUser): string | null {
  const mail = typeof user.properties.mail === 'string' ? user.properties.mail : null;
  const upn = typeof user.properties.userPrincipalName === 'string' ? user.properties.userPrincipalName : null;
  return normaliseEmail(chooseEmail(mail, upn));
}

function accountFor(accounted: Set<string>, plan: PagePlan): void {
  for (const o of plan.outcomes) if (o.entraId) accounted.add(o.entraId);
  for (const d of plan.deactivations) if (d.entraId) accounted.add(d.entraId);
}

/** Where the users of a page without an outcome went: unchanged members, or users out of scope. */
function tally(
  users: readonly MirrorUser[],
  accounted: ReadonlySet<string>,
  settings: RunSettings,
): { unchanged: number; notInScope: number } {
  const synced = new Set(settings.syncedGroupIds);
  let unchanged = 0;
  let notInScope = 0;
  for (const user of users) {
    if (accounted.has(user.entraId)) continue;
    if (user.removed === null && user.groups.some((g) => synced.has(g))) unchanged += 1;
    else notInScope += 1;
  }
  return { unchanged, notInScope };
}
