import { decideUserWork, type UserWork } from '../../domain/write-back-changes.js';
import { describePlan, planUserWrite, type UserWritePlan } from '../../domain/write-back.js';
import type { FailureDecision, UpstreamFailureKind } from '../kernel/error-policy.js';
import type {
  DirectoryWrite,
  DirectoryWriteFailure,
  DirectoryWriteResult,
  PendingUser,
  SettledChange,
  WriteBackSettings,
} from './write-back.ports.js';

/** After this many attempts Graph kept answering "busy", a change fails, so nothing is retried forever. */
export const MAX_ATTEMPTS = 12;
const MAX_BACKOFF_MS = 5 * 60_000;

/** The work of one user in a round: its change ids, what it sends, and the keys of its writes. */
interface UserRoundWork {
  ids: readonly string[];
  plan: UserWritePlan;
  attempts: number;
  keys: string[];
}

/** A user to create in Entra (rule 4.2): one POST each, outside the batch, since its answer is needed. */
export interface CreateWork {
  ids: readonly string[];
  user: PendingUser;
  attempts: number;
}

/** One round: the writes to send, the work they belong to, the creations, and the changes settled without a call. */
export interface Round {
  writes: DirectoryWrite[];
  work: UserRoundWork[];
  creates: CreateWork[];
  settledNow: SettledChange[];
}

export type DecideFailure = (error: unknown) => FailureDecision & { kind: UpstreamFailureKind | null };

/** Plans a round from the users due: coalesced per user, each user one PATCH (and its manager reference). */
export function planRound(users: readonly PendingUser[], settings: WriteBackSettings): Round {
  const round: Round = { writes: [], work: [], creates: [], settledNow: [] };
  users.forEach((user, index) => {
    const decision = decideUserWork(user.changes, user.entraId !== null);
    for (const skip of decision.skipped) round.settledNow.push({ id: skip.id, status: 'skipped', reason: skip.reason });
    if (decision.work) planWork(round, user, decision.work, settings, String(index));
  });
  return round;
}

function planWork(round: Round, user: PendingUser, work: UserWork, settings: WriteBackSettings, key: string): void {
  if (work.kind === 'create') {
    const reason = createBlocked(user, settings);
    if (reason !== null) for (const id of work.ids) round.settledNow.push({ id, status: 'skipped', reason });
    else round.creates.push({ ids: work.ids, user, attempts: user.attempts });
    return;
  }
  if (work.kind === 'delete') {
    if (user.onPremisesSyncEnabled === true) {
      for (const id of work.ids) round.settledNow.push({ id, status: 'skipped', reason: HYBRID_DELETE });
      return;
    }
    const keys = [`${key}:delete`];
    round.writes.push({ key: keys[0]!, kind: 'delete', userId: user.entraId!, onPremisesSynced: false });
    round.work.push({ ids: work.ids, plan: { patch: {}, sent: [], skipped: [] }, attempts: user.attempts, keys });
    return;
  }
  const plan = planUserWrite({
    fields: work.fields,
    permitted: settings.permittedFields,
    values: user.values,
    onPremisesSyncEnabled: user.onPremisesSyncEnabled,
    managerUnlinked: user.managerUnlinked,
  });
  const userId = user.entraId!;
  const onPremisesSynced = user.onPremisesSyncEnabled === true;
  const keys: string[] = [];
  if (Object.keys(plan.patch).length > 0) {
    keys.push(`${key}:patch`);
    round.writes.push({ key: `${key}:patch`, kind: 'update', userId, properties: { ...plan.patch }, onPremisesSynced });
  }
  if (plan.manager !== undefined) {
    keys.push(`${key}:manager`);
    round.writes.push({ key: `${key}:manager`, kind: 'manager', userId, managerId: plan.manager, onPremisesSynced });
  }
  if (keys.length === 0) {
    const reason = describePlan(plan) || 'Nothing to write.';
    for (const id of work.ids) round.settledNow.push({ id, status: 'skipped', reason });
    return;
  }
  round.work.push({ ids: work.ids, plan, attempts: user.attempts, keys });
}

const HYBRID_DELETE =
  'The Entra user is synced from on-premises Active Directory, where it is deleted: Entra would only bring it back at the next directory sync (rule 4.4).';

