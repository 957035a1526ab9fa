import { describe, it, expect } from '@jest/globals';
import { QuotaBuckets, ruCapacity } from '../../../src/emulator/throttle/quota-buckets.js';
import { resourceUnits } from '../../../src/emulator/throttle/resource-units.js';

describe('resource units and quota (docs/graph.md §7.2)', () => {
  it.each([
    [2, '$select=id,mail&$top=999', 1],
    [3, '$top=999', 3],
    [2, '$top=5', 1],
    [1, '$select=id&$top=5', 1],
    [2, '$expand=manager', 3],
  ])('base %i with %s costs %i', (ru, query, expected) => {
    const map = new Map([...new URLSearchParams(query)].map(([k, v]) => [k.toLowerCase(), v]));
    expect(resourceUnits({ ru, write: false }, map)).toBe(expected);
  });

  it('sizes the bucket by tenant tier', () => {
    expect([ruCapacity(10), ruCapacity(300), ruCapacity(5000)]).toEqual([3500, 5000, 8000]);
  });

  it('throttles past the limit with a Retry-After that is enough to recover', () => {
    let now = 0;
    const quota = new QuotaBuckets(true, () => now);
    for (let i = 0; i < 700; i++) expect(quota.charge('app', 'tenant', 5, false, 10).ok).toBe(true);
    const refused = quota.charge('app', 'tenant', 5, false, 10);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.scope).toBe('Tenant_Application/ReadWrite/app/tenant');
    expect(refused.information).toBe('ResourceUnitLimitExceeded');
    now += refused.retryAfterSeconds * 1000;
    expect(quota.charge('app', 'tenant', 5, false, 10).ok).toBe(true);
  });

  it('throttles writes on their own bucket', () => {
    const quota = new QuotaBuckets(true, () => 0);
    for (let i = 0; i < 3000; i++) quota.charge('app', 'tenant', 1, true, 5000);
    const refused = quota.charge('app', 'tenant', 1, true, 5000);
    expect(refused).toMatchObject({ ok: false, information: 'WriteLimitExceeded' });
  });
});
