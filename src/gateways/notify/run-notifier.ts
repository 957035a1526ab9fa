import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { PgSettingsRepository } from '../db/settings.repository.js';
import { EmailSender } from './email-sender.js';
import {
  decisionPayload,
  decisionSubject,
  decisionText,
  emailSubject,
  emailText,
  webhookPayload,
  type HeldRunDecision,
  type RunProblem,
} from './run-message.js';
import { DEFAULT_WEBHOOK_OPTIONS, sendWebhook, type WebhookOptions } from './webhook-sender.js';

export type { HeldRunDecision, RunProblem } from './run-message.js';

/** One notification, as both channels send it. */
interface Notice {
  runId: string;
  subject: string;
  text: string;
  payload: Record<string, unknown>;
}

/** Where problems go, as the integration settings say now (read at each notification). */
export interface NotifyTargets {
  email: string | null;
  webhookUrl: string | null;
  webhookSecret: string | null;
}

export interface RunNotifierDeps {
  targets: () => Promise<NotifyTargets>;
  /** null when no SMTP server is configured (SMTP_URL). */
  email: EmailSender | null;
  logger: Logger;
  webhook?: Partial<WebhookOptions>;
}

/**
 * Tells the admin about a failed run or a run with per-user failures (rule 8.2), and about the
 * confirm or discard of a held run (3.6), by e-mail and/or
 * webhook, whichever the settings name. Never throws: a notification that cannot be sent is
 * logged (without secrets or the webhook's path and query, which often hold a token) and the
 * run goes on as if it had been sent.
 */
export class RunNotifier {
  private readonly webhookOptions: WebhookOptions;

  constructor(private readonly deps: RunNotifierDeps) {
    this.webhookOptions = { ...DEFAULT_WEBHOOK_OPTIONS, ...deps.webhook };
  }

  async notifyRunProblem(run: RunProblem): Promise<void> {
    await this.send({ runId: run.id, subject: emailSubject(run), text: emailText(run), payload: webhookPayload(run) });
  }

  /** An admin confirmed or discarded a held run (rule 3.6). */
  async notifyHeldRunDecision(decision: HeldRunDecision): Promise<void> {
    await this.send({
      runId: decision.id,
      subject: decisionSubject(decision),
      text: decisionText(decision),
      payload: decisionPayload(decision),
    });
  }

  private async send(notice: Notice): Promise<void> {
    const log = this.deps.logger.child({ runId: notice.runId });
    let targets: NotifyTargets;
    try {
      targets = await this.deps.targets();
    } catch (error) {
      log.warn({ error: summary(error) }, 'run notification not sent: the notification settings could not be read');
      return;
    }
    await Promise.all([this.email(notice, targets, log), this.webhook(notice, targets, log)]);
  }

  private async email(notice: Notice, targets: NotifyTargets, log: Logger): Promise<void> {
    if (!targets.email) return;
    if (!this.deps.email) {
      log.warn('run notification e-mail not sent: a notification address is set but SMTP_URL is not configured');
      return;
    }
    try {
      await this.deps.email.send({ to: targets.email, subject: notice.subject, text: notice.text });
      log.info({ to: targets.email }, 'run notification e-mailed');
    } catch (error) {
      log.warn({ to: targets.email, error: summary(error) }, 'run notification e-mail could not be sent');
    }
  }

  private async webhook(notice: Notice, targets: NotifyTargets, log: Logger): Promise<void> {
    if (!targets.webhookUrl) return;
    const origin = originOf(targets.webhookUrl);
    try {
      const { status, attempts } = await sendWebhook(
        targets.webhookUrl,
        targets.webhookSecret,
        notice.payload,
        this.webhookOptions,
      );
      log.info(
        { webhook: origin, status, attempts, signed: targets.webhookSecret !== null },
        'run notification posted to the webhook',
      );
    } catch (error) {
      log.warn({ webhook: origin, error: summary(error) }, 'run notification could not be posted to the webhook');
    }
  }
}

export interface RunNotifierOptions {
  /** A fresh EntityManager per notification. */
  em: () => EntityManager;
  secretBox: { open(sealed: string): string };
  /** config.SMTP_URL */
  smtpUrl?: string;
  /** config.NOTIFY_EMAIL_FROM */
  from?: string;
  logger: Logger;
  webhook?: Partial<WebhookOptions>;
}

/** The notifier the composition root hands the sync engine: targets from the settings, secret opened per use. */
export function createRunNotifier(options: RunNotifierOptions): RunNotifier {
  const logger = options.logger.child({ component: 'run-notifier' });
  if (options.smtpUrl && !options.from)
    logger.warn(
      'NOTIFY_EMAIL_FROM is not configured: notification e-mails are sent from entra-hr-connector@localhost, which many mail servers refuse',
    );
  const email = options.smtpUrl
    ? new EmailSender(options.smtpUrl, options.from ?? 'Entra HR Connector <entra-hr-connector@localhost>')
    : null;
  const targets = async (): Promise<NotifyTargets> => {
    const {
      notifyEmail: email,
      notifyWebhookUrl: webhookUrl,
      sealedWebhookSecret: sealed,
    } = await new PgSettingsRepository(options.em()).read();
    if (sealed === null) return { email, webhookUrl, webhookSecret: null };
    try {
      return { email, webhookUrl, webhookSecret: options.secretBox.open(sealed) };
    } catch {
      // An unsigned delivery would look like a forgery to a receiver that checks; send none instead.
      logger.error(
        'the webhook secret cannot be opened (was ENCRYPTION_KEY changed?): set it again in the settings; no webhook is sent until then',
      );
      return { email, webhookUrl: null, webhookSecret: null };
    }
  };
  return new RunNotifier({ targets, email, logger, ...(options.webhook ? { webhook: options.webhook } : {}) });
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

/** An error's message and code only: SMTP and fetch errors can carry configuration with credentials. */
function summary(error: unknown): { message: string; code?: string } {
  const { message, code } = error as { message?: string; code?: string };
  return { message: String(message ?? error), ...(code ? { code } : {}) };
}
