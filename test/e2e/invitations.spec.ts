import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSyncHarness, type SyncHarness } from '../support/entra.js';
import { signInAs } from '../support/web-sign-in.js';
import { mailText, startSmtpServer } from '../integration/notify/notify-servers.js';

interface Invitation {
  hrUserId: string;
  email: string;
  status: string;
  sendCount: number;
  sentAt: string | null;
  lastError: string | null;
  signedInAt: string | null;
  requestedBy: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Rule 8.4 through the admin API, a real SMTP server on loopback and the emulator's sign-in: off until
 * the organisation launches; then every HR user created from then on, and any the admin picks, gets
 * one e-mail whose link signs them in; the admin sees it sent and the sign-in, and can send it again.
 */
describe('invitations to sign in (rule 8.4)', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let h: SyncHarness;
  let staffId: string;
  const env = () => ({ SMTP_URL: smtp.url, NOTIFY_EMAIL_FROM: 'hr@contoso.com', INVITATION_SEND_INTERVAL: '1 second' });

  const mailsTo = (address: string) => smtp.messages.filter((m) => m.to.includes(address));
  const invitations = async (query = ''): Promise<Invitation[]> =>
    ((await (await h.service.api(`/api/admin/invitations${query}`)).json()) as { items: Invitation[] }).items;
  const invitationOf = async (hrUserId: string) => (await invitations()).find((i) => i.hrUserId === hrUserId);
  const hrUserId = async (email: string): Promise<string> =>
    (
      (await (await h.service.api(`/api/admin/users?search=${encodeURIComponent(email)}`)).json()) as {
        items: Array<{ id: string }>;
      }
    ).items[0]!.id;
  const invite = (hrUserIds: unknown) =>
    h.service.api('/api/admin/invitations', { method: 'POST', json: { hrUserIds } });
  async function until(what: string, check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
    for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(100)) if (await check()) return;
    throw new Error(`timed out waiting until ${what}`);
  }
  async function newStaffMember(name: string): Promise<{ entraId: string; email: string }> {
    const email = `${name.toLowerCase()}@contoso.com`;
    const user = await h.emulator.control.createUser({
      displayName: `${name} Newcomer`,
      givenName: name,
      surname: 'Newcomer',
      mail: email,
      userPrincipalName: email,
      accountEnabled: true,
      groups: [staffId],
    });
    return { entraId: user.id, email };
  }

  beforeAll(async () => {
    smtp = await startSmtpServer();
    h = await startSyncHarness({ emulator: { seed: { users: 5 } }, env: env() });
    staffId = (await h.emulator.control.findGroup('All Staff'))!.id;
    await h.service.api('/api/admin/synced-groups', { method: 'PUT', json: { groupIds: [staffId] } });
  });

  afterAll(async () => {
    await h?.close();
    await smtp?.close();
  });

