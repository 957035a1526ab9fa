import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InboundWorld } from './inbound-support.js';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const LOOKS_LIKE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

/** Every string in a JSON value that is a point in time (by its look or by a key ending in At), with where it was. */
function timestamps(value: unknown, path = '$'): Array<[string, string]> {
  if (Array.isArray(value)) return value.flatMap((v, i) => timestamps(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => {
      const here = `${path}.${key}`;
      if (/At$/.test(key) && v !== null && typeof v !== 'object') return [[here, String(v)] as [string, string]];
      return timestamps(v, here);
    });
  }
  return typeof value === 'string' && LOOKS_LIKE_TIME.test(value) ? [[path, value]] : [];
}

/** Every list of the API: an object whose `items` is an array. */
function lists(value: unknown, path = '$'): Array<[string, Record<string, unknown>]> {
  if (!value || typeof value !== 'object') return [];
  const here: Array<[string, Record<string, unknown>]> = Array.isArray((value as { items?: unknown }).items)
    ? [[path, value as Record<string, unknown>]]
    : [];
  return [
    ...here,
    ...Object.entries(value).flatMap(([key, v]) => (Array.isArray(v) ? [] : lists(v, `${path}.${key}`))),
  ];
}

describe('one format for timestamps and for paging, across the admin API', () => {
  let w: InboundWorld;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    w = await InboundWorld.start();
    const people = await Promise.all(['Adele', 'Alex', 'Diego', 'Isaiah'].map((name) => w.person(name, 'Tester')));
    const group = await w.group(
      'Staff',
      people.map((p) => p.id),
    );
    await w.setSyncedGroups([group]);
    const run = await w.sync();
    await w.control.updateUser(people[0]!.id, { jobTitle: 'Buyer' });
    await w.sync();
    const role = await w.ok<{ id: string }>('/api/admin/roles', 'POST', { name: 'Staff' });
    const mapping = await w.ok<{ id: string }>('/api/admin/role-mappings', 'POST', { groupId: group, roleId: role.id });
    const users = await w.ok<{ items: Array<{ id: string; email: string }> }>(
      `/api/admin/users?search=${encodeURIComponent(people[1]!.mail)}`,
    );
    const profile = await w.ok<{ id: string }>('/api/admin/employee-profiles', 'POST', {
      email: 'profile@contoso.com',
      firstName: 'Pro',
      lastName: 'File',
    });
    await w.ok(`/api/admin/employee-profiles/${profile.id}/connect`, 'POST', { email: people[1]!.mail });
    await w.ok('/api/admin/settings', 'PATCH', { notifyEmail: 'ops@contoso.com' });
    await w.ok(`/api/admin/users/${users.items[0]!.id}/tokens`, 'POST', { name: 'laptop' });
    Object.assign(ids, {
      runId: run.id,
      roleId: role.id,
      mappingId: mapping.id,
      userId: users.items[0]!.id,
      profileId: profile.id,
      entraId: people[1]!.id,
      groupId: group,
    });
  });
  afterAll(async () => w.close());

  it('writes every timestamp of every GET route as ISO 8601 UTC with a Z, and every list as { items, next }', async () => {
    const spec = await w.ok<{ paths: Record<string, Record<string, unknown>> }>('/openapi.json');
    const example = (path: string) =>
      path
        .replace('/users/{id}', `/users/${ids.userId}`)
        .replace('/employee-profiles/{id}', `/employee-profiles/${ids.profileId}`)
        .replace('/runs/{id}', `/runs/${ids.runId}`)
        .replace('/roles/{id}', `/roles/${ids.roleId}`)
        .replace('/role-mappings/{id}', `/role-mappings/${ids.mappingId}`)
        .replace('{entraId}', ids.entraId!)
        .replace('{roleId}', ids.roleId!);
    const checked: string[] = [];
    const bad: string[] = [];
    for (const [path, operations] of Object.entries(spec.paths)) {
      if (!operations.get || !path.startsWith('/api/') || /picture|export/.test(path)) continue;
      // One event (and its history) needs an event to exist: the calendar specs read it; its list is checked here.
      if (/\/events\/\{eventId\}/.test(path)) continue;
      // Event lists are read between two instants, which they require.
      const range = path.endsWith('/events') ? '?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z' : '';
      const url = example(path) + range;
      expect(url).not.toMatch(/[{}]/); // a new route with a path parameter needs an example above
      const res = await w.api(url);
      expect([url, res.status]).toEqual([url, 200]);
      checked.push(path);
      for (const [where, value] of timestamps(res.body))
        if (!ISO_UTC.test(value)) bad.push(`${path} ${where} = ${value}`);
      // The reconciliation report is a summary: three lists capped at ?limit, each with its total, not pages.
      const paged = path === '/api/admin/sync/reconciliation' ? [] : lists(res.body);
      for (const [where, list] of paged)
        if (!('next' in list) || (list.next !== null && typeof list.next !== 'string'))
          bad.push(`${path} ${where} has no next cursor`);
    }
    for (const kind of ['hr-users', 'employee-profiles']) {
      const res = await w.api(`/api/admin/export/${kind}?format=json`);
      for (const [where, value] of timestamps(res.body))
        if (!ISO_UTC.test(value)) bad.push(`export ${kind} ${where} = ${value}`);
    }
    expect(bad).toEqual([]);
    expect(checked).toEqual(
      expect.arrayContaining([
        '/api/admin/sync/runs',
        '/api/admin/sync/runs/{id}',
        '/api/admin/audit-log',
        '/api/admin/users/{id}',
        '/api/admin/employee-profiles/{id}',
        '/api/admin/role-mappings',
        '/api/admin/settings',
      ]),
    );
    // A value that was written by the sync (inside JSON) is in the same format.
    const detail = await w.ok<{ fields: { jobTitle: { changedAt: string } }; lastSyncedAt: string }>(
      `/api/admin/users/${ids.userId}`,
    );
    expect(detail.fields.jobTitle.changedAt).toMatch(ISO_UTC);
    expect(detail.lastSyncedAt).toMatch(ISO_UTC);
  });

  it.each([
    ['HR users', '/api/admin/users', 'id'],
    ['employee profiles', '/api/admin/employee-profiles', 'id'],
    ['the audit log', '/api/admin/audit-log', 'id'],
    ['the sync history', '/api/admin/sync/runs', 'id'],
    ['the outcomes of a run', '/api/admin/sync/runs/{run}/outcomes', 'id'],
    ['API tokens', '/api/admin/tokens', 'id'],
  ])(
    'pages %s with ?limit and ?after=<next>, ending with next null and no empty page',
    async (_name, template, key) => {
      const path = template.replace('{run}', ids.runId!);
      await w.ok('/api/admin/employee-profiles', 'POST', {
        email: `extra-${Date.now()}@contoso.com`,
        firstName: 'Ex',
        lastName: 'Tra',
      });
      const all = await w.ok<{ items: Array<Record<string, unknown>>; next: string | null }>(`${path}?limit=200`);
      expect(all.next).toBeNull();
      expect(all.items.length).toBeGreaterThan(1);
      const seen: unknown[] = [];
      let url = `${path}?limit=1`;
      for (let pages = 0; pages < 100; pages += 1) {
        const page = await w.ok<{ items: Array<Record<string, unknown>>; next: string | null }>(url);
        expect(page.items.length).toBeGreaterThan(0);
        seen.push(...page.items.map((item) => item[key]));
        if (page.next === null) break;
        expect(typeof page.next).toBe('string');
        url = `${path}?limit=1&after=${encodeURIComponent(page.next)}`;
      }
      expect(seen).toEqual(all.items.map((item) => item[key]));
    },
  );
});
