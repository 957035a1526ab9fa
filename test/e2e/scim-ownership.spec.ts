/*
 * Which source owns users (docs/rules.md 7.5): one setting, userSource, so the Graph sync and
 * Entra's provisioning service never fight over a user. 'pull' is covered in scim-protocol.spec.ts
 * (SCIM reads, refuses writes); here 'push' and 'both', with the emulator as Entra for the pull.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InboundWorld } from './inbound-support.js';
import { entraUser, patchOp, ScimWorld, type ScimAnswer } from './scim-support.js';

interface ScimUser {
  id: string;
  userName: string;
  title?: string;
  active: boolean;
}

/** The inbound world plus a SCIM token of its administrator. */
async function withScim(w: InboundWorld) {
  const { userId } = await w.ok<{ userId: string }>('/api/me');
  const { token } = await w.ok<{ token: string }>(`/api/admin/users/${userId}/tokens`, 'POST', {
    name: 'Entra provisioning',
    scope: 'scim',
  });
  return async <T = ScimUser>(method: string, path: string, body?: unknown): Promise<ScimAnswer<T>> => {
    const res = await w.h.service.api(`/scim/v2${path}`, {
      method,
      token,
      ...(body === undefined
        ? {}
        : { headers: { 'Content-Type': 'application/scim+json' }, body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
  };
}

describe("userSource 'push': SCIM owns users, the Graph sync does not run", () => {
  let w: InboundWorld;
  let scim: Awaited<ReturnType<typeof withScim>>;
  let ann: { id: string; mail: string };
  beforeAll(async () => {
    w = await InboundWorld.start();
    scim = await withScim(w);
  });
  afterAll(async () => w?.close());

  it('refuses sync now, a preview and a one-user sync with 409 naming the setting; pushed users stay as pushed', async () => {
    // Entra has Ann in a synced group; the provisioning service pushes Bob, who is in no synced group.
    ann = await w.person('Ann', 'Pulled');
    await w.addSyncedGroup(await w.group('Push only', [ann.id]));
    type Warned = { warnings: Array<{ setting: string; code: string; message: string }> };
    const changed = await w.ok<Warned>('/api/admin/settings', 'PATCH', {
      userSource: 'push',
      neverSyncedPolicy: 'deactivate',
    });
    // The admin is told, in the answer and whenever the settings are read, that the Graph sync is off and why.
    for (const { warnings } of [changed, await w.ok<Warned>('/api/admin/settings')])
      expect(warnings).toEqual([
        {
          setting: 'userSource',
          code: 'pull-off',
          message: expect.stringMatching(/^The Graph user sync is off: userSource is push/),
        },
      ]);
    const bob = await scim('POST', '/Users', entraUser('bob.pushed@contoso.com'));
    expect(bob.status).toBe(201);

    for (const [path, json] of [
      ['/api/admin/sync/run', { mode: 'full' }],
      ['/api/admin/sync/preview', { mode: 'full' }],
      [`/api/admin/sync/users/${ann.id}`, undefined],
    ] as const) {
      const res = await w.api<{ status: number; detail: string }>(path, 'POST', json);
      expect([res.status, res.body.detail]).toEqual([409, expect.stringContaining('userSource = push')]);
    }
    const runs = await w.ok<{ items: Array<{ trigger: string }> }>('/api/admin/sync/runs');
    expect(runs.items.map((r) => r.trigger)).toEqual(['scim']);
    // The pull created nobody and deactivated nobody: Ann is not in HR, Bob is active as pushed.
    expect(await w.hrUsersWith(ann.mail)).toEqual([]);
    expect(await w.hrUser('bob.pushed@contoso.com')).toMatchObject({ active: true, origin: 'scim', entraId: null });

    // SCIM writes, including the deactivation Entra sends for an unassigned user (rule 7.3).
    const off = await scim(
      'PATCH',
      `/Users/${bob.body.id}`,
      patchOp({ op: 'Replace', path: 'active', value: 'False' }),
    );
    expect([off.status, off.body.active]).toEqual([200, false]);
    expect(await w.hrUser('bob.pushed@contoso.com')).toMatchObject({
      active: false,
      deactivatedReason: 'inactive-in-provisioning',
    });
  });

  it('runs the Graph sync again once the setting says pull', async () => {
    const { warnings } = await w.ok<{ warnings: Array<{ code: string }> }>('/api/admin/settings', 'PATCH', {
      userSource: 'pull',
      neverSyncedPolicy: 'leave-alone',
    });
    expect(warnings.map((warning) => warning.code)).not.toContain('pull-off');
    await w.sync('succeeded', 'full');
    expect(await w.hrUser(ann.mail)).toMatchObject({ active: true, entraId: ann.id });
    // Under pull, SCIM refuses writes again.
    const res = await scim<Record<string, unknown>>('POST', '/Users', entraUser('late.push@contoso.com'));
    expect(ScimWorld.expectError(res, 403)).toContain('userSource');
  });
});

describe("userSource 'both': the Graph sync owns the users it links, pushes own the others", () => {
  let w: InboundWorld;
  let scim: Awaited<ReturnType<typeof withScim>>;
  beforeAll(async () => {
    w = await InboundWorld.start();
    scim = await withScim(w);
  });
  afterAll(async () => w?.close());

  it('a run leaves pushed users alone, links a pushed user it matches by e-mail in a synced group, and from then on a push changes only its SCIM identity', async () => {
    const ann = await w.person('Ann', 'Both');
    const cara = await w.person('Cara', 'Both', { jobTitle: 'Entra title' });
    await w.addSyncedGroup(await w.group('Both', [ann.id, cara.id]));
    // Entra is the only source of truth for never-synced users (rule 3.3), to show the pushed ones are spared.
    await w.settings({ userSource: 'both', neverSyncedPolicy: 'deactivate' });
    const external = await w.ok<{ id: string }>('/api/admin/users', 'POST', {
      email: 'external.both@partner.example',
      firstName: 'Ex',
      lastName: 'Ternal',
    });
    const bob = (await scim('POST', '/Users', entraUser('bob.both@contoso.com'))).body;
    const pushedCara = (await scim('POST', '/Users', entraUser(cara.mail, { title: 'Pushed title' }))).body;
    expect([bob.id, pushedCara.id]).toEqual([expect.any(String), expect.any(String)]);

    const run = await w.sync('succeeded', 'full');
    expect(await w.hrUser(ann.mail)).toMatchObject({ active: true, origin: 'entra', entraId: ann.id });
    // Bob was pushed and is in no synced group: the pull leaves him alone, whatever the policy.
    expect(await w.hrUser('bob.both@contoso.com')).toMatchObject({ active: true, entraId: null });
    expect(await w.outcomesOf(run.id, 'bob.both@contoso.com')).toEqual([]);
    // An HR user nobody pushed is still deactivated by the policy.
    expect(await w.hrUser('external.both@partner.example')).toMatchObject({
      id: external.id,
      active: false,
      deactivatedReason: 'not-in-synced-group',
    });
    // Cara, pushed first, is matched by e-mail in a synced group: the same HR user, now linked.
    expect(await w.hrUser(cara.mail)).toMatchObject({ id: pushedCara.id, entraId: cara.id });

    // Bob is the push's: its changes apply.
    const bobTitle = await scim('PATCH', `/Users/${bob.id}`, patchOp({ op: 'Replace', path: 'title', value: 'Lead' }));
    expect([bobTitle.status, bobTitle.body.title]).toEqual([200, 'Lead']);
    expect((await w.hrUser('bob.both@contoso.com')).jobTitle).toBe('Lead');

    // Cara is the sync's: a push keeps its userName and externalId, never her fields or status.
    const before = await w.hrUser(cara.mail);
    const push = await scim(
      'PATCH',
      `/Users/${pushedCara.id}`,
      patchOp(
        { op: 'Replace', path: 'title', value: 'Pushed again' },
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'Replace', path: 'externalId', value: 'cara-external' },
      ),
    );
    expect(push.status).toBe(200);
    const after = await w.hrUser(cara.mail);
    expect([after.jobTitle, after.active, after.entraId]).toEqual([before.jobTitle, true, cara.id]);
    expect((await scim<{ externalId: string }>('GET', `/Users/${pushedCara.id}`)).body.externalId).toBe(
      'cara-external',
    );

    // And the sync goes on owning her: Entra's change arrives.
    await w.control.updateUser(cara.id, { jobTitle: 'Entra title 2' });
    await w.sync();
    expect((await w.hrUser(cara.mail)).jobTitle).toBe('Entra title 2');
    expect(await w.hrUser('bob.both@contoso.com')).toMatchObject({ active: true, jobTitle: 'Lead' });
  });
});