  it('invites nobody while the setting is off, and refuses an admin pick with the reason', async () => {
    const run = await h.syncNow();
    expect(run.counts.created).toBeGreaterThan(0);
    const someone = await hrUserId('@contoso.com');
    const refused = await invite([someone]);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/Invitations are off/);
    await sleep(2500);
    expect(await invitations()).toEqual([]);
    expect(smtp.messages).toEqual([]);
  });

  it('once on, invites each user created from then on once, with a link that signs them in', async () => {
    const patched = await h.service.api('/api/admin/settings', { method: 'PATCH', json: { invitations: true } });
    const warnings = ((await patched.json()) as { warnings: Array<{ setting: string }> }).warnings;
    expect(warnings.map((w) => w.setting)).not.toContain('invitations');
    const nina = await newStaffMember('Nina');
    await h.syncNow();
    await until('the invitation reaches the mail server', () => mailsTo(nina.email).length > 0);
    const ninaId = await hrUserId(nina.email);

    const [mail] = mailsTo(nina.email);
    expect(mail!.from).toBe('hr@contoso.com');
    const text = mailText(mail!.raw);
    expect(text).toContain('Hello Nina Newcomer,');
    expect(text).toContain(`${h.service.url}/`);
    // Only the newcomer: the users created before the switch went on get nothing.
    expect(smtp.messages).toHaveLength(1);
    await until('the admin sees it sent', async () => (await invitationOf(ninaId))?.status === 'sent');
    expect(await invitationOf(ninaId)).toMatchObject({
      email: nina.email,
      sendCount: 1,
      requestedBy: null,
      lastError: null,
      signedInAt: null,
    });

    // Following the link: "Sign in with Microsoft" as Nina; the admin sees she signed in.
    const landing = await fetch(`${h.service.url}/`);
    expect(landing.status).toBe(200);
    const { session } = await signInAs(h.service.url, nina.entraId);
    expect(session).not.toBeNull();
    expect((await invitationOf(ninaId))!.signedInAt).not.toBeNull();

    // Later sweeps and later runs send nothing again.
    await h.syncNow();
    await sleep(2500);
    expect(mailsTo(nina.email)).toHaveLength(1);
    expect(await invitations('?status=sent')).toHaveLength(1);
  });

  it('sends an invitation to users the admin picks, and again when asked; refuses who cannot sign in', async () => {
    // A user created before invitations were switched on.
    const users = (
      (await (await h.service.api('/api/admin/users')).json()) as {
        items: Array<{ id: string; email: string; active: boolean }>;
      }
    ).items;
    const early = users.find((u) => u.active && !u.email.startsWith('nina') && mailsTo(u.email).length === 0)!;
    const earlyId = early.id;
    const answer = await invite([earlyId, earlyId]);
    expect(answer.status).toBe(202);
    expect(await answer.json()).toEqual({ requested: [earlyId], refused: [] });
    await until('the picked user is mailed', () => mailsTo(early.email).length === 1);
    await until('sent', async () => (await invitationOf(earlyId))?.status === 'sent');
    expect((await invitationOf(earlyId))!.requestedBy).not.toBeNull();

    expect((await invite([earlyId])).status).toBe(202);
    await until('the second e-mail', () => mailsTo(early.email).length === 2);
    await until('counted twice', async () => (await invitationOf(earlyId))?.sendCount === 2);

    // A leaver is deactivated by the next run, and cannot be invited; nor can an unknown id.
    const leaver = await newStaffMember('Lars');
    await h.syncNow();
    await until('the leaver is invited as a newcomer', () => mailsTo(leaver.email).length === 1);
    await h.emulator.control.removeMember(staffId, leaver.entraId);
    await h.syncNow();
    const leaverId = await hrUserId(leaver.email);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await (await invite([leaverId, unknown])).json()).toEqual({
      requested: [],
      refused: [
        { hrUserId: leaverId, reason: 'inactive' },
        { hrUserId: unknown, reason: 'not-found' },
      ],
    });

    // Bad input: a clear error, nothing changes.
    const before = await invitations();
    for (const bad of [['not-a-uuid'], [], 'x', Array(501).fill(earlyId)]) {
      const res = await invite(bad);
      expect(res.status).toBe(400);
    }
    expect((await h.service.api('/api/admin/invitations?status=maybe')).status).toBe(400);
    expect((await h.service.api('/api/admin/invitations?after=garbage')).status).toBe(400);
    expect(await invitations()).toEqual(before);
  });

  it('shows what a refusing mail server said, and sends once the server is fixed', async () => {
    const refusing = await startSmtpServer({ refuse: true });
    try {
      await h.restart({ SMTP_URL: refusing.url });
      const olga = await newStaffMember('Olga');
      await h.syncNow();
      const olgaId = await hrUserId(olga.email);
      await until('it failed', async () => (await invitationOf(olgaId))?.status === 'failed');
      const failed = (await invitationOf(olgaId))!;
      expect(failed.lastError).toMatch(/550/);
      expect(failed.sendCount).toBe(0);
      // A failed invitation is not retried on its own: the admin decides.
      await sleep(2500);
      expect((await invitationOf(olgaId))!.status).toBe('failed');

      await h.restart(env());
      expect((await invite([olgaId])).status).toBe(202);
      await until('the fixed server has it', () => mailsTo(olga.email).length === 1);
      await until('sent', async () => (await invitationOf(olgaId))?.status === 'sent');
      expect(await invitationOf(olgaId)).toMatchObject({ sendCount: 1, lastError: null });
    } finally {
      await refusing.close();
    }
  });

  it('keeps invitations waiting, and says why, when no mail server is configured', async () => {
    await h.restart({ ...env(), SMTP_URL: '' });
    const settings = (await (await h.service.api('/api/admin/settings')).json()) as {
      warnings: Array<{ setting: string; code: string }>;
    };
    expect(settings.warnings).toContainEqual(
      expect.objectContaining({ setting: 'invitations', code: 'smtp-not-configured' }),
    );
    const pia = await newStaffMember('Pia');
    await h.syncNow();
    const piaId = await hrUserId(pia.email);
    await until('it is due', async () => (await invitationOf(piaId))?.status === 'pending');
    await sleep(2500);
    expect((await invitationOf(piaId))!.status).toBe('pending');

    // With a mail server again, the one that waited goes out.
    await h.restart(env());
    await until('it went out', () => mailsTo(pia.email).length === 1);
  });
});
