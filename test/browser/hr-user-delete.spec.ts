import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { startSyncHarness, type SyncHarness } from '../support/entra.js';
import { ADMIN_TOKEN } from '../support/service.js';
import { checkPage, ensureWebBuild, openBrowser } from './browser-support.js';

/**
 * Deleting an HR user in Chromium (docs/rules.md §4.3, 9.5): the page asks first, in the service's
 * words (what goes, and that the Entra user is deleted too); Cancel keeps the user, Delete removes
 * it and its Entra user goes to Entra's deleted users through write-back.
 */
describe('deleting an HR user in the browser', () => {
  let h: SyncHarness;
  let browser: Browser;
  let page: Page;
  let leaver: { id: string; email: string; entraId: string };

  beforeAll(async () => {
    const webAppDir = await ensureWebBuild();
    h = await startSyncHarness({ emulator: { seed: { users: 4 } }, env: { WEB_APP_DIR: webAppDir } });
    const staffId = (await h.emulator.control.findGroup('All Staff'))!.id;
    await h.service.api('/api/admin/synced-groups', { method: 'PUT', json: { groupIds: [staffId] } });
    await h.syncNow();
    await h.service.api('/api/admin/settings', { method: 'PATCH', json: { writeBackDelete: true } });
    const { items } = (await (await h.service.api('/api/admin/users?limit=100')).json()) as {
      items: Array<{ id: string; email: string; entraId: string | null; roles: string[] }>;
    };
    const linked = items.find((u) => u.entraId !== null && u.roles.length === 0)!;
    leaver = { id: linked.id, email: linked.email, entraId: linked.entraId! };
    ({ browser, page } = await openBrowser());
    await page.goto(h.service.url);
    await page.getByLabel('Administrator token', { exact: true }).fill(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const openLeaver = async () => {
    await page.goto(`${h.service.url}/users/${leaver.id}`);
    await page.getByRole('button', { name: 'Delete this HR user…' }).waitFor();
  };

  it('asks first, saying what deleting does; Cancel keeps the user', async () => {
    await openLeaver();
    await page.getByRole('button', { name: 'Delete this HR user…' }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${leaver.email}?` });
    await dialog.waitFor();
    await dialog.getByText(`Its Entra user ${leaver.entraId} is deleted too`).waitFor();
    await expect(dialog.textContent()).resolves.not.toContain('confirm=');
    await checkPage(page, 'hr-user-delete-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await h.service.api(`/api/admin/users/${leaver.id}`)).status).toBe(200);
  }, 120_000);

  it('Delete removes the HR user and sends the deletion of its Entra user', async () => {
    await openLeaver();
    await page.getByRole('button', { name: 'Delete this HR user…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { level: 1, name: 'HR users' }).waitFor();
    await expect(page.getByRole('link', { name: leaver.email }).count()).resolves.toBe(0);
    expect((await h.service.api(`/api/admin/users/${leaver.id}`)).status).toBe(404);
    const { items } = (await (await h.service.api('/api/admin/write-back/changes?action=delete')).json()) as {
      items: Array<{ entraId: string }>;
    };
    expect(items.map((c) => c.entraId)).toContain(leaver.entraId);
  }, 120_000);
});
