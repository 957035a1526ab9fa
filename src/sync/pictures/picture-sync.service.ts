import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { FailurePolicy, UpstreamFailureKind } from '../kernel/error-policy.js';
import type { PictureCheck, PictureSource, PictureStore } from './picture-sync.ports.js';

export type { PictureSource } from './picture-sync.ports.js';

export interface PictureSyncDeps {
  store: () => PictureStore;
  source: () => PictureSource | null;
  /** What a failed photo read means (src/sync/kernel/error-policy.ts). */
  failures: FailurePolicy;
  logger: Logger;
  /** A picture is checked again after this many days (Graph's delta never reports photo changes). */
  maxAgeDays?: number;
  /** Users one batch job checks. */
  batchSize?: number;
  /** Pictures one fan-out hands out at most, so a large tenant is spread over several hours (Graph's photo API is rate-limited). */
  maxPerRun?: number;
  concurrency?: number;
}

/** What one batch did; `retry` are the users to read again later (Graph was busy). */
export interface PictureBatchResult {
  due: number;
  checked: number;
  changed: number;
  retry: string[];
  /** Set when a failure ended the batch (no permission, no credential): the rest stays due. */
  stoppedBy?: UpstreamFailureKind | null;
}

/**
 * Rule 2.5: profile pictures flow Entra -> HR, only for users not connected to an employee profile.
 * Pictures are fetched apart from the sync run, one request per user and at most 4 at once as the
 * photo API allows (https://learn.microsoft.com/graph/api/profilephoto-get). The hourly schedule
 * hands out the users never checked or checked longest ago, in batches that any instance may take
 * (`dueBatches`); each batch reads its users' photos (`syncBatch`).
 */
export class PictureSyncService {
  constructor(private readonly deps: PictureSyncDeps) {}

  /** The due users, at most `maxPerRun`, cut into batches of ids. */
  async dueBatches(): Promise<string[][]> {
    if (!this.deps.source()) return [];
    const ids = await this.deps.store().dueUserIds(this.deps.maxPerRun ?? 2000, this.maxAgeDays);
    const size = this.deps.batchSize ?? 100;
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += size) batches.push(ids.slice(i, i + size));
    return batches;
  }

  /**
   * Reads the photos of those users that are still due. What a failed read means is the error
   * policy's call: a busy Graph leaves the user for `retry` (on the last attempt the user only goes
   * to the back of the queue, as a checked one), a user Graph cannot serve is skipped as checked,
   * and a failure that every other read would meet too (credential, permission) ends the batch.
   */
  async syncBatch(
    hrUserIds: readonly string[],
    options: { signal: AbortSignal; lastAttempt: boolean },
  ): Promise<PictureBatchResult> {
    const source = this.deps.source();
    const store = this.deps.store();
    const due = source ? await store.dueAmong(hrUserIds, this.maxAgeDays) : [];
    const checks: PictureCheck[] = [];
    const retry: string[] = [];
    let stoppedBy: UpstreamFailureKind | null | undefined;
    await mapLimit(due, this.deps.concurrency ?? 4, async (user) => {
      if (options.signal.aborted || stoppedBy !== undefined) return;
      try {
        const photo = await source!.getPhoto(user.entraId);
        const sha256 = photo ? createHash('sha256').update(photo.bytes).digest('hex') : null;
        checks.push({
          hrUserId: user.hrUserId,
          picture: photo && { ...photo, sha256: sha256! },
          changed: sha256 !== user.sha256,
        });
      } catch (error) {
        const decision = this.deps.failures.decide(error, 'item');
        this.deps.logger[decision.alert ? 'error' : 'warn'](
          { err: error, hrUserId: user.hrUserId, kind: decision.kind, action: decision.action },
          'could not read a profile picture',
        );
        if (decision.action === 'stop-run') stoppedBy = decision.kind;
        else if (decision.action === 'skip-item' || options.lastAttempt)
          checks.push({ hrUserId: user.hrUserId, picture: null, changed: false });
        else retry.push(user.hrUserId);
      }
    });
    await store.record(checks);
    const changed = checks.filter((check) => check.changed).length;
    if (checks.length) this.deps.logger.info({ checked: checks.length, changed }, 'profile pictures checked');
    return {
      due: due.length,
      checked: checks.length,
      changed,
      retry,
      ...(stoppedBy === undefined ? {} : { stoppedBy }),
    };
  }

  private get maxAgeDays(): number {
    return this.deps.maxAgeDays ?? 7;
  }
}

/** Runs `work` over `items` with at most `limit` at once. */
async function mapLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}
