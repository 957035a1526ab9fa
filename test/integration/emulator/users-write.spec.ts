import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { GraphCaller, startTrusted } from './emulator-harness.js';
import type { RunningEmulator } from './emulator-harness.js';

const newUser = (alias: string, domain = 'contoso.com'): Record<string, unknown> => ({
  accountEnabled: true,
  displayName: `New ${alias}`,
  mailNickname: alias,
  userPrincipalName: `${alias}@${domain}`,
  passwordProfile: { password: 'Str0ng!Passw0rd', forceChangePasswordNextSignIn: true },
});

describe('writing users (docs/graph.md §3)', () => {
  let emulator: RunningEmulator;
  let graph: GraphCaller;

  beforeAll(async () => {
    emulator = await startTrusted({ seed: { users: 40 } });
    graph = await GraphCaller.create(emulator);
  });
  afterAll(() => emulator.close());

  it('creates a user: 201 with the default properties and the $entity context', async () => {
    const reply = await graph.send('POST', '/users', { ...newUser('ada.lovelace'), jobTitle: 'Analyst' });
    expect(reply.status).toBe(201);
    expect(reply.body['@odata.context']).toBe(`${emulator.url}/v1.0/$metadata#users/$entity`);
    expect(reply.body).toMatchObject({
      displayName: 'New ada.lovelace',
      jobTitle: 'Analyst',
      userPrincipalName: 'ada.lovelace@contoso.com',
      businessPhones: [],
    });
    expect(reply.body.passwordProfile).toBeUndefined();
  });

  it('refuses a missing required property, a taken UPN and an unverified domain', async () => {
    const { mailNickname: _omit, ...noNickname } = newUser('no.nick');
    const missing = await graph.send('POST', '/users', noNickname);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('Property mailNickname value is required but is empty or missing.');
    await graph.send('POST', '/users', newUser('twin'));
    const taken = await graph.send('POST', '/users', newUser('TWIN'));
    expect(taken.status).toBe(400);
    expect(taken.body.error).toMatchObject({
      code: 'Request_BadRequest',
      details: [{ target: 'userPrincipalName', code: 'ObjectConflict' }],
    });
    const domain = await graph.send('POST', '/users', newUser('someone', 'example.org'));
    expect(domain.status).toBe(400);
    expect(domain.body.error.message).toMatch(/^The domain portion of the userPrincipalName property is invalid/);
  });

  it('updates with PATCH → 204 and keeps the properties not sent', async () => {
    const id = (await graph.send('POST', '/users', { ...newUser('patch.me'), department: 'Sales' })).body.id as string;
    const reply = await graph.send('PATCH', `/users/${id}`, { jobTitle: 'CFO', businessPhones: ['+1 425 555 0100'] });
    expect(reply.status).toBe(204);
    const after = await graph.get(`/users/${id}?$select=jobTitle,department,businessPhones`);
    expect(after.body).toMatchObject({ jobTitle: 'CFO', department: 'Sales', businessPhones: ['+1 425 555 0100'] });
  });

  it('refuses more than one business phone and invalid values', async () => {
    const id = (await graph.get('/users?$top=1&$select=id')).body.value[0].id as string;
    const phones = await graph.send('PATCH', `/users/${id}`, { businessPhones: ['1', '2'] });
    expect(phones.status).toBe(400);
    expect(phones.body.error.code).toBe('Request_BadRequest');
    const tooLong = await graph.send('PATCH', `/users/${id}`, { employeeId: '12345678901234567' });
    expect(tooLong.status).toBe(400);
  });

  it('refuses on-premises mastered properties on a synced user with the documented 400', async () => {
    const id = (await graph.send('POST', '/users', newUser('hybrid.user'))).body.id as string;
    await emulator.control.markSynced(id);
    const reply = await graph.send('PATCH', `/users/${id}`, { employeeHireDate: '2020-01-01T00:00:00Z' });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({
      code: 'Request_BadRequest',
      message:
        'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.',
    });
  });

  it('deletes to deleted items and restores with 200 and the directoryObjects context', async () => {
    const id = (await graph.send('POST', '/users', newUser('leaver'))).body.id as string;
    expect((await graph.send('DELETE', `/users/${id}`)).status).toBe(204);
    expect((await graph.get(`/users/${id}`)).status).toBe(404);
    const deleted = await graph.pages('/directory/deletedItems/microsoft.graph.user?$select=id,deletedDateTime');
    const item = deleted.flatMap((p) => p.value).find((u: { id: string }) => u.id === id);
    expect(item.deletedDateTime).toEqual(expect.any(String));
    const restored = await graph.send('POST', `/directory/deletedItems/${id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({
      '@odata.context': `${emulator.url}/v1.0/$metadata#directoryObjects/$entity`,
      '@odata.type': '#microsoft.graph.user',
      id,
    });
    expect((await graph.get(`/users/${id}`)).status).toBe(200);
  });

  it('assigns and removes a manager with 204', async () => {
    // Two cloud-only users of this test's own: the first users by id may include the hybrid user
    // made above (random id), whose manager is mastered on-premises and refused.
    const a = (await graph.send('POST', '/users', newUser('report.one'))).body as { id: string };
    const b = (await graph.send('POST', '/users', newUser('manager.one'))).body as { id: string };
    const put = await graph.send('PUT', `/users/${a?.id}/manager/$ref`, {
      '@odata.id': `https://graph.microsoft.com/v1.0/users/${b?.id}`,
    });
    expect(put.status).toBe(204);
    expect((await graph.get(`/users/${a?.id}/manager`)).body.id).toBe(b?.id);
    expect((await graph.send('DELETE', `/users/${a?.id}/manager/$ref`)).status).toBe(204);
    expect((await graph.get(`/users/${a?.id}/manager`)).status).toBe(404);
  });

  it('stores a photo: metadata and bytes, 404 for a user without one', async () => {
    const id = (await graph.send('POST', '/users', newUser('photo.user'))).body.id as string;
    expect((await graph.get(`/users/${id}/photo/$value`)).status).toBe(404);
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
    const put = await graph.send('PUT', `/users/${id}/photo/$value`, jpeg, { 'content-type': 'image/jpeg' });
    expect(put.status).toBeGreaterThanOrEqual(200);
    expect(put.status).toBeLessThan(300);
    const bytes = await graph.get(`/users/${id}/photo/$value`);
    expect(Buffer.compare(bytes.body as Buffer, jpeg)).toBe(0);
    const meta = await graph.get(`/users/${id}/photo`);
    expect(meta.body['@odata.mediaContentType']).toBe('image/jpeg');
  });
});
