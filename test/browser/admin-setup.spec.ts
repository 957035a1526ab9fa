import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { generate } from 'selfsigned';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { ADMIN_TOKEN, startTestService, type TestService } from '../support/service.js';
import { checkPage, ensureWebBuild, openBrowser } from './browser-support.js';

const CLIENT_ID = '3f1d2c4b-8a7e-4d21-9b0c-5e6f7a8b9c0d';
/** The same app registration's second credential: a certificate (the emulator knows the two as one client). */
const CERT_CLIENT_ID = '7b2e9d10-4c3f-4e8a-a1b2-c3d4e5f60718';
const SECRET = 'Browser~S3cret.4711-admin-setup';
interface RunCounts {
  counts: Record<'created' | 'updated' | 'deactivated' | 'reactivated' | 'skipped' | 'failed', number>;
}

const BASE_ROLES = ['User.Read.All', 'GroupMember.Read.All'];

/**
 * An HR admin's first set-up in Chromium, against the real service and the Graph emulator: sign in
 * with the administrator token, connect the tenant (the secret never comes back), test the
 * connection and see a missing permission, choose a synced group, map a group to a role and see a
 * protected role refused, sync now and watch the progress, see the run in the history, and confirm
 * a held run after seeing who would be deactivated.
 */
describe('HR admin set-up in the browser', () => {
  let emulator: RunningEmulator;
  let service: TestService;
  let browser: Browser;
  let page: Page;
  let staffCount: number;
  let shownMembers: number;
  let pems: { private: string; cert: string };

  beforeAll(async () => {
    const webAppDir = await ensureWebBuild();
    pems = await generate([{ name: 'commonName', value: 'hr-connector' }], { keySize: 2048, algorithm: 'sha256' });
    emulator = await startEmulator({
      quota: false,
      seed: { users: 30 },
      clients: [
        { clientId: CLIENT_ID, clientSecret: SECRET, roles: BASE_ROLES },
        {
          clientId: CERT_CLIENT_ID,
          certificateThumbprintSha256: new X509Certificate(pems.cert).fingerprint256.replace(/:/g, ''),
          certificatePem: pems.cert,
          roles: [...BASE_ROLES, 'Group.Read.All'],
        },
      ],
    });
    const caFile = join(tmpdir(), `ehc-admin-setup-ca-${process.pid}.pem`);
    writeFileSync(caFile, emulator.caCertPem);
    // No tenant configured: the admin connects one on the Connection page. The emulator's hosts are
    // trusted by configuration, as a national cloud's would be.
    service = await startTestService({
      env: {
        WEB_APP_DIR: webAppDir,
        GRAPH_AUTHORITY_HOST: emulator.url,
        GRAPH_BASE_URL: emulator.url,
        GRAPH_CA_CERT_FILE: caFile,
        ENCRYPTION_KEY: 'cd'.repeat(32),
      },
    });
    const staff = (await emulator.control.findGroup('All Staff'))!;
    staffCount = staff.members;
    ({ browser, page } = await openBrowser());
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await emulator?.close();
  });

  /** Waits until the table has `count` rows (its header row included); fails with the count it saw. */
  async function rowsToBe(table: string, count: number): Promise<void> {
    const rows = page.getByRole('table', { name: table }).getByRole('row');
    for (let waited = 0; waited < 10_000 && (await rows.count()) !== count; waited += 100)
      await page.waitForTimeout(100);
    expect({ table, rows: await rows.count() }).toEqual({ table, rows: count });
  }
  const heading = () => page.getByRole('heading', { level: 1 }).textContent();
  async function open(label: string, title: string): Promise<void> {
    if (await page.getByRole('button', { name: 'Menu' }).isVisible())
      await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: label }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
  }

  it('signs the bootstrap administrator in; the Sync page says to connect a tenant first', async () => {
    await page.goto(service.url);
    await page.getByLabel('Administrator token', { exact: true }).fill(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    await expect(heading()).resolves.toBe('Sync');
    await page.getByText('No tenant is connected.').waitFor();
    await expect(page.getByRole('button', { name: 'Sync now' }).isDisabled()).resolves.toBe(true);

    // The schedule: every hour instead of every 30 minutes, saved and shown as the service has it.
    await page.getByText('On, every 30 minutes').waitFor();
    await page.getByRole('combobox', { name: 'Every' }).selectOption('1 hour');
    await page.getByRole('button', { name: 'Save the schedule' }).click();
    await page.getByText('The schedule is saved.').waitFor();
    await page.getByText('On, every 1 hour').waitFor();
    const stored = (await (await service.api('/api/admin/settings')).json()) as { syncInterval: string };
    expect(stored.syncInterval).toBe('1 hour');
  }, 120_000);

  it('connects the tenant; the secret is never shown back; the test names the missing permission', async () => {
    await open('Connection', 'Connection');
    // A wrong client id is explained in words, field by field.
    await page.getByRole('textbox', { name: 'Tenant ID' }).fill(emulator.tenantId);
    await page.getByRole('textbox', { name: 'Application (client) ID' }).fill('not-a-guid');
    await page.getByRole('textbox', { name: 'Client secret' }).fill(SECRET);
    await page.getByText('National cloud or other hosts').click();
    await page.getByRole('textbox', { name: 'Sign-in host' }).fill(emulator.url);
    await page.getByRole('textbox', { name: 'Microsoft Graph host' }).fill(emulator.url);
    await page.getByRole('button', { name: 'Save and connect' }).click();
    await page.getByText(/Some values are not valid: client id: the application \(client\) ID/).waitFor();

    await page.getByRole('textbox', { name: 'Application (client) ID' }).fill(CLIENT_ID);
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await page.getByRole('textbox', { name: 'Secret expiry date' }).fill(soon);
    await page.getByRole('button', { name: 'Save and connect' }).click();
    await page.getByText('Connected.', { exact: true }).waitFor();
    await expect(page.getByRole('textbox', { name: 'Client secret' }).inputValue()).resolves.toBe('');
    await page.getByText('Renew the client secret.').waitFor();
    await expect(page.getByText(`The client secret expires on ${soon}, in 10 days.`).isVisible()).resolves.toBe(true);
    expect(await page.content()).not.toContain(SECRET);

    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('The connection does not work fully.').waitFor();
    const groupRead = page.getByRole('row', { name: /Group\.Read\.All/ });
    await expect(groupRead.textContent()).resolves.toContain('Missing: grant it and give admin consent');
    await expect(page.getByRole('row', { name: /User\.Read\.All/ }).textContent()).resolves.toContain('Granted');
    await checkPage(page, 'connection');

    // Consent granted in Entra: the test passes.
    await emulator.control.setClientRoles(CLIENT_ID, [...BASE_ROLES, 'Group.Read.All']);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('The connection works.').waitFor();
    expect(await page.content()).not.toContain(SECRET);
  }, 120_000);

  it('connects with a certificate instead: the thumbprint as Entra shows it, the key never shown back', async () => {
    await page.getByRole('textbox', { name: 'Application (client) ID' }).fill(CERT_CLIENT_ID);
    await page.getByRole('radio', { name: 'A certificate' }).check();
    await page.getByLabel('Certificate', { exact: true }).setInputFiles({
      name: 'hr-connector.pem',
      mimeType: 'application/x-pem-file',
      buffer: Buffer.from(pems.cert),
    });
    const sha1 = new X509Certificate(pems.cert).fingerprint.replace(/:/g, '');
    await page.getByText(sha1).waitFor();
    await page.getByLabel('Private key', { exact: true }).setInputFiles({
      name: 'hr-connector.key',
      mimeType: 'application/x-pem-file',
      buffer: Buffer.from(pems.private),
    });
    await page.getByRole('button', { name: 'Save and connect' }).click();
    await page.getByText('Connected.', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('The connection works.').waitFor();
    const stored = (await (await service.api('/api/admin/connection')).json()) as {
      clientId: string;
      credentialKind: string;
    };
    expect(stored).toMatchObject({ clientId: CERT_CLIENT_ID, credentialKind: 'certificate' });
    // The files left the page with the save: saving again keeps the stored certificate.
    await expect(page.getByText(sha1).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Save and connect' }).isEnabled()).resolves.toBe(true);
    expect(await page.content()).not.toContain(pems.private.split('\n')[1]!);
    await checkPage(page, 'connection-certificate');
  }, 120_000);

  it('finds a group in the tenant with its member count and syncs it', async () => {
    await open('Groups and roles', 'Groups and roles');
    await page.getByText('No group is synced yet').waitFor();
    await page.getByRole('textbox', { name: 'Group name' }).fill('Staff');
    await page.getByRole('button', { name: 'Search groups' }).click();
    const row = page.getByRole('table', { name: 'Groups found' }).getByRole('row', { name: /All Staff/ });
    await row.waitFor();
    // The members column: the users Graph counts in the group now, nested groups followed (All Staff holds
    // department groups); the sync below takes exactly these.
    const [, , members] = await row.getByRole('cell').allTextContents();
    shownMembers = Number(members);
    expect(shownMembers).toBeGreaterThan(staffCount);
    await row.getByRole('button', { name: 'Sync All Staff' }).click();
    const synced = page.getByRole('table', { name: 'Synced groups' }).getByRole('row', { name: /All Staff/ });
    await synced.waitFor();
    await expect(row.textContent()).resolves.toContain('Synced');
  }, 120_000);

  it('maps a group to a role; a protected role is shown locked and refused with the reason', async () => {
    await expect(
      page
        .getByRole('row', { name: /Administrator/ })
        .first()
        .textContent(),
    ).resolves.toContain('Locked: Administrator roles are protected');
    await page.getByRole('textbox', { name: 'New role name' }).fill('Staff member');
    await page.getByRole('button', { name: 'Create role' }).click();
    await page
      .getByRole('table', { name: 'Roles' })
      .getByRole('row', { name: /Staff member/ })
      .waitFor();

    await page.getByRole('combobox', { name: 'Group', exact: true }).selectOption({ label: 'All Staff' });
    await page
      .getByRole('combobox', { name: 'Role', exact: true })
      .selectOption({ label: 'Administrator (protected)' });
    await page.getByText('Administrator is protected.').waitFor();
    await page.getByRole('button', { name: 'Map group to role' }).click();
    await page.getByRole('alert').filter({ hasText: 'it is a protected (administrator) role' }).waitFor();
    await expect(page.getByRole('alert').last().textContent()).resolves.toContain('Correct what is named here');
    await checkPage(page, 'groups-and-roles');

    await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption({ label: 'Staff member' });
    await page.getByRole('button', { name: 'Map group to role' }).click();
    await page.getByText('All Staff now gives the role Staff member.').waitFor();
    await page
      .getByRole('table', { name: 'Mappings' })
      .getByRole('row', { name: /All Staff.*Staff member/ })
      .waitFor();
  }, 120_000);

  it('syncs now with a live progress bar, then shows the run in the history and its people', async () => {
    // Graph answers slowly, so the run can be watched.
    await emulator.control.setLatency(20);
    await open('Sync', 'Sync');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('progressbar').waitFor();
    await checkPage(page, 'sync-running');
    await page.getByText('The sync has finished.').waitFor({ timeout: 60_000 });
    await emulator.control.setLatency(0);
    const [run] = ((await (await service.api('/api/admin/sync/runs?limit=1')).json()) as { items: RunCounts[] }).items;
    expect(run!.counts.created).toBeGreaterThanOrEqual(staffCount);
    // Every user the group page counted is in the run: created, or skipped with the reason.
    expect(run!.counts.created + run!.counts.skipped + run!.counts.failed).toBe(shownMembers);
    await expect(page.getByText(`Succeeded: ${run!.counts.created} created`).isVisible()).resolves.toBe(true);
    // The chart of created, updated, deactivated and failed per run names its total.
    const changes = run!.counts.created + run!.counts.updated + run!.counts.deactivated + run!.counts.failed;
    await page.getByRole('img', { name: new RegExp(`^Changes of the last run: ${changes} in all`) }).waitFor();
    const history = page.getByRole('table', { name: 'Sync history' });
    await expect(history.getByRole('row').nth(1).textContent()).resolves.toMatch(
      new RegExp(`Sync now.*Succeeded${run!.counts.created}0`),
    );
    await checkPage(page, 'sync');

    await history.getByRole('row').nth(1).getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Sync run' }).waitFor();
    // One row per outcome: created, and skipped (people the run could not take, with the reason).
    const outcomes = Object.values(run!.counts).reduce((a, b) => a + b, 0);
    await rowsToBe('Outcomes', outcomes + 1);
    const created = page.getByRole('table', { name: 'Outcomes' }).getByRole('row').filter({ hasText: 'Created' });
    const first = (await created.first().textContent())!;
    const email = /^[^\s@]+@[a-z0-9.-]+?\.com/.exec(first)![0];
    await page.getByRole('combobox', { name: 'Outcome' }).selectOption({ label: 'Updated' });
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('Nobody matches.').waitFor();
    await page.getByRole('combobox', { name: 'Outcome' }).selectOption({ label: 'Created' });
    await page.getByRole('textbox', { name: 'E-mail contains' }).fill(email.toUpperCase());
    await page.getByRole('button', { name: 'Filter' }).click();
    await rowsToBe('Outcomes', 2);
    await checkPage(page, 'sync-run');
  }, 240_000);

  it('shows a held run with who would be deactivated, and confirms it', async () => {
    await service.api('/api/admin/settings', { method: 'PATCH', json: { guardThreshold: 0.1 } });
    const members = (await (await service.api('/api/admin/users?limit=100')).json()) as {
      items: Array<{ entraId: string | null; email: string }>;
    };
    // Six people are disabled in Entra: the run would deactivate them, which is above the threshold.
    const leaving = members.items
      .filter((m): m is { entraId: string; email: string } => m.entraId !== null)
      .slice(0, 6);
    for (const m of leaving) await emulator.control.disableUser(m.entraId);
    expect(leaving).toHaveLength(6);
    await open('Sync', 'Sync');
    // The preview says so before anything changes.
    await page.getByRole('button', { name: 'Preview the next run' }).click();
    await page.getByText('The next run would change, without applying it:').waitFor({ timeout: 60_000 });
    await expect(page.getByText(/6 deactivated.*It would be held for your confirmation/).isVisible()).resolves.toBe(
      true,
    );
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByText('A run waits for your decision.').waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: /6 to deactivate, 6 still due/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Sync run' }).waitFor();
    const pending = page.getByRole('table', { name: 'Who would be deactivated' });
    await pending.waitFor();
    for (const m of leaving) await pending.getByRole('row', { name: new RegExp(m.email) }).waitFor();
    await checkPage(page, 'sync-run-held');
    await page.getByRole('button', { name: 'Confirm deactivations' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
    await page.getByText('Confirmed: 6 deactivated').waitFor();
    const { items } = (await (await service.api('/api/admin/users?active=false')).json()) as {
      items: Array<{ email: string }>;
    };
    expect(items.map((u) => u.email).sort()).toEqual(leaving.map((m) => m.email).sort());
  }, 120_000);
});
