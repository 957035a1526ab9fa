import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { startSyncHarness, type SyncHarness } from '../support/entra.js';
import { checkPage, ensureWebBuild, expectAccessible, openBrowser, tabTo } from './browser-support.js';

/**
 * Signing in through the emulator's authorize page in Chromium, by keyboard: an administrator (an
 * Entra user an admin gave the Administrator role), an employee (their own profile only), a person
 * with no HR user (told why, in words), and signing out.
 */
describe('sign-in in the browser', () => {
  let h: SyncHarness;
  let browser: Browser;
  let page: Page;
  const people: Record<'ada' | 'emil' | 'olga', string> = { ada: '', emil: '', olga: '' };

  beforeAll(async () => {
    const webAppDir = await ensureWebBuild();
    h = await startSyncHarness({ emulator: { seed: { users: 40 } }, env: { WEB_APP_DIR: webAppDir } });
    const staff = (await h.emulator.control.findGroup('All Staff'))!;
    const person = async (given: string, surname: string, groups: string[]) => {
      const mail = `${given}.${surname}@contoso.com`.toLowerCase();
      return (
        await h.emulator.control.createUser({
          displayName: `${given} ${surname}`,
          givenName: given,
          surname,
          mail,
          userPrincipalName: mail,
          accountEnabled: true,
          jobTitle: 'HR Partner',
          department: 'Human Resources',
          groups,
        })
      ).id;
    };
    people.ada = await person('Ada', 'Admin', [staff.id]);
    people.emil = await person('Emil', 'Employee', [staff.id]);
    people.olga = await person('Olga', 'Outsider', []);
    await h.service.api('/api/admin/synced-groups', { method: 'PUT', json: { groupIds: [staff.id] } });
    await h.syncNow();
    const { items } = (await (await h.service.api('/api/admin/users?search=ada.admin')).json()) as {
      items: Array<{ id: string }>;
    };
    await h.service.api(`/api/admin/users/${items[0]!.id}/roles`, {
      method: 'PUT',
      json: { roles: ['Administrator'] },
    });
    ({ browser, page } = await openBrowser());
    // Building the app, starting the service and a first sync: minutes when the machine is busy.
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** From the sign-in page to the emulator's, search the person and pick them: keyboard only. */
  async function signInWithMicrosoft(name: string): Promise<void> {
    await page.goto(h.service.url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await tabTo(page, 'Sign in with Microsoft');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(page.url().startsWith(h.emulator.url)).toBe(true);
    await tabTo(page, 'Search people');
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: new RegExp(name) }).waitFor();
    await tabTo(page, name);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.href.startsWith(h.service.url));
  }

  it('signs an administrator in with Microsoft, through the emulator, by keyboard', async () => {
    await page.goto(h.service.url);
    await page.getByRole('link', { name: 'Sign in with Microsoft' }).waitFor();
    await checkPage(page, 'sign-in');
    await page.getByRole('link', { name: 'Sign in with Microsoft' }).click();
    await page.getByLabel('Search people').waitFor();
    // The emulator's page is part of the sign-in a person goes through: it is checked too.
    await expectAccessible(page, 'emulator sign-in page');
    await signInWithMicrosoft('Ada Admin');
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sync');
    await expect(page.getByText('Ada Admin', { exact: true }).isVisible()).resolves.toBe(true);
  });

  it('signs out, then an employee in, who sees only their own profile', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in with Microsoft' }).waitFor();
    await signInWithMicrosoft('Emil Employee');
    await page.getByRole('heading', { name: 'My profile' }).waitFor();
    await page.getByRole('cell', { name: 'HR Partner' }).waitFor();
    await expect(page.getByRole('link', { name: 'Sync' }).count()).resolves.toBe(0);
    await checkPage(page, 'my-profile');
    // The admin API stays closed to an employee, whatever the address bar says.
    const status = await page.evaluate(async () => (await fetch('/api/admin/users')).status);
    expect(status).toBe(403);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in with Microsoft' }).waitFor();
  });

  it('tells a person without an HR user what happened and what to do', async () => {
    await signInWithMicrosoft('Olga Outsider');
    await page.getByText('there is no HR user for you yet').waitFor();
    await expect(page.getByText('Ask an HR administrator to add you').isVisible()).resolves.toBe(true);
    await checkPage(page, 'sign-in-refused');
  });

  it('lets the bootstrap administrator sign in with the administrator token', async () => {
    await page.goto(h.service.url);
    await page.getByLabel('Administrator token', { exact: true }).fill('not-the-token-0123456789');
    await page.getByRole('button', { name: 'Sign in as administrator' }).click();
    await page.getByText('That is not the administrator token').waitFor();
    await page.getByLabel('Administrator token', { exact: true }).fill('test-admin-token-0123456789abcdef');
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    await expect(page.getByText('Bootstrap Administrator').isVisible()).resolves.toBe(true);
  });
});
