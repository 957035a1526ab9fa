import type { Logger } from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';
import { InvitationSender } from './application/invitation-sender.js';
import type { AdvisoryChannelLocks } from './gateways/db/channel-locks.js';
import { repositoriesFor } from './gateways/db/repositories.js';
import { EmailSender } from './gateways/notify/email-sender.js';
import { invitationsSendJob } from './jobs/invitations-send.job.js';
import type { Scheduler } from './jobs/scheduler.js';
import { channelLock } from './jobs/sync-lock.js';
import { INVITATIONS_CHANNEL_ID } from './sync/kernel/channel-id.js';

/** Invitations' part of the composition root (docs/rules.md §8.4): the sender, its job and its sweep. */
export interface InvitationWiring {
  /** The sweep (INVITATION_SEND_INTERVAL), and one pass now; once the service listens, so the link has its address. */
  schedule(): Promise<void>;
  close(): void;
}

export function wireInvitations(deps: {
  orm: MikroORM;
  scheduler: Scheduler;
  locks: AdvisoryChannelLocks;
  /** config.SMTP_URL; without it invitations wait, and the settings say so. */
  smtpUrl?: string;
  from: string;
  /** The web app's address (PUBLIC_URL, else where the service listens). */
  publicUrl: () => string;
  /** config.INVITATION_SEND_INTERVAL: how soon a user a run or a push created is invited. */
  interval: string;
  logger: Logger;
}): InvitationWiring {
  const mailer = deps.smtpUrl ? new EmailSender(deps.smtpUrl, deps.from) : null;
  const sender = new InvitationSender({
    repos: () => repositoriesFor(deps.orm.em.fork()),
    mailer,
    signInUrl: () => `${deps.publicUrl()}/`,
    logger: deps.logger,
  });
  deps.scheduler.define(
    'invitations-send',
    invitationsSendJob({
      lock: channelLock(deps.locks, INVITATIONS_CHANNEL_ID),
      send: (signal) => sender.sendDue(signal),
    }),
  );
  return {
    schedule: async () => {
      await deps.scheduler.every(deps.interval, 'invitations-send', {});
      await deps.scheduler.now('invitations-send', {});
    },
    close: () => mailer?.close(),
  };
}
