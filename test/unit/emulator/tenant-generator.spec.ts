import { describe, it, expect } from '@jest/globals';
import { generateTenant } from '../../../src/emulator/tenant-generator.js';

const domains = ['contoso.com', 'fabrikam.com'];

describe('demo tenant generator', () => {
  const tenant = generateTenant({ users: 400, seed: 1, domains });

  it('is deterministic for a seed', () => {
    const again = generateTenant({ users: 400, seed: 1, domains });
    expect(again.users.map((u) => u.p)).toEqual(tenant.users.map((u) => u.p));
    expect(generateTenant({ users: 400, seed: 2, domains }).users[0]?.id).not.toBe(tenant.users[0]?.id);
  });

  it('uses verified domains, unique ids and UPNs, and a manager tree without cycles', () => {
    const upns = tenant.users.map((u) => String(u.p['userPrincipalName']).toLowerCase());
    expect(new Set(upns).size).toBe(400);
    expect(new Set(tenant.users.map((u) => u.id)).size).toBe(400);
    expect(upns.every((upn) => /^[a-z0-9'.-]+@(contoso|fabrikam)\.com$/.test(upn))).toBe(true);
    const byId = new Map(tenant.users.map((u) => [u.id, u]));
    for (const user of tenant.users) {
      let hops = 0;
      for (let m = user.managerId; m !== undefined; m = byId.get(m)?.managerId) expect(++hops).toBeLessThan(10);
    }
  });

  it('includes the awkward cases', () => {
    const users = tenant.users;
    expect(users.some((u) => u.p['givenName'] === undefined && u.p['surname'] === undefined)).toBe(true);
    expect(users.some((u) => u.p['onPremisesSyncEnabled'] === true)).toBe(true);
    expect(users.some((u) => u.p['accountEnabled'] === false)).toBe(true);
    expect(users.some((u) => u.photo !== undefined)).toBe(true);
    expect(users.some((u) => u.p['onPremisesExtensionAttributes'] !== undefined)).toBe(true);
    const mails = users.map((u) => String(u.p['mail']));
    const lower = mails.map((m) => m.toLowerCase());
    expect(lower.some((m, i) => lower.indexOf(m) !== i && mails[lower.indexOf(m)] !== mails[i])).toBe(true);
  });

  it('builds the named groups, nesting and non-user members', () => {
    const names = tenant.groups.map((g) => g.p['displayName']);
    expect(names).toEqual(
      expect.arrayContaining(['All Staff', 'Employee', 'HR', 'Managers', 'Engineering Department']),
    );
    const groupIds = new Set(tenant.groups.map((g) => g.id));
    const allStaff = tenant.groups.find((g) => g.p['displayName'] === 'All Staff');
    expect(allStaff?.members.values().every((id) => groupIds.has(id))).toBe(true);
    const otherIds = new Set(tenant.others.map((o) => o.id));
    expect(tenant.groups.some((g) => g.members.values().some((id) => otherIds.has(id)))).toBe(true);
  });

  // Its speed is measured by scripts/emulator-measure.ts, not here: a timed unit test fails on a busy machine.
  it('generates 100,000 users with ids of their own', () => {
    const big = generateTenant({ users: 100_000, seed: 3, domains });
    expect(big.users).toHaveLength(100_000);
    expect(new Set(big.users.map((u) => u.id)).size).toBe(100_000);
  });
});
