import { describe, expect, it } from '@jest/globals';
import {
  backoffDelayMs,
  decideRetry,
  isConnectionError,
  parseRetryAfterMs,
} from '../../../src/gateways/graph/graph-retry.policy.js';

const config = { maxRetries: 5, maxTotalRetryWaitMs: 10_000, baseDelayMs: 1000, random: () => 0 };

describe('parseRetryAfterMs', () => {
  it.each([
    ['2', 2000],
    ['2.128', 2128],
    ['0', 0],
    [' 7 ', 7000],
    // Several digits: "12" is also a date to Date.parse (December 2001), so the number must win.
    ['12', 12_000],
    ['120', 120_000],
    ['0.0005', 1],
  ])('reads delta-seconds %p', (value, expected) => {
    expect(parseRetryAfterMs(value, 0)).toBe(expected);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfterMs('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfterMs('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });

  it.each([null, undefined, '', '   ', 'soon', '2 seconds', 'x2', '2x', '1e3'])('ignores %p', (value) => {
    expect(parseRetryAfterMs(value, 0)).toBeUndefined();
  });
});

describe('decideRetry', () => {
  it('honours Retry-After exactly', () => {
    expect(decideRetry({ retriesDone: 0, waitedMs: 0 }, 2128, config)).toEqual({ retry: true, delayMs: 2128 });
  });

  it('backs off exponentially without Retry-After', () => {
    expect(backoffDelayMs(1, config)).toBe(1000);
    expect(backoffDelayMs(2, config)).toBe(2000);
    expect(backoffDelayMs(4, config)).toBe(8000);
    expect(backoffDelayMs(20, { ...config, maxBackoffMs: 30_000 })).toBe(30_000);
    expect(backoffDelayMs(1, { ...config, random: () => 0.5 })).toBe(1100);
  });

  it('stops after maxRetries', () => {
    expect(decideRetry({ retriesDone: 5, waitedMs: 0 }, 1, config)).toEqual({ retry: false, reason: 'max-retries' });
  });

  it('stops before a wait that would cross the total budget, without sleeping first', () => {
    expect(decideRetry({ retriesDone: 1, waitedMs: 8000 }, 2000, config)).toEqual({ retry: true, delayMs: 2000 });
    expect(decideRetry({ retriesDone: 1, waitedMs: 8000 }, 2001, config)).toEqual({
      retry: false,
      reason: 'wait-budget',
    });
    expect(decideRetry({ retriesDone: 0, waitedMs: 0 }, 60_000, config)).toEqual({
      retry: false,
      reason: 'wait-budget',
    });
  });

  it('stops before a wait that would cross the budget the whole run shares, though this request could still wait', () => {
    const run = { limitMs: 5000, waitedMs: 4000 };
    expect(decideRetry({ retriesDone: 0, waitedMs: 0 }, 1000, config, run)).toEqual({ retry: true, delayMs: 1000 });
    expect(decideRetry({ retriesDone: 0, waitedMs: 0 }, 1001, config, run)).toEqual({
      retry: false,
      reason: 'run-wait-budget',
    });
    // Without Retry-After, the back-off step counts against the run's budget the same way.
    expect(decideRetry({ retriesDone: 0, waitedMs: 0 }, undefined, config, { limitMs: 5000, waitedMs: 4500 })).toEqual({
      retry: false,
      reason: 'run-wait-budget',
    });
    // The request's own budget is still checked first.
    expect(decideRetry({ retriesDone: 1, waitedMs: 9000 }, 2000, config, { limitMs: 60_000, waitedMs: 0 })).toEqual({
      retry: false,
      reason: 'wait-budget',
    });
  });
});

describe('backoffDelayMs', () => {
  it('starts at one second and stops doubling at 30 seconds when the config says nothing', () => {
    const bare = { maxRetries: 5, maxTotalRetryWaitMs: 10_000, random: () => 0 };
    expect([1, 2, 3, 5, 6, 7].map((attempt) => backoffDelayMs(attempt, bare))).toEqual([
      1000, 2000, 4000, 16_000, 30_000, 30_000,
    ]);
  });

  it('caps the step before adding jitter, and rounds to whole milliseconds', () => {
    expect(backoffDelayMs(3, { ...config, maxBackoffMs: 3000, random: () => 0.5 })).toBe(3300);
    expect(backoffDelayMs(1, { ...config, baseDelayMs: 3, random: () => 0.5 })).toBe(3);
    expect(backoffDelayMs(1, { ...config, random: () => 0.123 })).toBe(1025);
  });

  it('adds up to 20 % jitter from Math.random when no random source is given', () => {
    const { random: _none, ...withoutRandom } = config;
    for (let i = 0; i < 20; i++) {
      const delay = backoffDelayMs(1, withoutRandom);
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(1200);
    }
  });

  it('is what decideRetry waits without Retry-After, counted from the retries already made', () => {
    expect(decideRetry({ retriesDone: 0, waitedMs: 0 }, undefined, config)).toEqual({ retry: true, delayMs: 1000 });
    expect(decideRetry({ retriesDone: 2, waitedMs: 3000 }, undefined, config)).toEqual({ retry: true, delayMs: 4000 });
  });
});

describe('isConnectionError', () => {
  const withCode = (code: string) => Object.assign(new Error(`socket ${code}`), { code });

  it.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
  ])('takes the socket code %s, on the error or as the cause of a fetch failure', (code) => {
    expect(isConnectionError(withCode(code))).toBe(true);
    expect(isConnectionError(new TypeError('fetch failed', { cause: withCode(code) }))).toBe(true);
  });

  it.each(['ENOTFOUND', 'ERR_TLS_CERT_ALTNAME_INVALID', 'econnreset'])('does not take the code %s', (code) => {
    expect(isConnectionError(withCode(code))).toBe(false);
  });

  it.each(['fetch failed', 'terminated', 'other side closed', 'Fetch Failed'])(
    'takes a TypeError saying %p without a socket code',
    (message) => {
      expect(isConnectionError(new TypeError(message))).toBe(true);
      // Checked by shape: fetch's TypeError may come from another realm.
      expect(isConnectionError({ name: 'TypeError', message })).toBe(true);
    },
  );

  it('does not take the same words from another kind of error, or another TypeError', () => {
    expect(isConnectionError(new Error('fetch failed'))).toBe(false);
    expect(isConnectionError(new TypeError('x is not a function'))).toBe(false);
    expect(isConnectionError({ name: 'TypeError', message: ['fetch failed'] })).toBe(false);
  });

  it('follows the cause chain five errors deep, and no further (a cycle ends too)', () => {
    const chain = (depth: number): unknown =>
      depth === 0 ? withCode('ECONNRESET') : new Error(`wrapper ${depth}`, { cause: chain(depth - 1) });
    expect(isConnectionError(chain(4))).toBe(true);
    expect(isConnectionError(chain(5))).toBe(false);
    const cyclic: Error & { cause?: unknown } = new Error('cyclic');
    cyclic.cause = cyclic;
    expect(isConnectionError(cyclic)).toBe(false);
    expect(isConnectionError(new Error('no cause', { cause: null }))).toBe(false);
  });

  it('recognises fetch failures and socket codes in the cause chain', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(isConnectionError(new TypeError('fetch failed', { cause: reset }))).toBe(true);
    expect(
      isConnectionError(
        new TypeError('terminated', {
          cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
        }),
      ),
    ).toBe(true);
    expect(isConnectionError(reset)).toBe(true);
  });

  it('does not take other errors for connection failures', () => {
    expect(isConnectionError(new Error('bad'))).toBe(false);
    expect(isConnectionError('ECONNRESET')).toBe(false);
    expect(isConnectionError(null)).toBe(false);
    expect(isConnectionError(undefined)).toBe(false);
  });
});
