import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { mailText, startSmtpServer } from '../integration/notify/notify-servers.js';
import { startSyncHarness, type SyncHarness } from '../support/entra.js';
import { ADMIN_TOKEN } from '../support/service.js';
import { checkPage, ensureWebBuild, openBrowser } from './browser-support.js';

/**
 * Invitations (rule 8.4) in Chromium: the admin switches them on, a newcomer synced from Entra gets
 * the e-mail, follows its link and signs in with Microsoft; the admin sees the sign-in and sends
 * the invitation again. The e-mail goes through a real SMTP server on loopback.
 */
describe('invitations in the browser', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let h: SyncHarness;
  let browser: Browser;
  let page: Page;
  let staffId: string;
  const NINA = 'nina.newcomer@contoso.com';
  const mailsToNina = () => smtp.messages.filter((m) => m.to.includes(NINA));

  async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
    for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100)))
      if (check()) return;
    throw new Error(`timed out waiting until ${what}`);
  }
  async function open(label: string, title: string): Promise<void> {
    const menu = page.getByRole('button', { name: 'Menu' });
    if (await menu.isVisible()) await menu.click();
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: label, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
  }
  async function signInAsAdmin(): Promise<void> {
    await page.goto(h.service.url);
    await page.getByLabel('Administrator token', { exact: true }).fill(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
  }

  beforeAll(async () => {
    const webAppDir = await ensureWebBuild();
    smtp = await startSmtpServer();
    h = await startSyncHarness({
      emulator: { seed: { users: 4 } },
      env: {
        WEB_APP_DIR: webAppDir,
        SMTP_URL: smtp.url,
        NOTIFY_EMAIL_FROM: 'hr@contoso.com',
        INVITATION_SEND_INTERVAL: '1 second',
      },
    });
    staffId = (await h.emulator.control.findGroup('All Staff'))!.id;
    await h.service.api('/api/admin/synced-groups', { method: 'PUT', json: { groupIds: [staffId] } });
    await h.syncNow();
    ({ browser, page } = await openBrowser());
    await signInAsAdmin();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await smtp?.close();
  });

  it('lets the admin switch invitations on', async () => {
    await open('Invitations', 'Invitations');
    await page.getByText('Nobody has been invited yet.').waitFor();
    await page.getByRole('switch', { name: 'Invitations are off' }).click();
    await page.getByRole('switch', { name: 'Invitations are on' }).waitFor();
    await expect(page.getByRole('switch', { name: 'Invitations are on' }).isChecked()).resolves.toBe(true);
    const stored = (await (await h.service.api('/api/admin/settings')).json()) as { invitations: boolean };
    expect(stored.invitations).toBe(true);
    await checkPage(page, 'invitations');
  }, 120_000);

  it('sends a newcomer an e-mail whose link signs them in', async () => {
    const nina = await h.emulator.control.createUser({
      displayName: 'Nina Newcomer',
      givenName: 'Nina',
      surname: 'Newcomer',
      mail: NINA,
      userPrincipalName: NINA,
      accountEnabled: true,
      groups: [staffId],
    });
    await h.syncNow();
    await until('the invitation reaches the mail server', () => mailsToNina().length === 1);
    // Only the newcomer: the people synced before the switch went on get nothing.
    expect(smtp.messages).toHaveLength(1);
    const link = /^(http\S+)$/m.exec(mailText(mailsToNina()[0]!.raw))![1]!;
    expect(link).toBe(`${h.service.url}/`);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(link);
    await page.getByRole('link', { name: 'Sign in with Microsoft' }).click();
    await page.getByLabel('Search people').fill('Nina Newcomer');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /Nina Newcomer/ }).click();
    await page.getByRole('heading', { level: 1, name: 'My profile' }).waitFor();
    expect(nina.id).toBeTruthy();
  }, 120_000);

  it('shows the admin who signed in, and sends the invitation again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInAsAdmin();
    await open('Invitations', 'Invitations');
    const row = page.getByRole('table', { name: 'Invitations' }).getByRole('row', { name: new RegExp(NINA) });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('Sent');
    // Sent, and signed in since: neither column says "Not yet".
    await expect(row.textContent()).resolves.not.toContain('Not yet');
    await row.getByRole('button', { name: `Send again to ${NINA}` }).click();
    await page.getByText(`${NINA} gets the invitation again within a minute.`).waitFor();
    await until('the second e-mail', () => mailsToNina().length === 2);
    await checkPage(page, 'invitations-sent');
  }, 120_000);
});
