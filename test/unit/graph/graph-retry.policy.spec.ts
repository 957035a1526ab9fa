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
  ])('reads delta-seconds %p', (value, expected) => {
    expect(parseRetryAfterMs(value, 0)).toBe(expected);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfterMs('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfterMs('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });

  it.each([null, undefined, '', 'soon'])('ignores %p', (value) => {
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

describe('isConnectionError', () => {
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
  });
});
