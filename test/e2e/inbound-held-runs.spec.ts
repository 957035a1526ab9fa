import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  mailText,
  startSmtpServer,
  startWebhookReceiver,
  verifySignature,
} from '../integration/notify/notify-servers.js';
import { InboundWorld, type RunRecordView } from './inbound-support.js';

const WEBHOOK_SECRET = 'held-run-webhook-secret-0123';

interface HeldRunStatus extends RunRecordView {
  stillDue: number;
}
interface StatusView {
  lastRun: { id: string } | null;
  heldRuns: HeldRunStatus[];
}
interface PendingItem {
  email: string;
  reason: string;
  stillDue: boolean;
  notDueReason: string | null;
}
interface AuditItem {
  actorEmail: string | null;
  action: string;
  target: string;
  at: string;
  oldValue: Record<string, unknown>;
  newValue: Record<string, unknown>;
}

/**
 * Rules 3.6 and 3.2 over several runs: a held run waits for an admin while people come back; a
 * confirm applies only what is still true, and whatever happened before, the next run reactivates
 * a deactivated user who is in a synced group.
 */
describe('inbound sync, held runs across later runs (rules 3.6, 3.2)', () => {
  let w: InboundWorld;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    hook = await startWebhookReceiver();
  });
  afterAll(async () => {
    await smtp.close();
    await hook.close();
  });
  // A tenant of its own per sequence, so that one sequence's held run never leaks into the next.
  beforeEach(async () => {
    w = await InboundWorld.start({
      guardThreshold: 0.1,
      env: { SMTP_URL: smtp.url, NOTIFY_EMAIL_FROM: 'hr-connector@contoso.com' },
    });
    await w.settings({
      notifyEmail: 'hr-admins@contoso.com',
      notifyWebhookUrl: hook.url,
      notifyWebhookSecret: WEBHOOK_SECRET,
    });
  });
  afterEach(async () => w.close());

  const status = () => w.ok<StatusView>('/api/admin/sync/status');
  const pendingOf = async (runId: string) =>
    (await w.ok<{ pending: PendingItem[] }>(`/api/admin/sync/runs/${runId}`)).pending;
  // The decisions on a run (who asked for it, `sync-run.request`, is recorded too, but is not a decision).
  const auditOf = async (runId: string) =>
    (await w.ok<{ items: AuditItem[] }>('/api/admin/audit-log?limit=200')).items.filter(
      (a) => a.target === runId && a.action !== 'sync-run.request',
    );
  const deliveryOf = (runId: string, event: string) =>
    hook.deliveries.find((d) => d.body.includes(runId) && JSON.parse(d.body).event === event);
  // The servers outlive each sequence, so a message is found by its run and its kind.
  const mailOf = (runId: string, kind: RegExp) =>
    smtp.messages.find((m) => mailText(m.raw).includes(runId) && kind.test(mailText(m.raw)));
  const waitFor = async (done: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  };

  /** A synced group of `size` people, synced once. */
  async function team(name: string, size: number) {
    const people = [];
    for (let i = 0; i < size; i += 1) people.push(await w.person(`${name}${i}`, 'Held'));
    const group = await w.group(
      `Held ${name}`,
      people.map((p) => p.id),
    );
    await w.addSyncedGroup(group);
    await w.sync();
    return { people, group };
  }

  it('3.6 + 3.2: the group is emptied (held), refilled and synced, then the old held run is confirmed: nobody is deactivated, and the next run leaves everyone active', async () => {
    const { people, group } = await team('Refill', 8);
    for (const p of people) await w.control.removeMember(group, p.id);

    const held = await w.sync('held');
    expect(await w.run(held.id)).toMatchObject({ status: 'held', pendingDeactivations: 8 });

    for (const p of people) await w.control.addMember(group, p.id);
    const refilled = await w.sync();
    expect(refilled.counts).toMatchObject({ deactivated: 0, reactivated: 0 });

    // The held run is still listed after the later run succeeded, and says that none of its deactivations is due any more.
    const after = await status();
    expect(after.lastRun?.id).toBe(refilled.id);
    expect(after.heldRuns).toEqual([
      expect.objectContaining({ id: held.id, status: 'held', pendingDeactivations: 8, stillDue: 0 }),
    ]);
    expect(await pendingOf(held.id)).toEqual(
      people.map(() =>
        expect.objectContaining({
          stillDue: false,
          notDueReason: expect.stringMatching(/synced group again.*rule 3\.2/),
        }),
      ),
    );

    const confirmed = await w.ok<RunRecordView>(`/api/admin/sync/runs/${held.id}/confirm`, 'POST');
    expect(confirmed).toMatchObject({
      status: 'confirmed',
      pendingDeactivations: 0,
      counts: { deactivated: 0, skipped: 8 },
    });
    for (const p of people) expect(await w.hrUser(p.mail)).toMatchObject({ active: true });
    const skipped = (await w.outcomes(held.id)).filter((o) => o.outcome === 'skipped');
    expect(skipped.map((o) => o.email).sort()).toEqual(people.map((p) => p.mail).sort());
    expect(skipped[0]!.reason).toMatch(/^Not deactivated at confirm: the Entra user is in a synced group again/);
    expect((await status()).heldRuns).toEqual([]);

    const next = await w.sync();
    expect(next.counts).toMatchObject({ deactivated: 0, reactivated: 0 });
    for (const p of people) expect(await w.hrUser(p.mail)).toMatchObject({ active: true });
    expect((await w.api(`/api/admin/sync/runs/${held.id}/confirm`, 'POST')).status).toBe(409);
  });

  it('3.6 confirm after the cause was partly fixed: deactivates those still gone, reports the others; 3.2 brings the rest back at the next run', async () => {
    const { people, group } = await team('Partly', 6);
    for (const p of people) await w.control.removeMember(group, p.id);
    const held = await w.sync('held');
    // The admins learn at once that a run waits for them, with the guard's reason (rule 3.6).
    await waitFor(() => deliveryOf(held.id, 'sync-run.held') !== undefined && mailOf(held.id, /is held/) !== undefined);
    expect(verifySignature(deliveryOf(held.id, 'sync-run.held')!, WEBHOOK_SECRET)).toBe(true);
    expect(JSON.parse(deliveryOf(held.id, 'sync-run.held')!.body)).toMatchObject({
      run: { id: held.id, status: 'held', counts: { deactivated: 0 } },
    });
    const heldMail = mailText(mailOf(held.id, /is held/)!.raw);
    expect(heldMail).toContain(`/api/admin/sync/runs/${held.id}/confirm`);
    expect(heldMail).toMatch(/Why: .*6/);
    const back = people.slice(0, 3);
    const gone = people.slice(3);
    for (const p of back) await w.control.addMember(group, p.id);
    await w.sync();
    expect((await status()).heldRuns).toEqual([
      expect.objectContaining({ id: held.id, pendingDeactivations: 6, stillDue: 3 }),
    ]);

    const confirmed = await w.ok<RunRecordView>(`/api/admin/sync/runs/${held.id}/confirm`, 'POST');
    expect(confirmed).toMatchObject({ status: 'confirmed', counts: { deactivated: 3, skipped: 3 } });
    for (const p of gone)
      expect(await w.hrUser(p.mail)).toMatchObject({ active: false, deactivatedReason: 'left-synced-groups' });
    for (const p of back) expect(await w.hrUser(p.mail)).toMatchObject({ active: true });

    // Who, when, what: the audit log has the decision with the counts before and after.
    const [audit] = await auditOf(held.id);
    expect(audit).toMatchObject({
      action: 'sync-run.confirm',
      actorEmail: 'admin@localhost',
      oldValue: { status: 'held', pendingDeactivations: 6, counts: { deactivated: 0 } },
      newValue: {
        status: 'confirmed',
        pendingDeactivations: 0,
        deactivated: 3,
        notDue: 3,
        counts: { deactivated: 3, skipped: 3 },
      },
    });
    expect(Date.now() - Date.parse(audit!.at)).toBeLessThan(60_000);

    // The run notifier tells the admins, by e-mail and signed webhook.
    await waitFor(
      () => deliveryOf(held.id, 'sync-run.confirmed') !== undefined && mailOf(held.id, /confirmed by/) !== undefined,
    );
    const delivery = deliveryOf(held.id, 'sync-run.confirmed')!;
    expect(verifySignature(delivery, WEBHOOK_SECRET)).toBe(true);
    expect(JSON.parse(delivery.body)).toMatchObject({
      event: 'sync-run.confirmed',
      run: { id: held.id, status: 'confirmed' },
      decision: { by: 'admin@localhost', pendingBefore: 6, deactivated: 3, notDueCount: 3 },
    });
    const mail = mailOf(held.id, /confirmed by/)!;
    expect(mail.to).toEqual(['hr-admins@contoso.com']);
    expect(mailText(mail.raw)).toMatch(/confirmed by admin@localhost/);

    // The next incremental run changes nothing; once the others come back, they are reactivated.
    expect((await w.sync()).counts).toMatchObject({ deactivated: 0, reactivated: 0 });
    for (const p of gone) await w.control.addMember(group, p.id);
    expect((await w.sync()).counts).toMatchObject({ reactivated: 3 });
    for (const p of people) expect(await w.hrUser(p.mail)).toMatchObject({ active: true });
  });

  it('3.2 whatever happened before: a user deactivated by the sync while in a synced group is reactivated at the next incremental run', async () => {
    const { people } = await team('Stale', 2);
    // The state a stale confirm of an earlier version left behind: deactivated, though a member.
    await w.sql(
      `update hr_user set active = false, deactivated_reason = 'left-synced-groups' where lower(email) = lower(?)`,
      [people[0]!.mail],
    );
    const run = await w.sync();
    expect(await w.outcomesOf(run.id, people[0]!.mail)).toEqual([
      expect.objectContaining({ outcome: 'reactivated', reason: 'back-in-synced-group' }),
    ]);
    expect(await w.hrUser(people[0]!.mail)).toMatchObject({ active: true, deactivatedReason: null });
    // Once back, later runs do not look at it again.
    expect(await w.outcomesOf((await w.sync()).id, people[0]!.mail)).toEqual([]);
  });

  it('a held run stays listed after later runs until discarded; the discard deactivates nobody, is audited and notified', async () => {
    const { people, group } = await team('Discard', 5);
    for (const p of people.slice(0, 3)) await w.control.removeMember(group, p.id);
    const held = await w.sync('held');
    const later = await w.sync();
    expect(later.status).toBe('succeeded');
    expect((await status()).heldRuns).toEqual([
      expect.objectContaining({ id: held.id, pendingDeactivations: 3, stillDue: 3 }),
    ]);
    expect((await pendingOf(held.id)).map((p) => p.stillDue)).toEqual([true, true, true]);

    const discarded = await w.ok<RunRecordView>(`/api/admin/sync/runs/${held.id}/discard`, 'POST');
    expect(discarded).toMatchObject({ status: 'discarded', pendingDeactivations: 0, counts: { deactivated: 0 } });
    for (const p of people) expect(await w.hrUser(p.mail)).toMatchObject({ active: true });
    expect((await status()).heldRuns).toEqual([]);
    expect(await auditOf(held.id)).toEqual([
      expect.objectContaining({
        action: 'sync-run.discard',
        actorEmail: 'admin@localhost',
        oldValue: expect.objectContaining({ status: 'held', pendingDeactivations: 3 }),
        newValue: expect.objectContaining({ status: 'discarded', deactivated: 0 }),
      }),
    ]);
    await waitFor(() => deliveryOf(held.id, 'sync-run.discarded') !== undefined);
    expect(JSON.parse(deliveryOf(held.id, 'sync-run.discarded')!.body)).toMatchObject({
      event: 'sync-run.discarded',
      run: { id: held.id },
      decision: { deactivated: 0, pendingBefore: 3 },
    });
    expect((await w.api(`/api/admin/sync/runs/${held.id}/discard`, 'POST')).status).toBe(409);
    // Discarded means "not now": the next run that looks at every user (a full one) decides them again.
    expect((await w.sync('held', 'full')).counts).toMatchObject({ deactivated: 0 });
    for (const p of people.slice(0, 3)) await w.control.addMember(group, p.id);
    expect((await w.sync('succeeded', 'full')).counts).toMatchObject({ deactivated: 0 });
    for (const p of people) expect(await w.hrUser(p.mail)).toMatchObject({ active: true });
  });

  it("a preview says whether the real run would be held, with the guard's numbers", async () => {
    type Preview = {
      wouldBeHeld: boolean;
      guard: { toDeactivate: number; activeUsers: number; threshold: number; text: string | null };
    };
    const { people, group } = await team('Preview', 10);
    await w.control.removeMember(group, people[0]!.id);
    const calm = await w.ok<Preview>('/api/admin/sync/preview', 'POST', {});
    expect(calm).toMatchObject({ wouldBeHeld: false, guard: { toDeactivate: 1, text: null } });

    for (const p of people.slice(1, 4)) await w.control.removeMember(group, p.id);
    const mass = await w.ok<Preview>('/api/admin/sync/preview', 'POST', {});
    expect(mass).toMatchObject({ wouldBeHeld: true, guard: { toDeactivate: 4, activeUsers: 10, threshold: 0.1 } });
    expect(mass.guard.text).toMatch(/would deactivate 4 of 10 active users \(40%, above 10%\).*rule 3\.6/);
    // The real run does what the preview said.
    const held = await w.sync('held');
    expect(await w.run(held.id)).toMatchObject({ pendingDeactivations: 4, error: mass.guard.text });
  });
});
