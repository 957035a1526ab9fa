import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { SettingsService } from '../../../src/application/settings.service.js';
import { openOrm, type Orm } from '../../../src/gateways/db/orm.js';
import { SecretBox } from '../../../src/gateways/db/secret-box.js';
import { repositoriesFor } from '../../../src/gateways/db/repositories.js';
import { createRunNotifier, RunNotifier, type RunProblem } from '../../../src/gateways/notify/run-notifier.js';
import type { RunProblemNotifier } from '../../../src/sync/inbound/inbound-sync.service.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { capturingLogger, mailText, startSmtpServer, startWebhookReceiver, verifySignature } from './notify-servers.js';

const KEY = 'ab'.repeat(32);
const SECRET = 'run-webhook-secret-42';
const run = {
  id: '5b0c6a4e-0000-4000-8000-000000000001',
  status: 'completed-with-failures' as const,
  trigger: 'schedule' as const,
  mode: 'incremental' as const,
  startedAt: '2026-01-15T12:00:00.000Z',
  finishedAt: '2026-01-15T12:03:00.000Z',
  error: null,
  counts: { created: 3, updated: 10, deactivated: 1, reactivated: 0, skipped: 2, failed: 25 },
  failures: Array.from({ length: 25 }, (_, i) => ({
    email: `user${i}@contoso.com`,
    reason: i === 0 ? 'Given name and surname are required (rule 2.3)' : 'Graph refused',
  })),
} satisfies RunProblem;
const fastRetries = { sleep: async () => {}, timeoutMs: 500 };

describe('run notifier: real SMTP and webhook servers on loopback, settings from the database', () => {
  let db: TestDatabase;
  let orm: Orm;
  const box = new SecretBox(KEY);
  const stops: Array<() => Promise<void>> = [];
  const configure = (patch: Parameters<SettingsService['update']>[0]) =>
    new SettingsService(repositoriesFor(orm.em.fork()), box).update(patch, null);

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openOrm({ clientUrl: db.url, poolSize: 2 });
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  it('e-mails the configured address and posts a signed webhook, as the sync engine calls it', async () => {
    const smtp = await startSmtpServer();
    const hook = await startWebhookReceiver();
    stops.push(smtp.close, hook.close);
    await configure({ notifyEmail: 'hr-ops@contoso.com', notifyWebhookUrl: hook.url, notifyWebhookSecret: SECRET });
    const { logger, lines } = capturingLogger();
    const notifier: RunProblemNotifier = createRunNotifier({
      em: () => orm.em.fork(),
      secretBox: box,
      smtpUrl: smtp.url,
      from: 'connector@contoso.com',
      logger,
      webhook: fastRetries,
    });

    await notifier.notifyRunProblem({
      ...run,
      requestedBy: null,
      cancelledBy: null,
      throttleWaitMs: 0,
      progress: { pages: 1, processed: 40, stage: 'apply', total: 40, unchanged: 0, notInScope: 0 },
    });

    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0]!;
    expect(mail).toMatchObject({ from: 'connector@contoso.com', to: ['hr-ops@contoso.com'] });
    const text = mailText(mail.raw);
    expect(text).toMatch(/^Subject: Entra HR Connector: the sync run finished with 25 failed users/m);
    expect(text).toContain(`Run: ${run.id}`);
    expect(text).toContain('user0@contoso.com: Given name and surname are required (rule 2.3)');
    expect(text).toContain('Failed users (first 20)');
    expect(text).not.toContain('user20@contoso.com');

    expect(hook.deliveries).toHaveLength(1);
    expect(verifySignature(hook.deliveries[0]!, SECRET)).toBe(true);
    const payload = JSON.parse(hook.deliveries[0]!.body) as {
      event: string;
      run: Record<string, unknown>;
      failures: unknown[];
    };
    expect(payload.event).toBe('sync-run.problem');
    expect(payload.run).toMatchObject({
      id: run.id,
      status: 'completed-with-failures',
      trigger: 'schedule',
      startedAt: '2026-01-15T12:00:00.000Z',
      counts: run.counts,
    });
    expect(payload.failures).toHaveLength(20);
    expect(lines.join('')).not.toContain(SECRET);
    expect(lines.join('')).not.toContain('path-secret');
  });

  it('never throws when the mail server refuses and the webhook keeps failing; it logs why, without secrets', async () => {
    const smtp = await startSmtpServer({ refuse: true });
    const hook = await startWebhookReceiver(() => 502);
    stops.push(smtp.close, hook.close);
    await configure({ notifyEmail: 'hr-ops@contoso.com', notifyWebhookUrl: hook.url, notifyWebhookSecret: SECRET });
    const { logger, lines } = capturingLogger();
    const notifier = createRunNotifier({
      em: () => orm.em.fork(),
      secretBox: box,
      smtpUrl: smtp.url,
      from: 'connector@contoso.com',
      logger,
      webhook: fastRetries,
    });

    await expect(
      notifier.notifyRunProblem({ ...run, status: 'failed', error: 'Graph answered 503 three times' }),
    ).resolves.toBeUndefined();

    expect(hook.deliveries).toHaveLength(3);
    const log = lines.join('');
    expect(log).toContain('run notification e-mail could not be sent');
    expect(log).toContain('mailbox unavailable');
    expect(log).toContain('run notification could not be posted to the webhook');
    expect(log).toContain('the webhook answered HTTP 502');
    expect(log).not.toContain(SECRET);
    expect(log).not.toContain('path-secret');
  });

  it('skips the webhook, but still e-mails, when the stored secret was sealed with another key', async () => {
    const smtp = await startSmtpServer();
    const hook = await startWebhookReceiver();
    stops.push(smtp.close, hook.close);
    await configure({ notifyEmail: 'hr-ops@contoso.com', notifyWebhookUrl: hook.url, notifyWebhookSecret: SECRET });
    const { logger, lines } = capturingLogger();
    const notifier = createRunNotifier({
      em: () => orm.em.fork(),
      secretBox: new SecretBox('cd'.repeat(32)),
      smtpUrl: smtp.url,
      from: 'connector@contoso.com',
      logger,
    });

    await notifier.notifyRunProblem(run);

    expect(smtp.messages).toHaveLength(1);
    expect(hook.deliveries).toHaveLength(0);
    expect(lines.join('')).toContain('was ENCRYPTION_KEY changed?');
  });

  it('sends nothing when no target is configured, and warns when an address is set without SMTP_URL', async () => {
    const hook = await startWebhookReceiver();
    stops.push(hook.close);
    await configure({ notifyEmail: null, notifyWebhookUrl: null, notifyWebhookSecret: null });
    const quiet = capturingLogger();
    await createRunNotifier({ em: () => orm.em.fork(), secretBox: box, logger: quiet.logger }).notifyRunProblem(run);
    expect(quiet.lines.filter((line) => line.includes('"level":40'))).toEqual([]);
    expect(hook.deliveries).toHaveLength(0);

    await configure({ notifyEmail: 'hr-ops@contoso.com' });
    const { logger, lines } = capturingLogger();
    await createRunNotifier({ em: () => orm.em.fork(), secretBox: box, logger }).notifyRunProblem(run);
    expect(lines.join('')).toContain('SMTP_URL is not configured');
  });

  it('logs and returns when the settings cannot be read', async () => {
    const { logger, lines } = capturingLogger();
    const notifier = new RunNotifier({
      targets: () => Promise.reject(new Error('database is gone')),
      email: null,
      logger,
    });
    await expect(notifier.notifyRunProblem(run)).resolves.toBeUndefined();
    expect(lines.join('')).toContain('the notification settings could not be read');
  });
});
