import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { FaultRule } from '../../src/emulator/control/control-types.js';
import { InboundWorld } from './inbound-support.js';

interface Problem {
  type: string;
  status: number;
  code: string;
  detail: string;
  upstream: { kind: string; code: string; status?: number };
}

/** More failures than one request retries: the admin call meets Graph's failure itself. */
const unavailable: FaultRule = { kind: 'unavailable', count: 200, retryAfterSeconds: 0 };
const throttled: FaultRule = { kind: 'throttle', count: 200, retryAfterSeconds: 0 };

/**
 * At the HTTP edge a Graph failure inside an admin call is a 502 `upstream_failed` naming Microsoft
 * Graph, never a 500 and never a success: one case per family of admin routes that call Graph.
 */
describe('Graph failing inside an admin call answers 502 upstream_failed', () => {
  jest.setTimeout(120_000);
  let w: InboundWorld;
  let person: { id: string; mail: string };
  let groupId: string;

  beforeAll(async () => {
    w = await InboundWorld.start();
    person = await w.person('Uma', 'Upstream');
    groupId = await w.group('Upstream staff', [person.id]);
    await w.setSyncedGroups([groupId]);
  });
  afterEach(async () => w.control.clearFaults());
  afterAll(async () => w.close());

  async function expectUpstream(call: () => Promise<{ status: number; body: unknown }>, kind = 'retryable') {
    const res = (await call()) as { status: number; body: Problem };
    expect(res).toMatchObject({
      status: 502,
      body: {
        type: 'urn:entra-hr-connector:problem:upstream_failed',
        code: 'upstream_failed',
        detail: expect.stringContaining('(Microsoft Graph: '),
        upstream: { kind },
      },
    });
    return res.body;
  }

  it('groups: searching the tenant and choosing synced groups', async () => {
    await w.control.addFault(unavailable);
    const search = await expectUpstream(() => w.api('/api/admin/groups?search=Upstream'));
    expect(search.upstream).toMatchObject({ code: 'serviceNotAvailable', status: 503 });
    await expectUpstream(() => w.api('/api/admin/synced-groups', 'PUT', { groupIds: [groupId] }));
    await w.control.clearFaults();
    expect((await w.api('/api/admin/synced-groups', 'PUT', { groupIds: [groupId] })).status).toBe(200);
  });

  it('roles: mapping a group to a role', async () => {
    const role = await w.ok<{ id: string }>('/api/admin/roles', 'POST', { name: 'Upstream mapped' });
    await w.control.addFault(throttled);
    const problem = await expectUpstream(() => w.api('/api/admin/role-mappings', 'POST', { groupId, roleId: role.id }));
    expect(problem.upstream).toMatchObject({ status: 429 });
    await w.control.clearFaults();
    expect((await w.api('/api/admin/role-mappings', 'POST', { groupId, roleId: role.id })).status).toBe(201);
  });

  it('connection: a test Graph cannot answer is no verdict on the connection', async () => {
    await w.control.addFault(unavailable);
    await expectUpstream(() => w.api('/api/admin/connection/test', 'POST'));
    await w.control.clearFaults();
    expect(await w.ok<{ ok: boolean }>('/api/admin/connection/test', 'POST')).toMatchObject({ ok: true });
  });

  it('sync: a preview and a one-user sync, also when Graph fails after the run started', async () => {
    await w.control.addFault(unavailable);
    await expectUpstream(() => w.api('/api/admin/sync/preview', 'POST', {}));
    await expectUpstream(() => w.api(`/api/admin/sync/users/${person.id}`, 'POST'));
    await w.control.clearFaults();
    // The user is read, then the run's delta rounds fail: the run is recorded as failed, the caller told.
    await w.control.addFault({ ...unavailable, pathRegex: 'delta' });
    await expectUpstream(() => w.api(`/api/admin/sync/users/${person.id}`, 'POST'));
    await expectUpstream(() => w.api('/api/admin/sync/preview', 'POST', {}));
    const runs = await w.ok<{ items: Array<{ trigger: string; status: string }> }>(
      '/api/admin/sync/runs?includePreviews=true',
    );
    expect(runs.items.slice(0, 2)).toEqual([
      expect.objectContaining({ status: 'failed' }),
      expect.objectContaining({ trigger: 'user', status: 'failed' }),
    ]);
    await w.control.clearFaults();
    expect((await w.api(`/api/admin/sync/users/${person.id}`, 'POST')).status).toBe(200);
  });
});
