import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { startSyncHarness, type SyncHarness } from '../support/entra.js';
import { ADMIN_TOKEN } from '../support/service.js';
import { checkPage, ensureWebBuild, openBrowser, tabTo } from './browser-support.js';

interface CalendarStatus {
  runs: Array<{ startedAt: string; status: string }>;
}

/** A UTC wall clock `days` from today at `time`, as Graph's dateTimeTimeZone wants it. */
const at = (days: number, time: string) => ({
  dateTime: `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T${time}:00`,
  timeZone: 'UTC',
});

/**
 * The HR admin's settings and people pages, and an employee's calendars, in Chromium against the
 * real service and the Graph emulator: write-back toggles and permitted fields, calendar sync,
 * SCIM tokens (shown once, listed, revoked), HR users with the fields Entra owns read-only and the
 * reason, employee profiles; then an employee enables a second calendar and sees its events.
 */
describe('settings, people and calendars in the browser', () => {
  let h: SyncHarness;
  let browser: Browser;
  let page: Page;
  let emil: { entraId: string; hrUserId: string };
  let projectsEventSubject: string;

  async function calendarRun(hrUserId: string): Promise<void> {
    const asked = new Date(Date.now() - 5).toISOString();
    const res = await h.service.api(`/api/admin/users/${hrUserId}/calendar/sync`, { method: 'POST' });
    expect(res.status).toBeLessThan(300);
    for (let waited = 0; waited < 60_000; waited += 200) {
      const status = (await (await h.service.api(`/api/admin/users/${hrUserId}/calendar`)).json()) as CalendarStatus;
      const run = status.runs.find((r) => r.startedAt >= asked);
      if (run) {
        expect(run.status).toBe('succeeded');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('no calendar run');
  }

  beforeAll(async () => {
    const webAppDir = await ensureWebBuild();
    h = await startSyncHarness({ emulator: { seed: { users: 12 } }, env: { WEB_APP_DIR: webAppDir } });
    const c = h.emulator.control;
    const staff = (await c.findGroup('All Staff'))!;
    const entraId = (
      await c.createUser({
        displayName: 'Emil Employee',
        givenName: 'Emil',
        surname: 'Employee',
        mail: 'emil.employee@contoso.com',
        userPrincipalName: 'emil.employee@contoso.com',
        accountEnabled: true,
        jobTitle: 'Payroll Clerk',
        department: 'Finance',
        groups: [staff.id],
      })
    ).id;
    await h.service.api('/api/admin/synced-groups', { method: 'PUT', json: { groupIds: [staff.id] } });
    await h.service.api('/api/admin/settings', { method: 'PATCH', json: { calendarSync: true } });
    await h.syncNow();
    const found = (await (await h.service.api('/api/admin/users?search=emil.employee')).json()) as {
      items: Array<{ id: string }>;
    };
    emil = { entraId, hrUserId: found.items[0]!.id };
    // Emil's Outlook: an event in the default calendar and one in a second calendar of his own.
    const projects = await c.calendars.createCalendar(entraId, { name: 'Projects' });
    await c.calendars.createEvent(entraId, null, {
      subject: 'Team stand-up',
      start: at(1, '09:00'),
      end: at(1, '09:15'),
    });
    projectsEventSubject = 'Project kick-off';
    await c.calendars.createEvent(entraId, projects.id, {
      subject: projectsEventSubject,
      start: at(2, '13:00'),
      end: at(2, '14:00'),
    });
    await calendarRun(emil.hrUserId);
    // A person HR added (no Entra link: HR owns every field) and an employee profile.
    await h.service.api('/api/admin/users', {
      method: 'POST',
      json: { email: 'harriet.hr@contoso.com', firstName: 'Harriet', lastName: 'Hronly' },
    });
    const profile = await h.service.api('/api/admin/employee-profiles', {
      method: 'POST',
      json: { email: 'paula.profile@contoso.com', firstName: 'Paula', lastName: 'Profile' },
    });
    expect(profile.status).toBe(201);
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

  /** Waits for `text`; an error shown instead fails the test with its words. */
  async function expectText(text: string): Promise<void> {
    const shown = page.getByText(text).or(page.getByRole('alert')).first();
    await shown.waitFor();
    const alert = page.getByRole('alert');
    if (await alert.count()) throw new Error(`the page shows an error: ${await alert.first().textContent()}`);
  }
  async function open(label: string, title: string): Promise<void> {
    const menu = page.getByRole('button', { name: 'Menu' });
    if (await menu.isVisible()) await menu.click();
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: label, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
  }
  const settings = async () =>
    (await (await h.service.api('/api/admin/settings')).json()) as {
      writeBackUpdate: boolean;
      writeBackFields: string[];
      calendarSync: boolean;
    };

  it('switches write-back on for chosen fields', async () => {
    await open('Settings', 'Settings');
    await expect(page.getByRole('switch', { name: 'Calendar sync' }).isChecked()).resolves.toBe(true);
    await page.getByRole('switch', { name: 'Write changed fields to Entra' }).check();
    await page.getByRole('checkbox', { name: /^Job title/ }).check();
    await page.getByRole('checkbox', { name: /^Department/ }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await expect(page.getByText(/Changed: Write back update, Write back fields/).isVisible()).resolves.toBe(true);
    const stored = await settings();
    expect(stored.writeBackUpdate).toBe(true);
    expect([...stored.writeBackFields].sort()).toEqual(['department', 'jobTitle']);
    await checkPage(page, 'settings');
  }, 120_000);

  it("says the Graph user sync is off while users come from Entra's provisioning service only", async () => {
    await open('Settings', 'Settings');
    const sources = page.getByRole('radiogroup', { name: 'Where HR users come from' });
    await sources.getByRole('radio', { name: /over SCIM only/ }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText('The Graph user sync is off.');
    await expect(
      page.getByText(/userSource is push, so HR users come only from the SCIM pushes/).isVisible(),
    ).resolves.toBe(true);
    expect(((await (await h.service.api('/api/admin/settings')).json()) as { userSource: string }).userSource).toBe(
      'push',
    );
    await checkPage(page, 'settings-push');
    await sources.getByRole('radio', { name: /^The Graph sync/ }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Changed: User source.').waitFor();
    await expect(page.getByText('The Graph user sync is off.').count()).resolves.toBe(0);
  }, 120_000);

  it('creates a SCIM token shown once, lists it, and revokes it', async () => {
    await open('SCIM tokens', 'SCIM tokens');
    await page.getByText('No SCIM token yet.').waitFor();
    await page.getByRole('textbox', { name: 'Token name' }).fill('Entra provisioning');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('Copy the token now: it is shown only this once.').waitFor();
    const token = (await page.getByLabel('New token value').textContent())!.trim();
    expect(token.length).toBeGreaterThan(20);
    const scim = () => h.service.api('/scim/v2/Users?count=1', { token });
    expect((await scim()).status).toBe(200);
    const row = page.getByRole('table', { name: 'SCIM tokens' }).getByRole('row', { name: /Entra provisioning/ });
    await expect(row.textContent()).resolves.toContain('Active');
    await checkPage(page, 'scim-tokens');
    // Shown once: after a reload the page has the list, never the token.
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(token);

    await row.getByRole('button', { name: 'Revoke Entra provisioning' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('table', { name: 'SCIM tokens' }).getByRole('cell', { name: 'Revoked' }).waitFor();
    expect((await scim()).status).toBe(401);
  }, 120_000);

  it('shows the fields Entra owns read-only with the reason, and saves an HR-owned field', async () => {
    await open('HR users', 'HR users');
    await page.getByRole('textbox', { name: 'E-mail or name' }).fill('emil');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'emil.employee@contoso.com' }).click();
    await page.getByRole('heading', { level: 1, name: 'Emil Employee' }).waitFor();
    const jobTitle = page.getByRole('textbox', { name: /^Job title/ });
    await expect(jobTitle.inputValue()).resolves.toBe('Payroll Clerk');
    await expect(jobTitle.getAttribute('readonly')).resolves.not.toBeNull();
    await page
      .getByText(/Microsoft Entra owns this field/)
      .first()
      .waitFor();
    await checkPage(page, 'hr-user-entra');

    await open('HR users', 'HR users');
    await page.getByRole('textbox', { name: 'E-mail or name' }).fill('harriet');
    await page.getByRole('button', { name: 'Search' }).click();
    await checkPage(page, 'hr-users');
    // The backup export downloads with the session.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'HR users (CSV)' }).click(),
    ]);
    expect(readFileSync((await download.path())!, 'utf8')).toContain('emil.employee@contoso.com');
    await page.getByRole('link', { name: 'harriet.hr@contoso.com' }).click();
    await page.getByRole('heading', { level: 1, name: 'Harriet Hronly' }).waitFor();
    const title = page.getByRole('textbox', { name: /^Job title/ });
    await expect(title.getAttribute('readonly')).resolves.toBeNull();
    await title.fill('Recruiter');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectText('Changed: Job title.');
  }, 120_000);

  it('lists employee profiles', async () => {
    await open('Employee profiles', 'Employee profiles');
    await page
      .getByRole('table', { name: 'Employee profiles' })
      .getByRole('row', { name: /Paula Profile/ })
      .waitFor();
    await checkPage(page, 'employee-profiles');
  }, 120_000);

  it("shows write-back's outbox: what HR sent to Entra", async () => {
    // Emil is linked to Entra; with HR owning his job title, HR's change of it goes to Entra (rule 4.1).
    await h.service.api('/api/admin/settings', { method: 'PATCH', json: { fieldOwners: { jobTitle: 'hr' } } });
    const edited = await h.service.api(`/api/admin/users/${emil.hrUserId}`, {
      method: 'PATCH',
      json: { jobTitle: 'Payroll Lead' },
    });
    expect(edited.status).toBe(200);
    await open('Write-back outbox', 'Write-back outbox');
    const row = page
      .getByRole('table', { name: 'Write-back changes' })
      .getByRole('row', { name: /emil\.employee@contoso\.com/ });
    for (let waited = 0; waited < 30_000; waited += 500) {
      if ((await row.count()) > 0 && (await row.first().textContent())?.includes('Sent')) break;
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForTimeout(500);
    }
    await expect(row.first().textContent()).resolves.toMatch(/Change fields: Job title\s*Sent/);
    expect((await h.emulator.control.getUser(emil.entraId))!.props['jobTitle']).toBe('Payroll Lead');
    await checkPage(page, 'write-back-outbox');
  }, 120_000);

  it('lets an employee enable a second calendar and see its events', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in with Microsoft' }).click();
    await page.getByLabel('Search people').fill('Emil Employee');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /Emil Employee/ }).click();
    await page.getByRole('heading', { level: 1, name: 'My profile' }).waitFor();
    await open('My calendars', 'My calendars');
    const calendars = page.getByRole('table', { name: 'My calendars' });
    await expect(calendars.getByRole('row', { name: /Default/ }).textContent()).resolves.toContain('Always on');
    await page
      .getByRole('table', { name: 'My events' })
      .getByRole('row', { name: /Team stand-up/ })
      .waitFor();
    expect(await page.getByText(projectsEventSubject).count()).toBe(0);

    // The switch follows the service: it turns on once the service has the change.
    await page.getByRole('switch', { name: 'Projects in HR' }).click();
    await page.getByText('Projects is on').waitFor();
    await expect(page.getByRole('switch', { name: 'Projects in HR' }).isChecked()).resolves.toBe(true);
    await calendarRun(emil.hrUserId);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page
      .getByRole('table', { name: 'My events' })
      .getByRole('row', { name: /Project kick-off/ })
      .waitFor();
    await checkPage(page, 'my-calendars');
  }, 120_000);

  it('lets the employee create an HR event that reaches the Outlook calendar, and delete it', async () => {
    await page.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Training' });
    await page.getByRole('textbox', { name: 'Subject' }).fill('First-aid course');
    await page.getByRole('button', { name: 'Add event' }).click();
    await page.getByText('First-aid course is in HR').waitFor();
    const row = page.getByRole('table', { name: 'My events' }).getByRole('row', { name: /First-aid course/ });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('HR, Training');
    // Rule 6.7: the event reaches the employee's default calendar in Outlook.
    const inOutlook = async () =>
      (await h.emulator.control.calendars.listEvents(emil.entraId, null)).some((e) => e.subject === 'First-aid course');
    for (let waited = 0; waited < 30_000 && !(await inOutlook()); waited += 200)
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await inOutlook()).toBe(true);
    await checkPage(page, 'my-calendars-hr-event');

    // Changed in HR: the new subject and time reach Outlook too (rule 6.7).
    await row.getByRole('button', { name: 'Change First-aid course' }).click();
    const editor = page.getByRole('form', { name: 'Change First-aid course' });
    await editor.getByRole('textbox', { name: 'Subject' }).fill('First-aid refresher');
    await editor.getByLabel('From').fill('14:00');
    await editor.getByLabel('Until').fill('15:30');
    await editor.getByRole('button', { name: 'Save the event' }).click();
    await page.getByText('First-aid refresher is changed in HR').waitFor();
    const changed = page.getByRole('table', { name: 'My events' }).getByRole('row', { name: /First-aid refresher/ });
    await changed.waitFor();
    const renamedInOutlook = async () =>
      (await h.emulator.control.calendars.listEvents(emil.entraId, null)).some(
        (e) => e.subject === 'First-aid refresher',
      );
    for (let waited = 0; waited < 30_000 && !(await renamedInOutlook()); waited += 200)
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await renamedInOutlook()).toBe(true);

    // The week and the month show it on its day.
    await page.getByRole('combobox', { name: 'Show' }).selectOption({ label: 'Week' });
    await page
      .getByRole('table', { name: /^Week of / })
      .getByText('First-aid refresher')
      .waitFor();
    await page.getByRole('combobox', { name: 'Show' }).selectOption({ label: 'Month' });
    const month = page.getByRole('table', { name: /\d{4}$/ });
    // The month's six weeks include tomorrow, even when tomorrow is in the next month.
    await month.getByText('First-aid refresher').waitFor();
    await checkPage(page, 'my-calendars-month');
    await page.getByRole('combobox', { name: 'Show' }).selectOption({ label: 'List of two weeks' });

    await changed.getByRole('button', { name: 'Delete First-aid refresher' }).click();
    await changed.or(page.getByRole('alert')).first().waitFor({ state: 'detached' });
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
  }, 120_000);

  it('gives the employee an .ics feed address, makes a new one that ends the old, and revokes it, with the keyboard', async () => {
    const address = page.getByRole('textbox', { name: 'Your feed address (shown once)' });
    await tabTo(page, 'Make a feed address', 300);
    await page.keyboard.press('Enter');
    await address.waitFor();
    const first = await address.inputValue();
    const feed = await fetch(first);
    expect([feed.status, (await feed.text()).startsWith('BEGIN:VCALENDAR')]).toEqual([200, true]);
    await checkPage(page, 'my-calendar-feed');

    await page.getByRole('button', { name: 'Make a new address' }).press('Enter');
    let second = first;
    for (let waited = 0; waited < 10_000 && second === first; waited += 100) {
      await page.waitForTimeout(100);
      second = await address.inputValue();
    }
    expect(second).not.toBe(first);
    expect([(await fetch(first)).status, (await fetch(second)).status]).toEqual([404, 200]);

    // Revoking asks first; accepted, the address stops working and the page offers a new one.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Revoke' }).press('Enter');
    await page.getByRole('button', { name: 'Make a feed address' }).waitFor();
    expect(await address.count()).toBe(0);
    expect((await fetch(second)).status).toBe(404);
  }, 120_000);
});
