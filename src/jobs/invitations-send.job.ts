import type { InvitationSendSummary } from '../application/invitation-sender.js';
import type { JobHandler } from './job-registry.js';
import type { SyncLock } from './sync-lock.js';

/**
 * Sends the due invitations under the invitations channel's lock: a sender already running takes
 * what woke this one, so this one is skipped. Every INVITATION_SEND_INTERVAL as a sweep (users
 * created by a run or a SCIM push), and at once when an admin asks.
 */
export function invitationsSendJob(deps: {
  lock: Pick<SyncLock, 'tryWithLock'>;
  send: (signal: AbortSignal) => Promise<InvitationSendSummary>;
}): JobHandler<'invitations-send'> {
  return async (_payload, { signal }) => {
    const outcome = await deps.lock.tryWithLock(() => deps.send(signal));
    if (!outcome.acquired) return { status: 'skipped', detail: 'invitations are being sent by another job' };
    const s = outcome.value;
    const detail = `${s.requested} newly due, ${s.sent} sent, ${s.failed} failed${s.waiting ? '; some wait (no SMTP_URL, or stopped)' : ''}`;
    return { status: s.requested + s.sent + s.failed > 0 ? 'done' : 'skipped', detail };
  };
}
