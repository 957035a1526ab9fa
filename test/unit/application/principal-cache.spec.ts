import { describe, expect, it } from '@jest/globals';
import { PRINCIPAL_CACHE_TTL_MS, PrincipalCache } from '../../../src/application/principal-cache.js';
import type { Principal, TokenScope } from '../../../src/application/ports/api-token.port.js';

const ada: Principal = { userId: 'u-1', email: 'ada@contoso.com', roles: ['Administrator'], isAdmin: true };

/** A token store that counts its look-ups; `answer` is what it holds now. */
function store(answer: Principal | null = ada) {
  const state = { answer, lookups: 0, clock: 1_000_000, pending: null as null | (() => void) };
  const lookup = async (_context: unknown, _token: string, _scope: TokenScope) => {
    state.lookups++;
    const seen = state.answer;
    if (state.pending) await new Promise<void>((resolve) => (state.pending = resolve));
    return seen;
  };
  const cache = new PrincipalCache(lookup, () => state.clock);
  return { state, cache };
}

describe('PrincipalCache', () => {
  it('asks the store every time while changes cannot be heard', async () => {
    const { state, cache } = store();
    await cache.find(null, 'ehc_token', 'scim');
    await cache.find(null, 'ehc_token', 'scim');
    expect(state.lookups).toBe(2);
  });

  it('remembers a holder while heard, per token and scope, until a change is notified', async () => {
    const { state, cache } = store();
    cache.hearing(true);
    expect(await cache.find(null, 'ehc_token', 'scim')).toEqual(ada);
    expect(await cache.find(null, 'ehc_token', 'scim')).toEqual(ada);
    expect(state.lookups).toBe(1);
    await cache.find(null, 'ehc_token', 'api');
    await cache.find(null, 'ehc_other', 'scim');
    expect(state.lookups).toBe(3);
    state.answer = null; // revoked
    cache.changed();
    expect(await cache.find(null, 'ehc_token', 'scim')).toBeNull();
  });

  it('never remembers an unknown token, nor past the TTL or the token expiry', async () => {
    const { state, cache } = store(null);
    cache.hearing(true);
    await cache.find(null, 'ehc_token', 'scim');
    await cache.find(null, 'ehc_token', 'scim');
    expect(state.lookups).toBe(2);

    state.answer = ada;
    await cache.find(null, 'ehc_token', 'scim');
    state.clock += PRINCIPAL_CACHE_TTL_MS;
    await cache.find(null, 'ehc_token', 'scim');
    expect(state.lookups).toBe(4);

    state.answer = { ...ada, tokenExpiresAt: state.clock + 10 };
    await cache.find(null, 'ehc_soon', 'scim');
    state.clock += 10;
    await cache.find(null, 'ehc_soon', 'scim');
    expect(state.lookups).toBe(6);
  });

  it('forgets everything when the notifications stop, and stores nothing read before a change', async () => {
    const { state, cache } = store();
    cache.hearing(true);
    await cache.find(null, 'ehc_token', 'scim');
    cache.hearing(false);
    await cache.find(null, 'ehc_token', 'scim');
    expect(state.lookups).toBe(2);

    cache.hearing(true);
    state.pending = () => undefined;
    const reading = cache.find(null, 'ehc_token', 'scim');
    cache.changed(); // a revocation commits while the look-up is under way
    const release = state.pending;
    state.pending = null;
    release();
    await reading;
    await cache.find(null, 'ehc_token', 'scim');
    expect(state.lookups).toBe(4);
  });
});
