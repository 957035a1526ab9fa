import type { Logger } from 'pino';
import { invitationMessage, type InvitationMessage } from '../domain/invitation.js';
import type { InvitationOutcome } from './ports/invitation.port.js';
import type { Repositories } from './ports/repositories.port.js';

/** What sends an invitation e-mail (gateways/notify/email-sender.ts over SMTP_URL). */
export interface InvitationMailer {
  send(message: InvitationMessage & { to: string }): Promise<void>;
}

export interface InvitationSendSummary {
  /** Invitations that became due because their users were created while invitations were on. */
  requested: number;
  sent: number;
  failed: number;
  /** Due invitations left for later: no mail server, or the job was stopped. */
  waiting: boolean;
}

/** Invitations sent per database round: one read and one write for this many e-mails. */
const BATCH = 50;

/**
 * Sends the invitations that are due (docs/rules.md §8.4): first makes due those of users created
 * since invitations were switched on, then mails them a batch at a time, recording each batch's
 * outcome in one statement. One sender at a time across instances (the caller holds the lock), so
 * nobody gets the same invitation twice from one request.
 */
export class InvitationSender {
  constructor(
    private readonly deps: {
      repos: () => Repositories;
      /** null without SMTP_URL: invitations stay due, and the settings say why. */
      mailer: InvitationMailer | null;
      /** Where the e-mail's link leads: the web app's sign-in (PUBLIC_URL, else where the service listens). */
      signInUrl: () => string;
      logger: Logger;
    },
  ) {}

  async sendDue(signal: AbortSignal): Promise<InvitationSendSummary> {
    const repos = this.deps.repos();
    const requested = await repos.invitations.requestForNewUsers();
    const summary: InvitationSendSummary = { requested, sent: 0, failed: 0, waiting: false };
    const mailer = this.deps.mailer;
    for (;;) {
      const due = await repos.invitations.due(BATCH);
      if (due.length === 0) return summary;
      if (!mailer || signal.aborted) return { ...summary, waiting: true };
      const outcomes: InvitationOutcome[] = [];
      for (const invitation of due) {
        const message = invitationMessage({ name: invitation.name }, this.deps.signInUrl());
        const error = await mailer.send({ to: invitation.email, ...message }).then(
          () => null,
          (failure: unknown) => describe(failure),
        );
        if (error) this.deps.logger.warn({ hrUserId: invitation.hrUserId, error }, 'invitation not sent');
        outcomes.push({ hrUserId: invitation.hrUserId, error });
      }
      await repos.invitations.settle(outcomes);
      summary.sent += outcomes.filter((o) => o.error === null).length;
      summary.failed += outcomes.filter((o) => o.error !== null).length;
    }
  }
}

/** What the mail server said, without what the error object may carry (an SMTP URL with its password). */
function describe(failure: unknown): string {
  if (!(failure instanceof Error)) return 'the mail server refused the message';
  const code = (failure as { responseCode?: number }).responseCode;
  return (code ? `${code} ` : '') + failure.message.slice(0, 500);
}
