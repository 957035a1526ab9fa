import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSyncHarness, type SyncHarness } from '../support/entra.js';

// Graph serves whatever bytes were uploaded; these stand for a JPEG photo.
const PHOTO = Buffer.from('ffd8ffe000104a46494600010100000100010000ffdb004300' + '08'.repeat(64) + 'ffd9', 'hex');

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('2.5 profile pictures flow Entra -> HR, only for users not connected to an employee profile', () => {
  let h: SyncHarness;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    h = await startSyncHarness();
    const c = h.emulator.control;
    for (const name of ['Ada', 'Ray']) {
      const user = await c.createUser({
        displayName: name,
        givenName: name,
        surname: 'Tester',
        mail: `${name.toLowerCase()}@contoso.com`,
        userPrincipalName: `${name.toLowerCase()}@contoso.com`,
        accountEnabled: true,
      });
      await c.setPhoto(user.id, { base64: PHOTO.toString('base64'), contentType: 'image/jpeg' });
      ids[name] = user.id;
    }
    const group = await c.createGroup({ displayName: 'Staff', members: Object.values(ids) });
    await h.service.api('/api/admin/synced-groups', { method: 'PUT', json: { groupIds: [group.id] } });
    // Ray already has an HR user connected to an employee profile; the first run matches it by e-mail.
    expect(
      (
        await h.service.api('/api/admin/users', {
          method: 'POST',
          json: { email: 'ray@contoso.com', firstName: 'Ray', lastName: 'Tester' },
        })
      ).status,
    ).toBe(201);
    const profile = await h.service.api('/api/admin/employee-profiles', {
      method: 'POST',
      json: { email: 'ray@contoso.com', firstName: 'Ray', lastName: 'Tester' },
    });
    expect(profile.status).toBe(201);
    const { id: profileId } = (await profile.json()) as { id: string };
    expect(
      (
        await h.service.api(`/api/admin/employee-profiles/${profileId}/connect`, {
          method: 'POST',
          json: { email: 'ray@contoso.com' },
        })
      ).status,
    ).toBe(200);
  });
  afterAll(async () => h.close());

  it('copies the picture of a user without employee profile after the run that created it, and not the picture of an employee', async () => {
    const hrIds: Record<string, string> = {};
    await h.syncNow();
    const users = (await (await h.service.api('/api/admin/users?search=contoso')).json()) as {
      items: Array<{ id: string; email: string }>;
    };
    for (const u of users.items) hrIds[u.email.split('@')[0]!] = u.id;
    // The run that created the users queued the picture job; wait for Ada's picture.
    const picture = await waitFor(async () => {
      const res = await h.service.api(`/api/admin/users/${hrIds.ada}/picture`);
      return res.status === 200 ? res : null;
    });
    expect(picture.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await picture.arrayBuffer())).toEqual(PHOTO);
    expect((await h.service.api(`/api/admin/users/${hrIds.ray}/picture`)).status).toBe(404);
  });
});