/** Why a creation cannot be sent now, or null. */
function createBlocked(user: PendingUser, settings: WriteBackSettings): string | null {
  if (user.person === null) return 'The HR user no longer exists, so there is nobody to create in Entra.';
  if (settings.createDomain === null)
    return 'No verified domain is chosen for new Entra users (settings writeBackCreateDomain): choose one, then retry.';
  return null;
}

/** Severity, worst last: the worst failure of a user's writes decides how its changes end. */
const SEVERITY = ['skipped', 'retry', 'failed'] as const;
type Severity = (typeof SEVERITY)[number];

/**
 * How each change of the round ends, from Graph's answers, decided by the error policy
 * (src/sync/kernel/error-policy.ts), never by a message. `stop` when the policy says nothing more
 * can succeed now (the credential or a permission).
 */
export function settleRound(
  round: Round,
  results: readonly DirectoryWriteResult[],
  decide: DecideFailure,
): { settled: SettledChange[]; stop: boolean } {
  const byKey = new Map(results.map((result) => [result.key, result]));
  const settled: SettledChange[] = [...round.settledNow];
  let stop = false;
  for (const work of round.work) {
    const failures = work.keys
      .map((key) => byKey.get(key)!)
      .filter((result): result is DirectoryWriteFailure => !result.ok);
    if (failures.length === 0) {
      const reason = work.plan.skipped.length > 0 ? describePlan(work.plan) : null;
      for (const id of work.ids) settled.push({ id, status: 'sent', reason });
      continue;
    }
    const decided = failures.map((failure) => ({ failure, decision: decide(failure.error) }));
    stop ||= decided.some(({ decision }) => decision.action === 'stop-run');
    const worst = SEVERITY[Math.max(...decided.map(({ decision }) => SEVERITY.indexOf(severityOf(decision))))]!;
    const first = decided.find(({ decision }) => severityOf(decision) === worst)!;
    const change = outcomeOf(worst, work.attempts, first.failure, first.decision.kind);
    for (const id of work.ids) settled.push({ id, ...change });
  }
  return { settled, stop };
}

function severityOf(decision: FailureDecision): Severity {
  if (decision.action === 'retry-later') return 'retry';
  // The error policy's item decisions (write-back.service.ts) without a run status are its quiet skips.
  return decision.runStatus === null ? 'skipped' : 'failed';
}

/** How a creation ends when Graph refused it: as any other change (see settleRound). */
export function settleFailure(
  attempts: number,
  failure: DirectoryWriteFailure,
  decide: DecideFailure,
): { change: Omit<SettledChange, 'id'>; stop: boolean } {
  const decision = decide(failure.error);
  return {
    change: outcomeOf(severityOf(decision), attempts, failure, decision.kind),
    stop: decision.action === 'stop-run',
  };
}

function outcomeOf(
  severity: Severity,
  attempts: number,
  { failure }: DirectoryWriteFailure,
  kind: UpstreamFailureKind | null,
): Omit<SettledChange, 'id'> {
  const graph = `Graph answered ${failure.status ?? 'nothing'} ${failure.code}: ${failure.message}`;
  const error = { errorCode: failure.code, errorStatus: failure.status };
  if (severity === 'retry' && attempts + 1 >= MAX_ATTEMPTS)
    return { status: 'failed', reason: `Gave up after ${attempts + 1} attempts. ${graph}`, ...error };
  if (severity === 'retry') {
    const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempts);
    return { status: 'retry', reason: graph, retryAfterMs: Math.max(1000, failure.retryAfterMs ?? backoff), ...error };
  }
  if (severity === 'skipped')
    return { status: 'skipped', reason: `${SKIP_TEXT[kind ?? 'fatal'] ?? ''}${graph}`, ...error };
  return { status: 'failed', reason: graph, ...error };
}

const SKIP_TEXT: Partial<Record<UpstreamFailureKind, string>> = {
  'not-found': 'The Entra user no longer exists. ',
  'on-premises-mastered':
    'The Entra user is synced from on-premises Active Directory, which masters these attributes: change them there (rule 4.4). ',
};
