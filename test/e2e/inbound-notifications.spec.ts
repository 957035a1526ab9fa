import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSyncHarness, type SyncHarness } from '../support/entra.js';
import {
  mailText,
  startSmtpServer,
  startWebhookReceiver,
  verifySignature,
} from '../integration/notify/notify-servers.js';

const WEBHOOK_SECRET = 'webhook-secret-0123456789';

describe('8.2 a failed run notifies the configured e-mail address and webhook', () => {
  let h: SyncHarness;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    hook = await startWebhookReceiver();
    h = await startSyncHarness({ env: { SMTP_URL: smtp.url, NOTIFY_EMAIL_FROM: 'hr-connector@contoso.com' } });
    const ada = await h.emulator.control.createUser({
      displayName: 'Ada',
      givenName: 'Ada',
      surname: 'Lovelace',
      mail: 'ada@contoso.com',
      userPrincipalName: 'ada@contoso.com',
      accountEnabled: true,
    });
    const group = await h.emulator.control.createGroup({ displayName: 'Staff', members: [ada.id] });
    expect(
      (await h.service.api('/api/admin/synced-groups', { method: 'PUT', json: { groupIds: [group.id] } })).status,
    ).toBe(200);
    const settings = await h.service.api('/api/admin/settings', {
      method: 'PATCH',
      json: { notifyEmail: 'hr-admins@contoso.com', notifyWebhookUrl: hook.url, notifyWebhookSecret: WEBHOOK_SECRET },
    });
    expect(settings.status).toBe(200);
  });
  afterAll(async () => {
    await h.close();
    await smtp.close();
    await hook.close();
  });

  it('sends nothing for a run that succeeds', async () => {
    expect((await h.syncNow()).status).toBe('succeeded');
    expect(smtp.messages).toHaveLength(0);
    expect(hook.deliveries).toHaveLength(0);
  });

  it('sends an e-mail and a signed webhook when Graph keeps refusing the run', async () => {
    // Graph throttles every delta read with a wait longer than the gateway's bound: the run fails.
    await h.emulator.control.addFault({ kind: 'throttle', count: 50, retryAfterSeconds: 3600, pathRegex: 'delta' });
    const run = await h.syncNow();
    await h.emulator.control.clearFaults();
    expect(run.status).toBe('failed');
    // The inbound channel records the failure: its stage, and one failure in a row after a success.
    const [channel] = await h.service.orm.em
      .fork()
      .execute(`select stage, failures_in_row, last_success_at from sync_channel where id = 'entra-inbound'`);
    expect(channel).toMatchObject({ stage: 'failed', failures_in_row: 1, last_success_at: expect.anything() });
    const deadline = Date.now() + 10_000;
    while ((smtp.messages.length === 0 || hook.deliveries.length === 0) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.to).toEqual(['hr-admins@contoso.com']);
    expect(mailText(smtp.messages[0]!.raw)).toContain(run.id);
    expect(hook.deliveries).toHaveLength(1);
    expect(verifySignature(hook.deliveries[0]!, WEBHOOK_SECRET)).toBe(true);
    expect(JSON.parse(hook.deliveries[0]!.body)).toMatchObject({ run: { id: run.id, status: 'failed' } });
  });
});
