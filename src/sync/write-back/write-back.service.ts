import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { FailurePolicy } from '../kernel/error-policy.js';
import { newEntraUser } from '../../domain/write-back-create.js';
import { planUserWrite } from '../../domain/write-back.js';
import { planRound, settleFailure, settleRound, type CreateWork, type DecideFailure } from './write-back.round.js';
import type {
  CreationSent,
  SettledChange,
  UserWriter,
  WriteBackSettings,
  WriteBackStore,
  WrittenUser,
} from './write-back.ports.js';

/** Users per round: at 20 writes per `$batch`, one round is about ten `$batch` calls. */
const USERS_PER_ROUND = 200;

export interface WriteBackDeps {
  /** A store over its own database session, per drain. */
  store: () => WriteBackStore;
  /** The directory writer of the current Entra connection; null when there is none. */
  writer: () => UserWriter | null;
  failures: FailurePolicy;
  logger: Logger;
  usersPerRound?: number;
}

export interface DrainSummary {
  drainId: string;
  sent: number;
  skipped: number;
  failed: number;
  /** Changes Graph asked to wait for: still pending, due at `nextDueAt`. */
  retried: number;
  cancelled: number;
  /** Why the drain stopped before the outbox was empty (no connection, a missing permission). */
  stoppedBy: string | null;
  nextDueAt: Date | null;
}

/**
 * The write-back engine (docs/rules.md §4): drains the outbox round by round until nothing is due.
 * Each round reads the settings again (so switching update off stops the next round, rule 4.6),
 * coalesces each user's changes into one request with the values HR holds now, sends the round in
 * `$batch` calls of 20, and settles every change from Graph's answers as the error policy decides.
 * A change stays pending until it is settled, so a crash loses nothing; one drain runs at a time
 * (the job holds the write-back channel's lock), so one change is never sent by two instances.
 */
export class WriteBackService {
  constructor(private readonly deps: WriteBackDeps) {}

  async drain(signal?: AbortSignal): Promise<DrainSummary> {
    const store = this.deps.store();
    const summary: DrainSummary = {
      drainId: randomUUID(),
      sent: 0,
      skipped: 0,
      failed: 0,
      retried: 0,
      cancelled: 0,
      stoppedBy: null,
      nextDueAt: null,
    };
    while (!signal?.aborted) {
      const settings = await store.settings();
      summary.cancelled += await store.cancelSwitchedOff(settings);
      const users = await store.due(this.deps.usersPerRound ?? USERS_PER_ROUND);
      if (users.length === 0) break;
      const writer = this.deps.writer();
      if (!writer) {
        summary.stoppedBy = 'no Entra connection is configured';
        break;
      }
      const round = planRound(users, settings);
      await store.markAttempt([...round.work, ...round.creates].flatMap((work) => work.ids));
      const results = round.writes.length > 0 ? await writer.write(round.writes) : [];
      const decide = (error: unknown) => this.deps.failures.decide(error, 'item');
      const { settled, stop: stopped } = settleRound(round, results, decide);
      let stop = stopped;
      for (const create of round.creates) {
        if (stop || signal?.aborted) break;
        const outcome = await this.create(store, writer, create, settings, decide);
        settled.push(...create.ids.map((id) => ({ id, ...outcome.change })));
        stop ||= outcome.stop;
      }
      await store.settle(summary.drainId, settled);
      count(summary, settled);
      if (stop) {
        summary.stoppedBy = settled.find((change) => change.status === 'failed')?.reason ?? 'Graph refused';
        this.deps.logger.warn({ drainId: summary.drainId, reason: summary.stoppedBy }, 'write-back stopped');
        break;
      }
    }
    summary.nextDueAt = await store.nextDueAt();
    this.deps.logger.info(summary, 'write-back drain done');
    return summary;
  }

  /**
   * Rule 4.2: creates the Entra user of one HR user (its permitted fields with it when update is
   * on), adds it to the configured synced group, and links the HR user to it with the user
   * principal name and mail Entra assigned. What the creation is sent as is recorded before the
   * call, so when its answer is lost (the connection dropped, the service stopped before the link)
   * the next attempt finds the user Graph made instead of making a second. A refusal ends as any
   * change's (the error policy).
   */
  private async create(
    store: WriteBackStore,
    writer: UserWriter,
    work: CreateWork,
    settings: WriteBackSettings,
    decide: DecideFailure,
  ): Promise<{ change: Omit<SettledChange, 'id'>; stop: boolean }> {
    let user = work.user.creating === null ? null : await madeEarlier(writer, work.user.creating);
    if (user === null) {
      const body = this.newUser(work, settings);
      await store.markCreating(work.ids, String(body['userPrincipalName']));
      const answer = await writer.tryCreateUser(body);
      if ('refused' in answer) return settleFailure(work.attempts, answer.refused, decide);
      user = answer.user;
    }
    const upn = String(user.properties['userPrincipalName']);
    const mail = typeof user.properties['mail'] === 'string' ? user.properties['mail'] : null;
    await store.linkCreated(work.user.hrUserId!, user.id, upn, mail);
    let reason: string | null = null;
    if (settings.createGroupId !== null) {
      try {
        await writer.addGroupMember(settings.createGroupId, user.id);
      } catch (error) {
        reason = `Created, but not added to the synced group ${settings.createGroupId}: ${(error as Error).message}`;
      }
    }
    return {
      change: {
        status: 'sent',
        reason,
        result: { entraId: user.id, userPrincipalName: upn, mail, groupId: settings.createGroupId },
      },
      stop: false,
    };
  }

  private newUser(work: CreateWork, settings: WriteBackSettings): Record<string, unknown> {
    const plan = settings.update
      ? planUserWrite({
          fields: settings.permittedFields,
          permitted: settings.permittedFields,
          values: work.user.values,
          onPremisesSyncEnabled: null,
        })
      : { patch: {} };
    return newEntraUser({
      ...work.user.person!,
      domain: settings.createDomain!,
      password: initialPassword(),
      properties: present(plan.patch),
    });
  }
}

/** Graph's clock may run behind ours by this much (createdDateTime also drops the fractions of a second). */
const CLOCK_SKEW_MS = 60_000;

/**
 * The user an earlier attempt made, if Graph made it: the user principal name it was sent as,
 * created no earlier than it was sent (https://learn.microsoft.com/graph/api/resources/user,
 * createdDateTime). A user who held that name before is someone else's, left alone (the POST then
 * fails as taken, with Graph's answer).
 */
async function madeEarlier(writer: UserWriter, sent: CreationSent): Promise<WrittenUser | null> {
  const found = await writer.findUser(sent.userPrincipalName);
  const created = Date.parse(String(found?.properties['createdDateTime'] ?? ''));
  return found !== null && created >= sent.at.getTime() - CLOCK_SKEW_MS ? found : null;
}

/** The values HR has: a creation leaves out what is empty. */
function present(patch: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0)),
  );
}

/** A random initial password: 16 random characters and one of each class Entra's complexity rule counts. */
function initialPassword(): string {
  return `${randomBytes(12).toString('base64url')}aA1!`;
}

function count(summary: DrainSummary, settled: readonly SettledChange[]): void {
  for (const change of settled) {
    if (change.status === 'sent') summary.sent++;
    else if (change.status === 'skipped') summary.skipped++;
    else if (change.status === 'failed') summary.failed++;
    else summary.retried++;
  }
}
